import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { SecretsManagerSecret } from "../../../shared/adapters/http/secrets-manager-secret.ts";
import { PersonRegistryAuthError, PersonRegistryUnavailableError } from "../../../shared/domain/errors.ts";

const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());

describe("SecretsManagerSecret", () => {
  it("reads the secret once and caches it for the TTL; refresh bypasses the cache", async () => {
    sm.on(GetSecretValueCommand, { SecretId: "registry" }).resolves({ SecretString: "tok-1" });
    let now = 0;
    const secret = new SecretsManagerSecret(new SecretsManagerClient({}), "registry", { ttlMs: 1000, now: () => now });
    const provider = secret.provider();
    expect(await provider()).toBe("tok-1");
    expect(await provider()).toBe("tok-1");
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(await provider({ refresh: true })).toBe("tok-1");
    now = 2000;
    await provider();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });

  it("picks a key out of a JSON secret", async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ apiKey: "k-9", other: "x" }) });
    const secret = new SecretsManagerSecret(new SecretsManagerClient({}), "registry", { jsonKey: "apiKey" });
    expect(await secret.get()).toBe("k-9");
  });

  it("maps failures to named errors", async () => {
    const client = new SecretsManagerClient({});
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error("throttled"), { name: "ThrottlingException" }));
    await expect(new SecretsManagerSecret(client, "r").get()).rejects.toBeInstanceOf(PersonRegistryUnavailableError);
    sm.reset();
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    await expect(new SecretsManagerSecret(client, "r").get()).rejects.toBeInstanceOf(PersonRegistryAuthError);
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: "{}" });
    await expect(new SecretsManagerSecret(client, "r", { jsonKey: "apiKey" }).get()).rejects.toBeInstanceOf(
      PersonRegistryAuthError,
    );
  });
});
