// The local stack with the production registry adapters: `startStack({ registryHttp: true })` serves the persons CSV
// from the fake HTTP registry (with a required credential) and ValidateCase composes HttpPersonRegistry from
// PERSON_REGISTRY_URL; the approved-caregivers list is the DynamoCaregiverList on the reference table, seeded from
// --caregivers at start and changed by an admin through the API. Real emulators, THE ASL, the real handlers, OCR.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_USER, type Stack, startStack } from "../../local/stack.ts";
import { caregiverListVersion } from "../../shared/adapters/local/csv-caregiver-list.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import { dropIntoInbox, EXPECTED_STATUS, ROOT, SCANS, sampleClock, subjectOf, truth } from "./helpers.ts";

const REGISTRY = join(ROOT, "test/fixtures/registry");
const PERSONS = join(REGISTRY, "persons.csv");
const CAREGIVERS = join(REGISTRY, "approved-caregivers.csv");
const SEEDED = caregiverListVersion(readFileSync(CAREGIVERS, "utf8"));
// Region Stockholm (a public organisation number) vidimates sample-15, which the seeded list does not approve.
const ADMIN_CSV = `${readFileSync(CAREGIVERS, "utf8").trimEnd()}\nRegion Stockholm,232100-0016\n`;
const ADMIN_VERSION = caregiverListVersion(ADMIN_CSV);

const FIRST = ["sample-03", "sample-18"]; // typed EXECUTE (1177-VG LOCK) and NAME_MISMATCH → REVIEW
const LATER = "sample-15"; // RETURN CAREGIVER_NOT_APPROVED under the seeded list

const work = mkdtempSync(join(tmpdir(), "lockdesk-registry-http-"));
const dataDir = join(work, "data");
const inbox = join(work, "inbox");
let stack: Stack | undefined;

function boot(): Promise<Stack> {
  return startStack({
    repoRoot: ROOT,
    dataDir,
    inbox,
    persons: PERSONS,
    caregivers: CAREGIVERS,
    apiPort: 0,
    registryHttp: true,
    concurrency: 2,
    now: sampleClock(),
    log: (l) => process.stdout.write(`  [stack] ${l}\n`),
  });
}

function running(): Stack {
  if (!stack) throw new Error("stack not started");
  return stack;
}

async function caseOf(file: string): Promise<CaseRecord> {
  const c = (await running().cases.listAll()).find((x) => x.scan?.fileName === file);
  if (!c) throw new Error(`no case for ${file}`);
  return c;
}

async function api(method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(`${running().apiUrl}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  mkdirSync(inbox, { recursive: true });
  stack = await boot();
  dropIntoInbox(inbox, FIRST);
  await stack.idle();
}, 1_200_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("local stack, HTTP registry mode", () => {
  it("seeds the reference table from --caregivers as the system user", async () => {
    const history = await running().caregivers.history();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ version: SEEDED, previousVersion: null, uploadedBy: SEED_USER, count: 8 });
    expect((await running().caregivers.current()).version).toBe(SEEDED);
  });

  it.each(FIRST)("%s is decided as its ground truth through the HTTP registry", async (id) => {
    const t = truth(id);
    const c = await caseOf(t.file);
    expect({ status: c.status, decision: c.decision, reasons: c.reasons }).toEqual({
      status: EXPECTED_STATUS[t.decision],
      decision: t.decision,
      reasons: t.reasons,
    });
    expect(c.registry?.found).toBe(true);
    expect(c.caregiverListVersion).toBe(SEEDED);
    // The fake registry (credential required) was asked for this subject: the CSV was not used.
    expect(running().registry?.requests).toContain(`/persons/${subjectOf(t)}`);
  });

  it("an admin's published list (PUT via the API) is the one a later case is validated against", async () => {
    const login = await api("POST", "/api/dev-login", null, { userId: "admin", password: "admin-dev" });
    expect(login.status).toBe(200);
    const token = String(login.json.token);
    const put = await api("PUT", "/api/admin/caregivers", token, { csv: ADMIN_CSV });
    expect(put).toEqual({ status: 200, json: { version: ADMIN_VERSION, count: 9, changed: true } });
    expect((await api("GET", "/api/admin/caregivers", token, undefined)).json.version).toBe(ADMIN_VERSION);

    const t = truth(LATER);
    expect(t.reasons).toEqual(["CAREGIVER_NOT_APPROVED"]);
    copyFileSync(join(SCANS, `${LATER}.json`), join(inbox, `${LATER}.json`));
    copyFileSync(join(SCANS, t.file), join(inbox, t.file));
    await running().idle();

    const c = await caseOf(t.file);
    expect(c.caregiverListVersion).toBe(ADMIN_VERSION);
    // Its only reason under the seeded list was the caregiver; the admin's list approves it.
    expect({ status: c.status, decision: c.decision, reasons: c.reasons }).toEqual({
      status: "EXECUTED",
      decision: "EXECUTE",
      reasons: [],
    });
    expect(running().registry?.requests).toContain(`/persons/${subjectOf(t)}`);
    // Earlier cases keep the version they were checked against.
    expect((await caseOf(truth("sample-03").file)).caregiverListVersion).toBe(SEEDED);
  });

  it("a restart with the same --caregivers publishes nothing and keeps the admin's list current", async () => {
    await running().stop();
    stack = undefined;
    stack = await boot();
    const history = await running().caregivers.history();
    expect(history.map((h) => h.version)).toEqual([ADMIN_VERSION, SEEDED]);
    expect((await running().caregivers.current()).version).toBe(ADMIN_VERSION);
  });
});
