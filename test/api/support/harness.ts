// Builds the API over in-memory adapters with seeded cases, a dev login with test users, a recording
// resumer and a fake upload signer. Personnummer come from Skatteverket's test list (test/fixtures/api).
import { readFileSync } from "node:fs";
import type { ApiRequest, ApiResponse } from "../../../functions/api/http.ts";
import { type ApiDeps, handleRequest } from "../../../functions/api/router.ts";
import { scanToImage } from "../../../functions/api/scan-image.ts";
import { CsvPersonRegistry } from "../../../shared/adapters/local/csv-person-registry.ts";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import { createDevLogin, type DevLogin } from "../../../shared/auth/dev-login.ts";
import { hashPassword, type UsersConfig } from "../../../shared/auth/users.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import type { Action, FieldReading, FormCode, ReasonCode } from "../../../shared/domain/forms.ts";
import type { UploadSigner } from "../../../shared/use-cases/intake.ts";
import { fixedClock as clockAt, MemoryScanStore } from "../../support/fakes.ts";
import { MemoryAuditLog } from "./memory-audit-log.ts";
import { MemoryCaregiverList } from "./memory-caregiver-list.ts";

export const FIXTURES = new URL("../../fixtures/api/", import.meta.url);
export const SCAN_PNG = new Uint8Array(readFileSync(new URL("sample-18-150dpi.png", FIXTURES)));
const nameMismatch = JSON.parse(readFileSync(new URL("name-mismatch-case.json", FIXTURES), "utf8")) as {
  receivedDate: string;
  formCode: FormCode;
  action: Action;
  fields: Record<string, FieldReading>;
};

/** From shared/data/testpersonnummer.txt of the contract folder (Skatteverket's test numbers). */
export const PNR = { saga: "200301092383", other: "200301012399", child: "200301032397" } as const;

export const PASSWORDS: Record<string, string> = {
  post: "post-test",
  anna: "anna-test",
  bertil: "bertil-test",
  admin: "admin-test",
};

export const BUCKET = "lockdesk-scans";

export function testUsers(): UsersConfig {
  return {
    users: [
      {
        userId: "post",
        displayName: "Post Rum",
        groups: ["mailroom"],
        passwordHash: hashPassword(PASSWORDS.post ?? ""),
      },
      { userId: "anna", displayName: "Anna H", groups: ["handler"], passwordHash: hashPassword(PASSWORDS.anna ?? "") },
      {
        userId: "bertil",
        displayName: "Bertil H",
        groups: ["handler"],
        passwordHash: hashPassword(PASSWORDS.bertil ?? ""),
      },
      { userId: "admin", displayName: "Admin A", groups: ["admin"], passwordHash: hashPassword(PASSWORDS.admin ?? "") },
    ],
  };
}

export const fixedClock = (iso = "2025-03-24T09:00:00.000Z") => clockAt(iso);

export function makeCase(overrides: Partial<CaseRecord> & { caseId: string }): CaseRecord {
  const at = overrides.receivedAt ?? "2025-03-24T07:00:00.000Z";
  return {
    version: 3,
    status: "IN_REVIEW",
    receivedAt: at,
    receivedDate: at.slice(0, 10),
    formCode: "1177-EGEN",
    formVersion: "v1",
    action: "LOCK",
    fields: {},
    corrections: {},
    decision: "REVIEW",
    reasons: [],
    history: [{ at, by: "RegisterCase", what: "registered" }],
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** The NAME_MISMATCH case of sample-18: the surname was read as "Holm", the registry says "Nilsson". */
export function nameMismatchCase(caseId = "case-name-mismatch"): CaseRecord {
  return makeCase({
    caseId,
    receivedAt: `${nameMismatch.receivedDate}T08:15:00.000Z`,
    receivedDate: nameMismatch.receivedDate,
    formCode: nameMismatch.formCode,
    action: nameMismatch.action,
    fields: nameMismatch.fields,
    reasons: ["NAME_MISMATCH"] as ReasonCode[],
    subjectPersonnummer: PNR.saga,
    registry: { found: true, nameMatches: false, protectedIdentity: false, checkedAt: "2025-03-24T08:16:00.000Z" },
    scan: { bucket: BUCKET, key: "incoming/2025-03-24/sample-18.png", fileName: "sample-18.png" },
  });
}

export class RecordingSigner implements UploadSigner {
  calls: Array<Parameters<UploadSigner["presignPost"]>[0]> = [];
  links: Array<Parameters<UploadSigner["presignGet"]>[0]> = [];
  constructor(private readonly base = "http://127.0.0.1:4569") {}
  async presignPost(input: Parameters<UploadSigner["presignPost"]>[0]) {
    this.calls.push(input);
    return { url: `${this.base}/${input.bucket}/`, fields: { key: input.key, "x-amz-signature": "test" } };
  }
  async presignGet(input: Parameters<UploadSigner["presignGet"]>[0]) {
    this.links.push(input);
    return `${this.base}/${input.bucket}/${input.key}?X-Amz-Signature=test`;
  }
}

export interface Harness {
  deps: ApiDeps;
  cases: MemoryCaseStore;
  audit: MemoryAuditLog;
  scans: MemoryScanStore;
  clock: ReturnType<typeof fixedClock>;
  resumed: string[];
  caregivers: MemoryCaregiverList;
  signer: RecordingSigner;
  devLogin: DevLogin;
  tokens: { mailroom: string; handler: string; handler2: string; admin: string };
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; rawBody?: string; cookie?: string },
    // biome-ignore lint/suspicious/noExplicitAny: each test reads the response body ad hoc and asserts the shape it needs
  ): Promise<ApiResponse & { json: any }>;
}

export async function createHarness(opts: { signer?: RecordingSigner } = {}): Promise<Harness> {
  const cases = new MemoryCaseStore();
  const audit = new MemoryAuditLog();
  const scans = new MemoryScanStore();
  const clock = fixedClock();
  const resumed: string[] = [];
  const signer = opts.signer ?? new RecordingSigner();
  const devLogin = await createDevLogin(testUsers());
  const caregivers = new MemoryCaregiverList(() => clock.now());
  await caregivers.publish(
    readFileSync(new URL("../registry/approved-caregivers.csv", FIXTURES), "utf8"),
    "user:admin",
  );
  const deps: ApiDeps = {
    cases,
    audit,
    scans,
    clock,
    resumer: async (caseId) => void resumed.push(caseId),
    verifier: devLogin.verifier,
    signer,
    intake: { bucket: BUCKET, prefix: "incoming/" },
    scanToImage,
    devLogin,
    caregivers,
    persons: new CsvPersonRegistry(readFileSync(new URL("../registry/persons.csv", FIXTURES), "utf8")),
    displayNames: Object.fromEntries(testUsers().users.map((u) => [u.userId, u.displayName])),
    logger: { error: () => undefined, warn: () => undefined },
  };
  await seed(cases, scans);
  const tokens = {
    mailroom: await devLogin.issue("post"),
    handler: await devLogin.issue("anna"),
    handler2: await devLogin.issue("bertil"),
    admin: await devLogin.issue("admin"),
  };
  return {
    deps,
    cases,
    audit,
    scans,
    clock,
    resumed,
    caregivers,
    signer,
    devLogin,
    tokens,
    async call(method, path, o = {}) {
      const url = new URL(path, "http://x");
      const headers: Record<string, string> = {};
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      if (o.cookie) headers.cookie = o.cookie;
      const req: ApiRequest = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        ...(o.rawBody !== undefined
          ? { body: o.rawBody }
          : o.body !== undefined
            ? { body: JSON.stringify(o.body) }
            : {}),
      };
      const res = await handleRequest(req, deps);
      const isJson = (res.headers["content-type"] ?? "").startsWith("application/json");
      return { ...res, json: isJson && typeof res.body === "string" ? JSON.parse(res.body) : undefined };
    },
  };
}

export async function seed(cases: MemoryCaseStore, scans: MemoryScanStore): Promise<void> {
  const nm = nameMismatchCase();
  await cases.create(nm);
  if (nm.scan)
    await scans.put(nm.scan.bucket, nm.scan.key, SCAN_PNG, { "received-date": nm.receivedDate }, "image/png");
  // An earlier, finished case of the same person (for "earlier cases").
  await cases.create(
    makeCase({
      caseId: "case-earlier",
      status: "EXECUTED",
      decision: "EXECUTE",
      receivedAt: "2025-01-10T08:00:00.000Z",
      subjectPersonnummer: PNR.saga,
      scan: { bucket: BUCKET, key: "incoming/2025-01-10/old.png", fileName: "old.png" },
    }),
  );
  await cases.create(
    makeCase({
      caseId: "case-phone",
      receivedAt: "2025-03-21T08:00:00.000Z",
      formCode: "1177-VG",
      reasons: ["PHONE_VERIFICATION"],
      subjectPersonnummer: PNR.other,
      fields: {
        "requester.vgrId": { value: "", confidence: 0.9 },
        "citizen.personnummer": { value: PNR.other, confidence: 0.99 },
      },
      scan: { bucket: BUCKET, key: "incoming/2025-03-21/phone.png", fileName: "phone.png" },
    }),
  );
  await cases.create(
    makeCase({
      caseId: "case-failed",
      status: "FAILED",
      decision: null,
      receivedAt: "2025-03-24T06:00:00.000Z",
      failure: { error: "UnreadableScanError", cause: "file is empty", at: "2025-03-24T06:00:01.000Z" },
      scan: { bucket: BUCKET, key: "incoming/2025-03-24/empty.png", fileName: "empty.png" },
    }),
  );
}
