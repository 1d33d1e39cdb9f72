// The ValidateCase composition root picks its registry and caregiver list from the environment: the HTTP registry
// (credential from Secrets Manager) when PERSON_REGISTRY_URL is set, the DynamoDB caregiver list (with the
// reference-bucket CSV as fallback) when REFERENCE_TABLE is set, the CSVs otherwise. No network: Secrets Manager
// and DynamoDB are aws-sdk-client-mock, fetch is a recording function, the bucket an in-memory ScanStore.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { DynamoCaregiverList } from "../../../shared/adapters/aws/dynamo-caregiver-list.ts";
import { HttpPersonRegistry } from "../../../shared/adapters/http/http-person-registry.ts";
import { caregiverListVersion } from "../../../shared/adapters/local/csv-caregiver-list.ts";
import { optionalPersonRegistry, referenceData } from "../../../shared/composition/aws.ts";
import { parseEnv } from "../../../shared/config/env.ts";
import { PersonRegistryUnavailableError, RegistryDataError, ValidationError } from "../../../shared/domain/errors.ts";
import type { ScanStore, StoredScan } from "../../../shared/ports/scan-store.ts";

const REGISTRY = join(import.meta.dirname, "../../fixtures/registry");
const PERSONS_CSV = readFileSync(join(REGISTRY, "persons.csv"), "utf8");
const CAREGIVERS_CSV = readFileSync(join(REGISTRY, "approved-caregivers.csv"), "utf8");
const PNR = "193405128350"; // Skatteverket test number, in the fixture registry (Östen Måns Nordström)

class BucketStore implements ScanStore {
  readonly gets: string[] = [];
  constructor(private readonly objects: Record<string, string>) {}
  async get(bucket: string, key: string): Promise<StoredScan> {
    this.gets.push(`${bucket}/${key}`);
    const text = this.objects[`${bucket}/${key}`];
    if (text === undefined) throw new Error("NoSuchKey");
    return { bytes: new TextEncoder().encode(text), metadata: {} };
  }
  async put(): Promise<void> {}
  async delete(): Promise<void> {}
  async list(): Promise<string[]> {
    return [];
  }
  async exists(): Promise<boolean> {
    return false;
  }
}

function bucket(): BucketStore {
  return new BucketStore({
    "ref/reference/persons.csv": PERSONS_CSV,
    "ref/reference/approved-caregivers.csv": CAREGIVERS_CSV,
  });
}

const BASE = { CASES_TABLE: "cases", AWS_REGION: "eu-north-1", REFERENCE_BUCKET: "ref" };

const ddbMock = mockClient(DynamoDBDocumentClient);
const smMock = mockClient(SecretsManagerClient);
afterEach(() => {
  ddbMock.reset();
  smMock.reset();
});

function doc(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-north-1" }));
}

interface Seen {
  url: string;
  headers: Record<string, string>;
}

function recordingFetch(seen: Seen[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) } });
    const person = {
      personnummer: PNR,
      givenNames: ["Östen", "Måns"],
      surname: "Nordström",
      protectedIdentity: false,
      guardians: [],
    };
    return new Response(JSON.stringify(person), { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}

describe("referenceData: CSV mode (no PERSON_REGISTRY_URL, no REFERENCE_TABLE)", () => {
  it("reads the registry and the caregiver list from the reference bucket, each once", async () => {
    const store = bucket();
    const { registry, caregivers } = referenceData(parseEnv(BASE), store);
    expect(registry).not.toBeInstanceOf(HttpPersonRegistry);
    expect(caregivers).not.toBeInstanceOf(DynamoCaregiverList);
    expect((await registry.findByPersonnummer(PNR))?.surname).toBe("Nordström");
    expect(await registry.findByPersonnummer("190001010000")).toBeNull();
    const list = await caregivers.current();
    expect(list.version).toBe(caregiverListVersion(CAREGIVERS_CSV));
    expect(list.names).toContain("Hälsokällan Vårdcentral AB");
    await caregivers.current();
    expect(store.gets.sort()).toEqual(["ref/reference/approved-caregivers.csv", "ref/reference/persons.csv"]);
  });

  it("fails fast without REFERENCE_BUCKET, and a missing object is a retryable unavailability", async () => {
    expect(() => referenceData(parseEnv({ CASES_TABLE: "cases" }), bucket())).toThrow(ValidationError);
    const { registry } = referenceData(parseEnv(BASE), new BucketStore({}));
    await expect(registry.findByPersonnummer(PNR)).rejects.toBeInstanceOf(PersonRegistryUnavailableError);
  });
});

describe("referenceData: REFERENCE_TABLE", () => {
  it("uses the published list, and the bucket CSV until something is published", async () => {
    const env = parseEnv({ ...BASE, REFERENCE_TABLE: "reference" });
    const { caregivers } = referenceData(env, bucket(), { doc: doc() });
    expect(caregivers).toBeInstanceOf(DynamoCaregiverList);

    ddbMock.on(GetCommand).resolves({});
    expect((await caregivers.current()).version).toBe(caregiverListVersion(CAREGIVERS_CSV));
    const asked = ddbMock.commandCalls(GetCommand)[0]?.args[0].input;
    expect(asked).toMatchObject({ TableName: "reference", Key: { pk: "caregivers", sk: "current" } });

    ddbMock
      .on(GetCommand, { Key: { pk: "caregivers", sk: "current" } })
      .resolves({ Item: { pk: "caregivers", sk: "current", version: "abc123abc123", seq: 2 } })
      .on(GetCommand, { Key: { pk: "caregivers", sk: "version#abc123abc123" } })
      .resolves({ Item: { version: "abc123abc123", names: ["Ny Vårdcentral AB"] } });
    expect(await caregivers.current()).toEqual({ version: "abc123abc123", names: ["Ny Vårdcentral AB"] });
  });

  it("without a reference bucket has no fallback: nothing published is a RegistryDataError", async () => {
    const env = parseEnv({
      CASES_TABLE: "cases",
      REFERENCE_TABLE: "reference",
      PERSON_REGISTRY_URL: "https://registry.example.se/v1",
      PERSON_REGISTRY_SECRET_ID: "lockdesk/person-registry",
    });
    const { caregivers } = referenceData(env, new BucketStore({}), {
      doc: doc(),
      secrets: new SecretsManagerClient({}),
    });
    ddbMock.on(GetCommand).resolves({});
    await expect(caregivers.current()).rejects.toBeInstanceOf(RegistryDataError);
  });
});

describe("referenceData: PERSON_REGISTRY_URL", () => {
  it("asks the HTTP registry with the Secrets Manager credential (bearer), never the bucket", async () => {
    smMock.on(GetSecretValueCommand, { SecretId: "lockdesk/person-registry" }).resolves({ SecretString: "s3cr3t" });
    const seen: Seen[] = [];
    const store = bucket();
    const env = parseEnv({
      ...BASE,
      PERSON_REGISTRY_URL: "https://registry.example.se/v1/",
      PERSON_REGISTRY_SECRET_ID: "lockdesk/person-registry",
    });
    const { registry } = referenceData(env, store, {
      secrets: new SecretsManagerClient({ region: "eu-north-1" }),
      fetch: recordingFetch(seen),
    });
    expect(registry).toBeInstanceOf(HttpPersonRegistry);
    expect((await registry.findByPersonnummer(PNR))?.givenNames).toEqual(["Östen", "Måns"]);
    expect(seen).toEqual([
      {
        url: `https://registry.example.se/v1/persons/${PNR}`,
        headers: expect.objectContaining({ authorization: "Bearer s3cr3t" }),
      },
    ]);
    expect(store.gets).toEqual([]);
    expect(smMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("takes a JSON key of the secret and sends it as x-api-key when PERSON_REGISTRY_AUTH=api-key", async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ apiKey: "k-123" }) });
    const seen: Seen[] = [];
    const env = parseEnv({
      ...BASE,
      PERSON_REGISTRY_URL: "https://registry.example.se",
      PERSON_REGISTRY_SECRET_ID: "arn:aws:secretsmanager:eu-north-1:123456789012:secret:reg",
      PERSON_REGISTRY_SECRET_JSON_KEY: "apiKey",
      PERSON_REGISTRY_AUTH: "api-key",
    });
    const { registry } = referenceData(env, bucket(), {
      secrets: new SecretsManagerClient({}),
      fetch: recordingFetch(seen),
    });
    await registry.findByPersonnummer(PNR);
    expect(seen[0]?.headers["x-api-key"]).toBe("k-123");
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it("applies PERSON_REGISTRY_TIMEOUT_MS: a registry that does not answer is unavailable (retried), not a decision", async () => {
    const env = parseEnv({
      ...BASE,
      PERSON_REGISTRY_URL: "http://127.0.0.1:9/",
      PERSON_REGISTRY_TOKEN: "local-token",
      PERSON_REGISTRY_TIMEOUT_MS: "150",
    });
    const hanging = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof fetch;
    const { registry } = referenceData(env, bucket(), { fetch: hanging });
    const started = Date.now();
    await expect(registry.findByPersonnummer(PNR)).rejects.toThrow(/within 150 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("sends the loopback token of the local stack", async () => {
    const seen: Seen[] = [];
    const env = parseEnv({ ...BASE, PERSON_REGISTRY_URL: "http://127.0.0.1:4010", PERSON_REGISTRY_TOKEN: "tok" });
    const { registry } = referenceData(env, bucket(), { fetch: recordingFetch(seen) });
    await registry.findByPersonnummer(PNR);
    expect(seen[0]?.headers.authorization).toBe("Bearer tok");
    expect(smMock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});

describe("parseEnv: registry variables", () => {
  const bad = (vars: Record<string, string>): string => {
    try {
      parseEnv({ ...BASE, ...vars });
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as Error).message;
    }
    throw new Error("expected parseEnv to fail");
  };

  it("needs a secret with the URL, https off loopback, and a literal token only on loopback", () => {
    expect(bad({ PERSON_REGISTRY_URL: "https://registry.example.se" })).toContain("PERSON_REGISTRY_SECRET_ID");
    expect(bad({ PERSON_REGISTRY_URL: "http://registry.example.se", PERSON_REGISTRY_SECRET_ID: "s" })).toContain(
      "PERSON_REGISTRY_URL",
    );
    expect(bad({ PERSON_REGISTRY_URL: "https://registry.example.se", PERSON_REGISTRY_TOKEN: "t" })).toContain(
      "PERSON_REGISTRY_TOKEN",
    );
    expect(bad({ PERSON_REGISTRY_TIMEOUT_MS: "soon" })).toContain("PERSON_REGISTRY_TIMEOUT_MS");
  });

  it("defaults: bearer auth, 3000 ms, no table", () => {
    const env = parseEnv(BASE);
    expect(env.PERSON_REGISTRY_AUTH).toBe("bearer");
    expect(env.PERSON_REGISTRY_TIMEOUT_MS).toBe(3000);
    expect(env.REFERENCE_TABLE).toBeUndefined();
    expect(env.PERSON_REGISTRY_URL).toBeUndefined();
  });
});

describe("optionalPersonRegistry (SendMail: the citizen's postal address for a letter)", () => {
  it("no registry in the environment: none (the letter says 'adress saknas')", () => {
    const { REFERENCE_BUCKET: _none, ...noBucket } = BASE;
    expect(optionalPersonRegistry(parseEnv(noBucket), bucket())).toBeUndefined();
  });

  it("the registry extract in the reference bucket, read on first use only, no caregiver list needed", async () => {
    const store = bucket();
    const registry = optionalPersonRegistry(parseEnv(BASE), store);
    expect(store.gets).toEqual([]);
    expect((await registry?.findByPersonnummer(PNR))?.surname).toBe("Nordström");
    expect(store.gets).toEqual(["ref/reference/persons.csv"]);
  });

  it("the HTTP registry when PERSON_REGISTRY_URL is set", () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: "tok" });
    const env = parseEnv({
      ...BASE,
      PERSON_REGISTRY_URL: "https://registry.example.se",
      PERSON_REGISTRY_SECRET_ID: "s",
    });
    expect(optionalPersonRegistry(env, bucket(), { secrets: new SecretsManagerClient({}) })).toBeInstanceOf(
      HttpPersonRegistry,
    );
  });
});
