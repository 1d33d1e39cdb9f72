// StaffDirectory over HTTP (docs/staff-directory.openapi.yaml): GET {baseUrl}/staff/{vgrId}.
// 404 → null; timeout, network error, 429 or 5xx, or a credential that cannot be read just now →
// StaffDirectoryUnavailableError (the state machine retries, then parks the case); a body that fails the schema or
// names another VGR-ID, an unexpected status, or 401/403 after one secret refresh → StaffDirectoryResponseError
// (final: a handler looks). Messages carry status codes and field paths, never names or addresses.
// Answers are cached per container for a short TTL (a case is validated again after a handler's correction).
import { z } from "zod";
import {
  PersonRegistryUnavailableError,
  StaffDirectoryResponseError,
  StaffDirectoryUnavailableError,
} from "../../domain/errors.ts";
import type { StaffDirectory, StaffMember } from "../../ports/staff-directory.ts";
import type { SecretProvider } from "./http-person-registry.ts";

/** What the directory may be asked for: a VGR-ID/HSA id of letters and digits (anything else is not listed). */
const ID = /^[a-z0-9]{2,32}$/i;
const text = z.string().trim();

export const StaffMemberResponseSchema = z.object({
  vgrId: text.min(1),
  name: text.min(1),
  title: text.min(1),
  unit: text.min(1),
  caregiver: text.min(1),
  email: z.union([z.email(), z.literal("")]).default(""),
  phone: text.default(""),
  unitEmail: z.union([z.email(), z.literal("")]).default(""),
  unitAddress: text.default(""),
});

export interface HttpStaffDirectoryOptions {
  baseUrl: string;
  secret: SecretProvider;
  /** "bearer": Authorization: Bearer <secret>; "api-key": x-api-key: <secret>. Default bearer. */
  auth?: "bearer" | "api-key";
  /** Per request (headers and body), default 3000 ms. */
  timeoutMs?: number;
  /** Cache time-to-live, default 60 000 ms; 0 disables the cache. */
  cacheTtlMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

const CACHE_MAX = 1000;

export class HttpStaffDirectory implements StaffDirectory {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly cache = new Map<string, { expires: number; value: StaffMember | null }>();

  constructor(private readonly options: HttpStaffDirectoryOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetchFn = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.ttlMs = options.cacheTtlMs ?? 60_000;
  }

  async findByVgrId(vgrId: string): Promise<StaffMember | null> {
    const id = vgrId.replace(/\s+/g, "").toLowerCase();
    if (!ID.test(id)) return null;
    const cached = this.cache.get(id);
    if (cached && cached.expires > this.now()) return cached.value ? { ...cached.value } : null;
    this.cache.delete(id);

    let response = await this.request(id, false);
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      response = await this.request(id, true);
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new StaffDirectoryResponseError(`staff directory refused the credentials (HTTP ${response.status})`);
      }
    }
    const value = await this.interpret(id, response);
    if (this.ttlMs > 0) {
      this.cache.set(id, { expires: this.now() + this.ttlMs, value });
      if (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    }
    return value ? { ...value } : null;
  }

  private async request(id: string, refresh: boolean): Promise<Response> {
    let secret: string;
    try {
      secret = await this.options.secret(refresh ? { refresh: true } : undefined);
    } catch (e) {
      // The shared Secrets Manager provider speaks the registry's errors: a transient one is this port's outage.
      if (e instanceof PersonRegistryUnavailableError) {
        throw new StaffDirectoryUnavailableError("could not read the staff directory credential", { cause: e });
      }
      throw new StaffDirectoryResponseError("could not read the staff directory credential", { cause: e });
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.options.auth === "api-key") headers["x-api-key"] = secret;
    else headers.authorization = `Bearer ${secret}`;
    try {
      return await this.fetchFn(`${this.baseUrl}/staff/${encodeURIComponent(id)}`, {
        headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
      throw new StaffDirectoryUnavailableError(
        timedOut ? `staff directory did not answer within ${this.timeoutMs} ms` : "staff directory unreachable",
        { cause: e },
      );
    }
  }

  private async interpret(id: string, response: Response): Promise<StaffMember | null> {
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      throw new StaffDirectoryUnavailableError(`staff directory answered HTTP ${response.status}`);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new StaffDirectoryResponseError(`staff directory answered unexpected HTTP ${response.status}`);
    }
    let body: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      const stall = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new StaffDirectoryUnavailableError(`staff directory body stalled beyond ${this.timeoutMs} ms`)),
          this.timeoutMs,
        );
      });
      body = await Promise.race([response.json(), stall]);
    } catch (e) {
      if (e instanceof StaffDirectoryUnavailableError) throw e;
      throw new StaffDirectoryResponseError("staff directory answered a body that is not JSON");
    } finally {
      clearTimeout(timer);
    }
    const parsed = StaffMemberResponseSchema.safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}:${i.code}`).join(", ");
      throw new StaffDirectoryResponseError(`staff directory body does not match the contract (${where})`);
    }
    if (parsed.data.vgrId.toLowerCase() !== id) {
      throw new StaffDirectoryResponseError("staff directory answered for another VGR-ID than asked");
    }
    return { ...parsed.data, email: parsed.data.email.toLowerCase(), unitEmail: parsed.data.unitEmail.toLowerCase() };
  }
}
