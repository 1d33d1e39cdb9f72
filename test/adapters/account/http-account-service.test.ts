// HttpAccountService against a real HTTP server on a free port that implements the OpenAPI contract in memory.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  HttpAccountService,
  type SecretProvider,
  secretsManagerSecretProvider,
} from "../../../shared/adapters/http/http-account-service.ts";
import { AccountServiceRejectedError, AccountServiceUnavailableError } from "../../../shared/domain/errors.ts";
import { ADULT, CHILD, GUARDIAN_1 } from "../../fixtures/routine/people.ts";
import { type FakeAccountServer, type SeenRequest, startFakeAccountServer } from "../../support/fake-account-server.ts";

let fake: FakeAccountServer;
let baseUrl: string;
let seen: SeenRequest[];
let validToken = "token-1";

beforeAll(async () => {
  fake = await startFakeAccountServer();
  baseUrl = fake.baseUrl;
  seen = fake.seen;
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  seen.length = 0;
  validToken = "token-1";
  fake.token = validToken;
  fake.failNext = undefined;
});

function rotatingSecrets(): SecretProvider & { reads: number } {
  const p = {
    reads: 0,
    cached: undefined as string | undefined,
    async token() {
      if (!p.cached) {
        p.reads++;
        p.cached = validToken;
      }
      return p.cached;
    },
    invalidate() {
      p.cached = undefined;
    },
  };
  return p;
}

describe("HttpAccountService", () => {
  it("locks and unlocks with the contract's paths, bodies, bearer token and idempotency keys", async () => {
    const svc = new HttpAccountService({ baseUrl, secrets: rotatingSecrets() });
    expect(await svc.lock(ADULT.pnr, "C-1")).toBe("LOCKED");
    expect(await svc.lock(ADULT.pnr, "C-1")).toBe("ALREADY_LOCKED");
    expect(await svc.status(ADULT.pnr)).toEqual({ personnummer: ADULT.pnr, locked: true, blockedGuardians: [] });
    expect(await svc.unlock(ADULT.pnr, "C-2")).toBe("UNLOCKED");
    expect(seen[0]).toEqual({
      path: "/v1/accounts/lock",
      auth: "Bearer token-1",
      key: "C-1:lock",
      body: { personnummer: ADULT.pnr, caseId: "C-1" },
    });
    // The personnummer never goes into a URL.
    for (const s of seen) expect(s.path).not.toMatch(/\d{6}/);
  });

  it("blocks and unblocks a guardian with a per-guardian idempotency key", async () => {
    const svc = new HttpAccountService({ baseUrl, secrets: rotatingSecrets() });
    expect(await svc.blockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-3")).toBe("BLOCKED");
    expect(await svc.blockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-3")).toBe("ALREADY_BLOCKED");
    expect((await svc.status(CHILD.pnr)).blockedGuardians).toEqual([GUARDIAN_1.pnr]);
    expect(await svc.unblockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-4")).toBe("UNBLOCKED");
    expect(seen[0]?.key).toBe(`C-3:block:${GUARDIAN_1.pnr}`);
  });

  it("re-reads a rotated credential once on 401", async () => {
    const secrets = rotatingSecrets();
    const svc = new HttpAccountService({ baseUrl, secrets });
    await svc.unlock(ADULT.pnr, "C-5");
    validToken = "token-2";
    fake.token = validToken;
    expect(await svc.unlock(ADULT.pnr, "C-5")).toBe("ALREADY_UNLOCKED");
    expect(secrets.reads).toBe(2);
    expect(seen.map((s) => s.auth)).toEqual(["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
  });

  it("a credential that stays wrong is a final rejection", async () => {
    const svc = new HttpAccountService({ baseUrl, secrets: { token: async () => "wrong", invalidate: () => {} } });
    await expect(svc.lock(ADULT.pnr, "C-6")).rejects.toBeInstanceOf(AccountServiceRejectedError);
    expect(seen).toHaveLength(2);
  });

  it("5xx and 429 are transient, other 4xx final, a bad answer final", async () => {
    const svc = new HttpAccountService({ baseUrl, secrets: rotatingSecrets() });
    fake.failNext = 503;
    await expect(svc.lock(ADULT.pnr, "C-7")).rejects.toBeInstanceOf(AccountServiceUnavailableError);
    fake.failNext = 429;
    await expect(svc.lock(ADULT.pnr, "C-7")).rejects.toBeInstanceOf(AccountServiceUnavailableError);
    fake.failNext = 400;
    const err = await svc.lock(ADULT.pnr, "C-7").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccountServiceRejectedError);
    expect(String((err as Error).message)).not.toContain(ADULT.pnr);
    const weird = new HttpAccountService({ baseUrl: `${baseUrl}v1/weird#`, secrets: rotatingSecrets() });
    await expect(weird.lock(ADULT.pnr, "C-7")).rejects.toBeInstanceOf(AccountServiceRejectedError);
  });

  it("no answer (connection refused, timeout) is transient", async () => {
    const svc = new HttpAccountService({ baseUrl: "http://127.0.0.1:1", secrets: rotatingSecrets(), timeoutMs: 500 });
    await expect(svc.lock(ADULT.pnr, "C-8")).rejects.toBeInstanceOf(AccountServiceUnavailableError);
  });
});

describe("secretsManagerSecretProvider", () => {
  it("reads the token (plain or JSON), caches it, and re-reads after invalidate", async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: '{"token":"abc"}' }).resolves({ SecretString: "plain" });
    const p = secretsManagerSecretProvider(new SecretsManagerClient({ region: "eu-north-1" }), "lockdesk/account");
    expect(await p.token()).toBe("abc");
    expect(await p.token()).toBe("abc");
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: "lockdesk/account" });
    p.invalidate();
    expect(await p.token()).toBe("plain");
    sm.restore();
  });

  it("an unreachable Secrets Manager is transient", async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).rejects(new Error("timeout"));
    const p = secretsManagerSecretProvider(new SecretsManagerClient({ region: "eu-north-1" }), "x");
    await expect(p.token()).rejects.toBeInstanceOf(AccountServiceUnavailableError);
    sm.restore();
  });
});
