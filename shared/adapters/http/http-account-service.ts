// AccountService over HTTP: the contract the real 1177 staff-tool integration must offer is
// docs/account-service.openapi.yaml. Personnummer travel in JSON bodies only (never in URLs, which end up in
// access logs). Credentials come from an injected SecretProvider (Secrets Manager on AWS) and are re-read once
// when the service answers 401, so a rotated secret needs no redeploy.
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { z } from "zod";
import { AccountServiceRejectedError, AccountServiceUnavailableError } from "../../domain/errors.ts";
import {
  ACCOUNT_RESULTS,
  type AccountResult,
  type AccountService,
  type AccountStatus,
} from "../../ports/account-service.ts";

export interface SecretProvider {
  /** The bearer token for the account service. */
  token(): Promise<string>;
  /** Forget a cached token (after a 401). */
  invalidate(): void;
}

export interface HttpAccountServiceOptions {
  baseUrl: string;
  secrets: SecretProvider;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const ResultSchema = z.object({
  result: z.enum(ACCOUNT_RESULTS),
});
const StatusSchema = z.object({
  personnummer: z.string(),
  locked: z.boolean(),
  blockedGuardians: z.array(z.string()),
});

export class HttpAccountService implements AccountService {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpAccountServiceOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  private async call(path: string, body: Record<string, string>, idempotencyKey?: string): Promise<unknown> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.options.secrets.token();
      let res: Response;
      try {
        res = await this.fetchImpl(`${this.baseUrl}${path}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            authorization: `Bearer ${token}`,
            ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        // Network error or timeout: transient, the state machine retries (the service is idempotent).
        throw new AccountServiceUnavailableError(`account service ${path}: no answer`, { cause: err });
      }
      if (res.status === 401 && attempt === 0) {
        this.options.secrets.invalidate();
        await res.body?.cancel();
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel();
        throw new AccountServiceUnavailableError(`account service ${path}: HTTP ${res.status}`);
      }
      if (!res.ok) {
        await res.body?.cancel();
        // The body may echo the request (personal data): only the status goes into the error.
        throw new AccountServiceRejectedError(`account service ${path}: HTTP ${res.status}`);
      }
      try {
        return await res.json();
      } catch (err) {
        throw new AccountServiceUnavailableError(`account service ${path}: unreadable answer`, { cause: err });
      }
    }
    throw new AccountServiceRejectedError(`account service ${path}: not authorised`);
  }

  private async action(path: string, body: Record<string, string>, key: string): Promise<AccountResult> {
    const parsed = ResultSchema.safeParse(await this.call(path, body, key));
    if (!parsed.success) throw new AccountServiceRejectedError(`account service ${path}: unexpected answer`);
    return parsed.data.result;
  }

  lock(personnummer: string, caseId: string): Promise<AccountResult> {
    return this.action("/v1/accounts/lock", { personnummer, caseId }, `${caseId}:lock`);
  }

  unlock(personnummer: string, caseId: string): Promise<AccountResult> {
    return this.action("/v1/accounts/unlock", { personnummer, caseId }, `${caseId}:unlock`);
  }

  blockGuardian(child: string, guardian: string, caseId: string): Promise<AccountResult> {
    // The guardian is part of the key: one case may block two guardians.
    return this.action("/v1/guardian-blocks/block", { child, guardian, caseId }, `${caseId}:block:${guardian}`);
  }

  unblockGuardian(child: string, guardian: string, caseId: string): Promise<AccountResult> {
    return this.action("/v1/guardian-blocks/unblock", { child, guardian, caseId }, `${caseId}:unblock:${guardian}`);
  }

  async status(personnummer: string): Promise<AccountStatus> {
    const parsed = StatusSchema.safeParse(await this.call("/v1/accounts/status", { personnummer }));
    if (!parsed.success) throw new AccountServiceRejectedError("account service status: unexpected answer");
    return parsed.data;
  }
}

/** Secrets Manager: the secret string is the token, or JSON `{"token": "..."}`. Cached for `ttlMs`. */
export function secretsManagerSecretProvider(
  client: SecretsManagerClient,
  secretId: string,
  ttlMs = 5 * 60_000,
  now: () => number = Date.now,
): SecretProvider {
  let cached: { token: string; until: number } | undefined;
  return {
    async token() {
      if (cached && cached.until > now()) return cached.token;
      let value: string | undefined;
      try {
        value = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
      } catch (err) {
        throw new AccountServiceUnavailableError("account service credentials unavailable", { cause: err });
      }
      if (!value) throw new AccountServiceRejectedError("account service secret is empty");
      let token = value;
      if (value.trim().startsWith("{")) {
        const parsed = z.object({ token: z.string().min(1) }).safeParse(JSON.parse(value));
        if (!parsed.success) throw new AccountServiceRejectedError("account service secret has no token");
        token = parsed.data.token;
      }
      cached = { token, until: now() + ttlMs };
      return token;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
