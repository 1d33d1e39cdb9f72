import { createHash } from "node:crypto";
// Issue 6: a case whose account action is recorded as carried out (a handler confirmed the manual execution)
// routes EXECUTE straight away on resume, and ExecuteAction does not act a second time.
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import type { AccountResult, AccountService } from "../../../shared/ports/account-service.ts";
import type { CaregiverList, PersonRegistry } from "../../../shared/ports/person-registry.ts";
import { confirmManualExecution, executeAction } from "../../../shared/use-cases/execute-action.ts";
import { getReviewQueue } from "../../../shared/use-cases/review-queue.ts";
import { isActionCarriedOut, type ValidateFormOutcome, validateCase } from "../../../shared/use-cases/validate-case.ts";
import { caseRecord, TEST_PNR } from "../../fixtures/pipeline-cases.ts";
import { fixedClock, MemoryScanStore, silentLogger } from "./fakes.ts";

/** Manual mode: every call answers MANUAL_PENDING; the calls are counted. */
function manualService(): AccountService & { calls: string[] } {
  const calls: string[] = [];
  const pending = async (name: string): Promise<AccountResult> => {
    calls.push(name);
    return "MANUAL_PENDING";
  };
  return {
    calls,
    lock: () => pending("lock"),
    unlock: () => pending("unlock"),
    blockGuardian: () => pending("blockGuardian"),
    unblockGuardian: () => pending("unblockGuardian"),
    status: async (personnummer) => ({ personnummer, locked: false, blockedGuardians: [] }),
  };
}

const registry: PersonRegistry = { findByPersonnummer: async () => null };
const caregivers: CaregiverList = { current: async () => ({ version: "v1", names: [] }) };

describe("manual execution confirmed by a handler", () => {
  let cases: MemoryCaseStore;
  let validations: number;
  const clock = fixedClock();
  const validateDeps = (result: ValidateFormOutcome) => ({
    cases,
    registry,
    caregivers,
    clock,
    logger: silentLogger,
    validate: async () => {
      validations++;
      return result;
    },
  });
  // What the rules would say on a second look now: an open earlier case parks it (would never confirm).
  const wouldPark: ValidateFormOutcome = { decision: "REVIEW", reasons: ["PRIOR_OPEN_CASE"] };

  beforeEach(() => {
    cases = new MemoryCaseStore();
    validations = 0;
  });

  // The scan the case was read from, still under its key (ExecuteAction checks it before acting).
  const scans = new MemoryScanStore();
  const paper = new TextEncoder().encode("scanned paper");

  async function awaitingManual(): Promise<{ record: CaseRecord; accounts: ReturnType<typeof manualService> }> {
    const base = caseRecord();
    const scan = {
      ...(base.scan as NonNullable<CaseRecord["scan"]>),
      sha256: createHash("sha256").update(paper).digest("hex"),
    };
    await scans.put(scan.bucket, scan.key, paper);
    const record = caseRecord({
      scan,
      status: "READ",
      formCode: "1177-EGEN",
      formVersion: "v1",
      action: "LOCK",
      decision: "EXECUTE",
      fields: { "citizen.personnummer": { value: TEST_PNR.adultA, confidence: 0.95 } },
    });
    await cases.create(record);
    const accounts = manualService();
    const result = await executeAction({ caseId: record.caseId }, { cases, accounts, clock, scans });
    expect(result).toMatchObject({ route: "DONE", status: "AWAITING_MANUAL_EXECUTION" });
    expect(accounts.calls).toEqual(["lock"]);
    return { record, accounts };
  }

  it("waiting: validation leaves the case alone (DONE), it is in the review queue with its checklist", async () => {
    const { record } = await awaitingManual();
    const stored = await cases.get(record.caseId);
    expect(stored && isActionCarriedOut(stored)).toBe(false);
    expect(await validateCase({ caseId: record.caseId }, validateDeps(wouldPark))).toMatchObject({ route: "DONE" });
    expect(validations).toBe(0);
    const queue = await getReviewQueue({}, { cases });
    const item = queue.items.find((i) => i.caseId === record.caseId);
    expect(item?.status).toBe("AWAITING_MANUAL_EXECUTION");
    expect(queue.counts.AWAITING_MANUAL_EXECUTION).toBe(1);
    expect(stored?.manualChecklist?.length).toBeGreaterThan(2);
  });

  it("confirmed: validation routes EXECUTE without re-checking, execution does not act again, goes on to confirm", async () => {
    const { record, accounts } = await awaitingManual();
    const confirmed = await confirmManualExecution({ caseId: record.caseId, by: "handler:anna" }, { cases, clock });
    expect(confirmed.status).toBe("APPROVED");
    expect(confirmed.execution?.result).toBe("LOCKED");
    expect(isActionCarriedOut(confirmed)).toBe(true);
    // One version, two entries: the status change in the step's name, the confirmation in the handler's.
    expect(confirmed.history.slice(-2).map((h) => [h.by, h.what])).toEqual([
      ["ExecuteAction", "status AWAITING_MANUAL_EXECUTION → APPROVED"],
      ["handler:anna", "manual execution of LOCK confirmed"],
    ]);

    const routed = await validateCase({ caseId: record.caseId }, validateDeps(wouldPark));
    expect(routed).toEqual({ caseId: record.caseId, route: "EXECUTE", status: "APPROVED" });
    expect(validations).toBe(0);
    // The record is not rewritten by validation (the decision and reasons stay as they were).
    expect((await cases.get(record.caseId))?.version).toBe(confirmed.version);

    // ExecuteAction: the recorded result, no route (→ SendConfirmation), no second call to the service.
    const executed = await executeAction({ caseId: record.caseId }, { cases, accounts, clock, scans });
    expect(executed.route).toBeUndefined();
    expect(accounts.calls).toEqual(["lock"]);
    // The confirmed case is no longer in the queue.
    expect((await getReviewQueue({}, { cases })).items.map((i) => i.caseId)).not.toContain(record.caseId);
  });

  it("NO_BLOCK_NEEDED is not a carried-out action: the case is validated normally", async () => {
    const record = caseRecord({
      status: "IN_REVIEW",
      formCode: "1177-VH",
      formVersion: "v1",
      action: "BLOCK",
      execution: { result: "NO_BLOCK_NEEDED", at: "2025-03-18T09:00:00.000Z" },
      fields: { "child.personnummer": { value: TEST_PNR.adultB, confidence: 0.95 } },
    });
    await cases.create(record);
    expect(isActionCarriedOut(record)).toBe(false);
    await validateCase({ caseId: record.caseId }, validateDeps(wouldPark));
    expect(validations).toBe(1);
  });
});
