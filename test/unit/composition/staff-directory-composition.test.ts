// ValidateCase's staff directory, chosen by the environment: HttpStaffDirectory (credential from Secrets Manager)
// for STAFF_DIRECTORY_URL, the staff.csv at STAFF_KEY in the reference bucket, or none (today's rules). No network:
// Secrets Manager is aws-sdk-client-mock, fetch a recording function, the bucket an in-memory ScanStore.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { HttpStaffDirectory } from "../../../shared/adapters/http/http-staff-directory.ts";
import { referenceData } from "../../../shared/composition/aws.ts";
import { parseEnv } from "../../../shared/config/env.ts";
import { StaffDirectoryUnavailableError, ValidationError } from "../../../shared/domain/errors.ts";
import type { ScanStore, StoredScan } from "../../../shared/ports/scan-store.ts";

const STAFF_CSV = readFileSync(join(import.meta.dirname, "../../fixtures/registry/staff.csv"), "utf8");
const BASE = { CASES_TABLE: "cases", AWS_REGION: "eu-north-1", REFERENCE_BUCKET: "ref" };

class BucketStore implements ScanStore {
  failing = false;
  constructor(private readonly objects: Record<string, string>) {}
  async get(bucket: string, key: string): Promise<StoredScan> {
    const text = this.objects[`${bucket}/${key}`];
    if (this.failing || text === undefined) throw new Error("SlowDown");
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

const smMock = mockClient(SecretsManagerClient);
afterEach(() => smMock.reset());

describe("staff directory composition", () => {
  it("none configured: no directory (today's rules stand)", () => {
    expect(referenceData(parseEnv(BASE), new BucketStore({})).staff).toBeUndefined();
  });

  it("STAFF_KEY: the staff.csv in the reference bucket, loaded on first use; a failed load is an outage, retried", async () => {
    const scans = new BucketStore({ "ref/reference/staff.csv": STAFF_CSV });
    scans.failing = true;
    const staff = referenceData(parseEnv({ ...BASE, STAFF_KEY: "reference/staff.csv" }), scans).staff;
    await expect(staff?.findByVgrId("evali12")).rejects.toBeInstanceOf(StaffDirectoryUnavailableError);
    scans.failing = false;
    expect((await staff?.findByVgrId("evali12"))?.name).toBe("Eva Lind");
  });

  it("STAFF_DIRECTORY_URL: HttpStaffDirectory with the credential from Secrets Manager", async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ key: "k3y" }) });
    const seen: Array<{ url: string; auth: string | null }> = [];
    const fetchFn = (async (url: string, init?: RequestInit) => {
      seen.push({ url, auth: new Headers(init?.headers).get("x-api-key") });
      return new Response(null, { status: 404 });
    }) as typeof fetch;
    const env = parseEnv({
      ...BASE,
      STAFF_DIRECTORY_URL: "https://hsa.example.se/v1",
      STAFF_DIRECTORY_SECRET_ID: "hsa-secret",
      STAFF_DIRECTORY_SECRET_JSON_KEY: "key",
      STAFF_DIRECTORY_AUTH: "api-key",
    });
    const staff = referenceData(env, new BucketStore({}), {
      secrets: new SecretsManagerClient({ region: "eu-north-1" }),
      fetch: fetchFn,
    }).staff;
    expect(staff).toBeInstanceOf(HttpStaffDirectory);
    expect(await staff?.findByVgrId("evali12")).toBeNull();
    expect(seen).toEqual([{ url: "https://hsa.example.se/v1/staff/evali12", auth: "k3y" }]);
  });

  it("an http URL off loopback, or a URL without its secret, is a named environment error", () => {
    expect(() =>
      parseEnv({ ...BASE, STAFF_DIRECTORY_URL: "http://hsa.example.se", STAFF_DIRECTORY_SECRET_ID: "s" }),
    ).toThrow(ValidationError);
    expect(() => parseEnv({ ...BASE, STAFF_DIRECTORY_URL: "https://hsa.example.se" })).toThrow(
      "invalid environment: STAFF_DIRECTORY_SECRET_ID",
    );
    expect(() =>
      parseEnv({
        ...BASE,
        STAFF_DIRECTORY_URL: "https://hsa.example.se",
        STAFF_DIRECTORY_TOKEN: "t",
        STAFF_DIRECTORY_SECRET_ID: "s",
      }),
    ).toThrow("STAFF_DIRECTORY_TOKEN");
  });
});
