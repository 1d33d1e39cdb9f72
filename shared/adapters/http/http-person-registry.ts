// PersonRegistry over HTTP (docs/person-registry.openapi.yaml): GET {baseUrl}/persons/{personnummer}.
// 404 → null; timeout, network error, 429 or 5xx → PersonRegistryUnavailableError (the state machine retries);
// a body that fails the schema or names another person → PersonRegistryResponseError; 401/403 after one
// secret refresh → PersonRegistryAuthError. Messages carry status codes and field paths, never personal data.
// Answers are cached per container for a short TTL: one case is validated several times (resume after a
// handler's correction), and the registry should not see a burst per case.
import { z } from "zod";
import {
  PersonRegistryAuthError,
  PersonRegistryResponseError,
  PersonRegistryUnavailableError,
} from "../../domain/errors.ts";
import type { Person, PersonRegistry, PostalAddress } from "../../ports/person-registry.ts";

/** Returns the current credential (bearer token or API key). `refresh` asks for a fresh one (after a 401). */
export type SecretProvider = (options?: { refresh?: boolean }) => Promise<string>;

const PNR = z.string().regex(/^\d{12}$/);

export const PersonResponseSchema = z.object({
  personnummer: PNR,
  givenNames: z.array(z.string().trim().min(1)).min(1),
  surname: z.string().trim().min(1),
  protectedIdentity: z.boolean(),
  guardians: z.array(PNR),
  /** Optional (contract 1.1): where letters go; for a protected identity the tax agency's forwarding address. */
  postalAddress: z
    .object({
      address: z.string().trim().min(1),
      postalCode: z
        .string()
        .trim()
        .regex(/^\d{3} ?\d{2}$/),
      city: z.string().trim().min(1),
    })
    .optional(),
});

export interface HttpPersonRegistryOptions {
  baseUrl: string;
  secret: SecretProvider;
  /** "bearer": Authorization: Bearer <secret>; "api-key": <apiKeyHeader>: <secret>. Default bearer. */
  auth?: "bearer" | "api-key";
  apiKeyHeader?: string;
  /** Per request, default 3000 ms. */
  timeoutMs?: number;
  /** Cache time-to-live, default 60 000 ms; 0 disables the cache. */
  cacheTtlMs?: number;
  /** Cache size bound (oldest entries evicted first), default 1000. */
  cacheMaxEntries?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

interface CacheEntry {
  expires: number;
  value: Person | null;
}

export class HttpPersonRegistry implements PersonRegistry {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly options: HttpPersonRegistryOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetchFn = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.ttlMs = options.cacheTtlMs ?? 60_000;
    this.maxEntries = options.cacheMaxEntries ?? 1000;
  }

  async findByPersonnummer(personnummer: string): Promise<Person | null> {
    // Only well-formed numbers reach the URL; anything else cannot be in the registry.
    if (!/^\d{12}$/.test(personnummer)) return null;
    const cached = this.cache.get(personnummer);
    if (cached && cached.expires > this.now()) return clone(cached.value);
    if (cached) this.cache.delete(personnummer);

    let response = await this.request(personnummer, false);
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      response = await this.request(personnummer, true);
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new PersonRegistryAuthError(`person registry refused the credentials (HTTP ${response.status})`);
      }
    }
    const value = await this.interpret(personnummer, response);
    this.remember(personnummer, value);
    return clone(value);
  }

  /** Empties the cache (tests, or after a known registry update). */
  clearCache(): void {
    this.cache.clear();
  }

  private async request(personnummer: string, refreshSecret: boolean): Promise<Response> {
    const secret = await this.options.secret(refreshSecret ? { refresh: true } : undefined);
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.options.auth === "api-key") headers[this.options.apiKeyHeader ?? "x-api-key"] = secret;
    else headers.authorization = `Bearer ${secret}`;
    const url = `${this.baseUrl}/persons/${encodeURIComponent(personnummer)}`;
    try {
      return await this.fetchFn(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
      throw new PersonRegistryUnavailableError(
        timedOut ? `person registry did not answer within ${this.timeoutMs} ms` : "person registry unreachable",
        { cause: e },
      );
    }
  }

  private async interpret(personnummer: string, response: Response): Promise<Person | null> {
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      throw new PersonRegistryUnavailableError(`person registry answered HTTP ${response.status}`);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new PersonRegistryResponseError(`person registry answered unexpected HTTP ${response.status}`);
    }
    let body: unknown;
    try {
      body = await readJson(response, this.timeoutMs);
    } catch (e) {
      if (e instanceof PersonRegistryUnavailableError) throw e;
      throw new PersonRegistryResponseError("person registry answered a body that is not JSON");
    }
    const parsed = PersonResponseSchema.safeParse(body);
    if (!parsed.success) {
      // Paths and issue codes only: the received values may be personal data.
      const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}:${i.code}`).join(", ");
      throw new PersonRegistryResponseError(`person registry body does not match the contract (${where})`);
    }
    if (parsed.data.personnummer !== personnummer) {
      // Never act on the wrong person.
      throw new PersonRegistryResponseError("person registry answered for another personnummer than asked");
    }
    return {
      personnummer: parsed.data.personnummer,
      givenNames: parsed.data.givenNames,
      surname: parsed.data.surname,
      protectedIdentity: parsed.data.protectedIdentity,
      guardians: parsed.data.guardians,
      ...(parsed.data.postalAddress ? { postalAddress: postalAddressOf(parsed.data.postalAddress) } : {}),
    };
  }

  private remember(personnummer: string, value: Person | null): void {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return;
    this.cache.delete(personnummer);
    this.cache.set(personnummer, { expires: this.now() + this.ttlMs, value });
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}

async function readJson(response: Response, timeoutMs: number): Promise<unknown> {
  // The body may stall after the headers: bound it too.
  let timer: NodeJS.Timeout | undefined;
  const stall = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PersonRegistryUnavailableError(`person registry body stalled beyond ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([response.json(), stall]);
  } finally {
    clearTimeout(timer);
  }
}

/** The postal code written "NNN NN", as the CSV adapter gives it. */
function postalAddressOf(a: { address: string; postalCode: string; city: string }): PostalAddress {
  const digits = a.postalCode.replace(" ", "");
  return { address: a.address, postalCode: `${digits.slice(0, 3)} ${digits.slice(3)}`, city: a.city };
}

function clone(p: Person | null): Person | null {
  if (!p) return null;
  const copy: Person = { ...p, givenNames: [...p.givenNames], guardians: [...p.guardians] };
  if (p.postalAddress) copy.postalAddress = { ...p.postalAddress };
  return copy;
}
