// ValidateCase with the rules on earlier papers: DUPLICATE_SCAN (same bytes or same content, settled by the case
// store's claim when identical scans race), LATER_CASE_EXISTS, and a claimed receipt date before the vouching date.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { CsvCaregiverList } from "../../../shared/adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../../../shared/adapters/local/csv-person-registry.ts";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import type { FieldReading } from "../../../shared/domain/forms.ts";
import type { CaregiverList, PersonRegistry } from "../../../shared/ports/person-registry.ts";
import {
  type ValidateFormInput,
  type ValidateFormOutcome,
  validateCase,
} from "../../../shared/use-cases/validate-case.ts";
import { validateForm } from "../../../shared/use-cases/validate-form.ts";
import { caseRecord, TEST_PNR } from "../../fixtures/pipeline-cases.ts";
import { CAREGIVERS_CSV, REGISTRY_CSV } from "../domain/forms-fixture.ts";
import { fixedClock, silentLogger } from "./fakes.ts";

const SCANS_DIR = join(import.meta.dirname, "../../fixtures/scans");
const registry: PersonRegistry = { findByPersonnummer: async () => null };
const caregivers: CaregiverList = { current: async () => ({ version: "v1", names: [] }) };
const f = (value: string | boolean): FieldReading => ({ value, confidence: 0.95 });

function paper(over: Partial<CaseRecord> = {}, fields: Record<string, string | boolean> = {}): CaseRecord {
  const written: Record<string, string | boolean> = {
    "citizen.personnummer": TEST_PNR.adultA,
    "verifier.vgrId": "ANNSV12",
    "verifier.name": "Anna Svensson",
    "verifier.date": "2025-03-14",
    ...fields,
  };
  return caseRecord({
    status: "READ",
    formCode: "1177-EGEN",
    formVersion: "v1",
    action: "LOCK",
    fields: Object.fromEntries(Object.entries(written).map(([k, v]) => [k, f(v)])),
    ...over,
  });
}

describe("validateCase: earlier papers", () => {
  let cases: MemoryCaseStore;
  let inputs: ValidateFormInput[];
  const execute: ValidateFormOutcome = {
    decision: "EXECUTE",
    reasons: [],
    subjectPersonnummer: TEST_PNR.adultA,
    registry: { found: true, protectedIdentity: false, nameMatches: true },
  };
  const deps = (outcome: ValidateFormOutcome = execute) => ({
    cases,
    registry,
    caregivers,
    clock: fixedClock(),
    logger: silentLogger,
    validate: async (input: ValidateFormInput) => {
      inputs.push(input);
      return outcome;
    },
  });
  const validate = async (r: CaseRecord, outcome?: ValidateFormOutcome) =>
    (await validateCase({ caseId: r.caseId }, deps(outcome))).route;
  const stored = async (r: CaseRecord) => (await cases.get(r.caseId)) as CaseRecord;

  beforeEach(() => {
    cases = new MemoryCaseStore();
    inputs = [];
  });

  it("the same bytes scanned three times, validated at the same moment: one EXECUTE, two DUPLICATE_SCAN", async () => {
    const scans = ["a", "b", "c"].map((n) =>
      paper({
        scan: { bucket: "scans", key: `incoming/scan${n}.png`, fileName: `scan${n}.png`, sha256: "5".repeat(64) },
      }),
    );
    for (const s of scans) await cases.create(s);
    const routes = await Promise.all(scans.map((s) => validate(s)));
    expect(routes.filter((r) => r === "EXECUTE")).toHaveLength(1);
    expect(routes.filter((r) => r === "REVIEW")).toHaveLength(2);
    const original = scans[routes.indexOf("EXECUTE")] as CaseRecord;
    for (const s of scans.filter((x) => x !== original)) {
      const c = await stored(s);
      expect(c.reasons).toContain("DUPLICATE_SCAN");
      expect(c.duplicateOf).toBe(original.caseId);
      expect(c.history.at(-1)?.what).toContain(`duplicate of ${original.caseId}`);
    }
    // The original, validated again (e.g. resumed), stays the original.
    expect(await validate(original)).toBe("EXECUTE");
    expect((await stored(original)).duplicateOf).toBeUndefined();
  });

  it("another scan of the same paper (other bytes, same content) is a duplicate; another date is not", async () => {
    const first = paper();
    const rescan = paper({}, { "verifier.date": "14/3 2025", "verifier.vgrId": "annsv12" });
    const newer = paper({}, { "verifier.date": "2025-03-20" });
    for (const r of [first, rescan, newer]) await cases.create(r);
    expect(await validate(first)).toBe("EXECUTE");
    expect(await validate(rescan)).toBe("REVIEW");
    expect((await stored(rescan)).duplicateOf).toBe(first.caseId);
    expect(await validate(newer)).toBe("EXECUTE");
  });

  it("a duplicate of a returned scan is not returned (and mailed) again: REVIEW", async () => {
    const first = paper();
    const again = paper({ scan: { ...(first.scan as NonNullable<CaseRecord["scan"]>), key: "incoming/again.png" } });
    await cases.create(first);
    await cases.create(again);
    const returned: ValidateFormOutcome = { ...execute, decision: "RETURN", reasons: ["NOT_VIDIMATED"] };
    expect(await validate(first, returned)).toBe("RETURN");
    expect(await validate(again, returned)).toBe("REVIEW");
    expect((await stored(again)).reasons).toEqual(["NOT_VIDIMATED", "DUPLICATE_SCAN"]);
  });

  it("the completed paper sent in after a RETURN takes over and is validated in full", async () => {
    const first = paper();
    await cases.create(first);
    expect(await validate(first, { ...execute, decision: "RETURN", reasons: ["NOT_VIDIMATED"] })).toBe("RETURN");
    await cases.put({ ...(await stored(first)), version: 3, status: "RETURNED" });
    const completed = paper();
    await cases.create(completed);
    expect(await validate(completed)).toBe("EXECUTE");
    // …and a rescan of the completed paper is its duplicate.
    const rescan = paper();
    await cases.create(rescan);
    expect(await validate(rescan)).toBe("REVIEW");
    expect((await stored(rescan)).duplicateOf).toBe(completed.caseId);
  });

  it("an older LOCK arriving after a later UNLOCK was executed goes to REVIEW naming it", async () => {
    const unlock = paper(
      {
        action: "UNLOCK",
        status: "EXECUTED",
        decision: "EXECUTE",
        subjectPersonnummer: TEST_PNR.adultA,
        vouchedOn: "2025-03-12",
        execution: { result: "UNLOCKED", at: "2025-03-13T09:00:00.000Z" },
        receivedAt: "2025-03-13T08:00:00.000Z",
      },
      { "verifier.date": "2025-03-12" },
    );
    const staleLock = paper({}, { "verifier.date": "10/3 2025" });
    const newLock = paper({}, { "verifier.date": "2025.03.15" });
    for (const r of [unlock, staleLock, newLock]) await cases.create(r);
    expect(await validate(staleLock)).toBe("REVIEW");
    expect(await stored(staleLock)).toMatchObject({
      reasons: ["LATER_CASE_EXISTS"],
      laterCaseId: unlock.caseId,
      vouchedOn: "2025-03-10",
    });
    expect(await validate(newLock)).toBe("EXECUTE");
  });

  it("an unreadable vouching date falls back to the receipt date", async () => {
    const unlock = paper({
      action: "UNLOCK",
      status: "EXECUTED",
      decision: "EXECUTE",
      subjectPersonnummer: TEST_PNR.adultA,
      vouchedOn: "2025-03-17",
      execution: { result: "UNLOCKED", at: "2025-03-17T09:00:00.000Z" },
    });
    const lock = paper({ receivedDate: "2025-03-16" }, { "verifier.date": "i tisdags" });
    for (const r of [unlock, lock]) await cases.create(r);
    expect(await validate(lock)).toBe("REVIEW");
    expect(await stored(lock)).toMatchObject({ vouchedOn: "2025-03-16", reasons: ["LATER_CASE_EXISTS"] });
  });

  it("a claimed receipt date before the vouching date is discarded for the arrival date", async () => {
    const claim = { date: "2025-03-10", by: "mailroom:post" };
    const r = paper({ receivedDate: "2025-03-10", arrivalDate: "2025-03-18", claimedReceivedDate: claim });
    const ok = paper(
      { receivedDate: "2025-03-15", arrivalDate: "2025-03-18", claimedReceivedDate: { ...claim, date: "2025-03-15" } },
      { "verifier.date": "2025-03-12" },
    );
    for (const x of [r, ok]) await cases.create(x);
    await validate(r);
    expect(inputs[0]?.receivedDate).toBe("2025-03-18");
    const c = await stored(r);
    expect(c.receivedDate).toBe("2025-03-18");
    expect(c.claimedReceivedDate).toEqual(claim);
    expect(c.history.at(-1)?.what).toContain(
      "receipt date 2025-03-10 set by mailroom:post is before the vouching date 2025-03-14",
    );
    await validate(ok);
    expect(inputs[1]?.receivedDate).toBe("2025-03-15");
    expect((await stored(ok)).receivedDate).toBe("2025-03-15");
  });
});

describe("validateCase with the real rules: a stale LOCK after an executed UNLOCK (sample-02's paper)", () => {
  const sample = JSON.parse(readFileSync(join(SCANS_DIR, "sample-02.json"), "utf8")) as {
    receivedDate: string;
    fields: Record<string, string | boolean>;
  };
  const realDeps = (cases: MemoryCaseStore) => ({
    cases,
    registry: CsvPersonRegistry.fromFile(REGISTRY_CSV),
    caregivers: CsvCaregiverList.fromFile(CAREGIVERS_CSV),
    validate: validateForm,
    clock: fixedClock("2025-03-26T09:00:00.000Z"),
    logger: silentLogger,
  });
  const asCase = (fields: Record<string, string | boolean>, action: "LOCK" | "UNLOCK") =>
    caseRecord({
      status: "READ",
      formCode: "1177-EGEN",
      formVersion: "v1",
      action,
      receivedDate: sample.receivedDate,
      fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, f(v)])),
    });
  const lockFields = (date: string) => ({
    ...sample.fields,
    "action.lock": true,
    "action.unlock": false,
    "verifier.date": date,
  });

  it("EXECUTE for the UNLOCK; REVIEW (LATER_CASE_EXISTS) for a LOCK vouched before it; EXECUTE for a later LOCK", async () => {
    const cases = new MemoryCaseStore();
    const unlock = asCase(sample.fields, "UNLOCK");
    await cases.create(unlock);
    expect((await validateCase({ caseId: unlock.caseId }, realDeps(cases))).route).toBe("EXECUTE");
    const validated = (await cases.get(unlock.caseId)) as CaseRecord;
    await cases.put({
      ...validated,
      version: validated.version + 1,
      status: "EXECUTED",
      execution: { result: "UNLOCKED", at: "2025-03-25T10:00:00.000Z" },
    });

    const stale = asCase(lockFields("14/3 2025"), "LOCK");
    const fresh = asCase(lockFields("2025.03.20"), "LOCK");
    for (const r of [stale, fresh]) await cases.create(r);
    expect((await validateCase({ caseId: stale.caseId }, realDeps(cases))).route).toBe("REVIEW");
    expect(await cases.get(stale.caseId)).toMatchObject({ reasons: ["LATER_CASE_EXISTS"], laterCaseId: unlock.caseId });
    expect((await validateCase({ caseId: fresh.caseId }, realDeps(cases))).route).toBe("EXECUTE");

    // And a rescan of the UNLOCK paper (other bytes, same content) is its duplicate, never a second UNLOCK.
    const rescan = asCase(sample.fields, "UNLOCK");
    await cases.create(rescan);
    expect((await validateCase({ caseId: rescan.caseId }, realDeps(cases))).route).toBe("REVIEW");
    expect(await cases.get(rescan.caseId)).toMatchObject({ duplicateOf: unlock.caseId });
  });
});
