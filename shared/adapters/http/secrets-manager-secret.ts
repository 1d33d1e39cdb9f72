// A SecretProvider backed by AWS Secrets Manager, cached per container so a warm Lambda does not call
// Secrets Manager per case. A 401 from the registry asks for `refresh` (the secret may have been rotated).
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PersonRegistryAuthError, PersonRegistryUnavailableError } from "../../domain/errors.ts";
import type { SecretProvider } from "./http-person-registry.ts";

export interface SecretsManagerSecretOptions {
  /** When the secret string is JSON, the key holding the credential (e.g. "apiKey"). */
  jsonKey?: string;
  /** Default 5 minutes. */
  ttlMs?: number;
  now?: () => number;
}

export class SecretsManagerSecret {
  private cached: { value: string; expires: number } | null = null;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly options: SecretsManagerSecretOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async get(options?: { refresh?: boolean }): Promise<string> {
    if (!options?.refresh && this.cached && this.cached.expires > this.now()) return this.cached.value;
    let secretString: string | undefined;
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      secretString = out.SecretString;
    } catch (e) {
      // Missing secret or no permission is a configuration fault, not worth retrying.
      const name = e instanceof Error ? e.name : "";
      if (name === "AccessDeniedException" || name === "ResourceNotFoundException") {
        throw new PersonRegistryAuthError(`could not read the person registry credential (${name})`, { cause: e });
      }
      throw new PersonRegistryUnavailableError("could not read the person registry credential", { cause: e });
    }
    const value = this.extract(secretString);
    this.cached = { value, expires: this.now() + this.ttlMs };
    return value;
  }

  /** The provider function HttpPersonRegistry takes. */
  provider(): SecretProvider {
    return (options) => this.get(options);
  }

  private extract(secretString: string | undefined): string {
    if (!secretString) throw new PersonRegistryAuthError("person registry secret has no string value");
    const key = this.options.jsonKey;
    if (!key) return secretString;
    let parsed: unknown;
    try {
      parsed = JSON.parse(secretString);
    } catch {
      throw new PersonRegistryAuthError("person registry secret is not JSON");
    }
    const v = (parsed as Record<string, unknown> | null)?.[key];
    if (typeof v !== "string" || !v) throw new PersonRegistryAuthError(`person registry secret lacks key ${key}`);
    return v;
  }
}
