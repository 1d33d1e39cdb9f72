import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import { ActionNotAllowedError, CaseNotFoundError, ScanChangedError } from "../../../shared/domain/errors.ts";
import type { PersonRegistry } from "../../../shared/ports/person-registry.ts";
import { confirmManualExecution, executeAction } from "../../../shared/use-cases/execute-action.ts";
import { ADULT, CHILD, CHILD_PROTECTED, GUARDIAN_1, GUARDIAN_2, OTHER_ADULT } from "../../fixtures/routine/people.ts";
import { type CaseOptions, fixedClock, MemoryScanStore, makeCase, RecordingAccountService } from "./support.ts";

async function setup(o: CaseOptions, manual = false) {
  const cases = new MemoryCaseStore();
  const record = makeCase(o);
  await cases.create(record);
  const accounts = new RecordingAccountService(manual);
  return { cases, accounts, record, deps: { cases, accounts, clock: fixedClock(), scans: new MemoryScanStore() } };
}

describe("executeAction", () => {
  it("locks the citizen's login on 1177-EGEN LOCK and records the result", async () => {
    const { deps, cases, accounts } = await setup({ formCode: "1177-EGEN", action: "LOCK" });
    const out = await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(out).toEqual({ caseId: "C-2025-0001", status: "EXECUTING" });
    expect(accounts.calls).toEqual([`lock ${ADULT.pnr} C-2025-0001`]);
    const stored = await cases.get("C-2025-0001");
    expect(stored?.execution?.result).toBe("LOCKED");
    expect(stored?.version).toBe(5); // EXECUTING, then the result
    expect(stored?.history.map((h) => h.what)).toContain("account action LOCK: LOCKED");
  });

  it("unlocks on 1177-VG UNLOCK (bryta låsning)", async () => {
    const { deps, cases, accounts } = await setup({ formCode: "1177-VG", action: "UNLOCK" });
    await accounts.lock(ADULT.pnr, "C-earlier");
    await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(accounts.calls.at(-1)).toBe(`unlock ${ADULT.pnr} C-2025-0001`);
    expect((await cases.get("C-2025-0001"))?.execution?.result).toBe("UNLOCKED");
  });

  it("LOCK on an already locked account is ALREADY_LOCKED and still goes on to the confirmation", async () => {
    const { deps, cases, accounts } = await setup({ formCode: "1177-VG", action: "LOCK" });
    await accounts.lock(ADULT.pnr, "C-earlier");
    const out = await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(out.route).toBeUndefined();
    expect((await cases.get("C-2025-0001"))?.execution?.result).toBe("ALREADY_LOCKED");
  });

  it("uses a handler's correction of the personnummer over the value read", async () => {
    const { deps, accounts } = await setup({
      fields: { "citizen.personnummer": "196408312385" }, // misread last digit
      corrections: { "citizen.personnummer": ADULT.pnr },
    });
    await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(accounts.calls).toEqual([`lock ${ADULT.pnr} C-2025-0001`]);
  });

  it("is idempotent: a retry does not call the account service again", async () => {
    const { deps, accounts } = await setup({});
    const first = await executeAction({ caseId: "C-2025-0001" }, deps);
    const second = await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(accounts.calls).toHaveLength(1);
    expect(second).toEqual(first);
  });

  it("blocks the one guardian on 1177-VH", async () => {
    const { deps, cases, accounts } = await setup({ formCode: "1177-VH", action: "BLOCK" });
    await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(accounts.calls).toEqual([`block ${CHILD.pnr} ${GUARDIAN_1.pnr} C-2025-0001`]);
    const stored = await cases.get("C-2025-0001");
    expect(stored?.execution).toMatchObject({ result: "BLOCKED", details: { guardian1: "BLOCKED" } });
  });

  it("blocks both guardians when guardian 2 is written", async () => {
    const { deps, cases, accounts } = await setup({
      formCode: "1177-VH",
      action: "BLOCK",
      fields: { "guardian2.personnummer": GUARDIAN_2.pnr, "guardian2.name": GUARDIAN_2.name },
    });
    await accounts.blockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-earlier");
    await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(accounts.calls.slice(1)).toEqual([
      `block ${CHILD.pnr} ${GUARDIAN_1.pnr} C-2025-0001`,
      `block ${CHILD.pnr} ${GUARDIAN_2.pnr} C-2025-0001`,
    ]);
    const stored = await cases.get("C-2025-0001");
    expect(stored?.execution).toMatchObject({
      result: "BLOCKED",
      details: { guardian1: "ALREADY_BLOCKED", guardian2: "BLOCKED" },
    });
  });

  it("unblocks the guardians on 1177-VH UNBLOCK", async () => {
    const { deps, cases, accounts } = await setup({ formCode: "1177-VH", action: "UNBLOCK" });
    await accounts.blockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-earlier");
    await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(accounts.calls.at(-1)).toBe(`unblock ${CHILD.pnr} ${GUARDIAN_1.pnr} C-2025-0001`);
    expect((await cases.get("C-2025-0001"))?.execution?.result).toBe("UNBLOCKED");
    expect((await accounts.status(CHILD.pnr)).blockedGuardians).toEqual([]);
  });

  it("a protected child needs no block: recorded, no service call, handed to a handler", async () => {
    const { deps, cases, accounts } = await setup({
      formCode: "1177-VH",
      action: "BLOCK",
      fields: { "child.personnummer": CHILD_PROTECTED.pnr },
      decision: "REVIEW",
      reasons: ["PROTECTED_IDENTITY"],
      protectedIdentity: true,
    });
    const withApproval = await cases.get("C-2025-0001");
    if (!withApproval) throw new Error("missing");
    await cases.put({
      ...withApproval,
      version: withApproval.version + 1,
      // An override of PROTECTED_IDENTITY: four eyes (shared/domain/four-eyes.ts).
      handlerDecision: {
        by: "handler:eva",
        at: "2025-03-19T10:00:00.000Z",
        decision: "APPROVE",
        secondApprover: { by: "handler:olle", at: "2025-03-19T10:05:00.000Z" },
      },
    });
    const out = await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(out).toEqual({ caseId: "C-2025-0001", route: "DONE", status: "IN_REVIEW" });
    expect(accounts.calls).toEqual([]);
    const stored = await cases.get("C-2025-0001");
    expect(stored?.reasons).toEqual(["PROTECTED_IDENTITY", "CHILD_PROTECTED_NO_BLOCK_NEEDED"]);
    expect(stored?.execution?.result).toBe("NO_BLOCK_NEEDED");
    // A retry stays parked and still calls nothing.
    expect(await executeAction({ caseId: "C-2025-0001" }, deps)).toEqual(out);
    expect(accounts.calls).toEqual([]);
  });

  it("asks the registry (when given) whether the child has protected identity", async () => {
    const { deps, accounts } = await setup({ formCode: "1177-VH", action: "BLOCK", protectedIdentity: false });
    const registry: PersonRegistry = {
      findByPersonnummer: async (pnr) => ({
        personnummer: pnr,
        givenNames: ["Göran"],
        surname: "Nilsson",
        protectedIdentity: true,
        guardians: [],
      }),
    };
    const out = await executeAction({ caseId: "C-2025-0001" }, { ...deps, registry });
    expect(out.status).toBe("IN_REVIEW");
    expect(accounts.calls).toEqual([]);
  });

  it("manual mode: waits as AWAITING_MANUAL_EXECUTION with a Swedish checklist, without a full personnummer", async () => {
    const { deps, cases, accounts } = await setup(
      { formCode: "1177-VH", action: "BLOCK", fields: { "guardian2.personnummer": GUARDIAN_2.pnr } },
      true,
    );
    const out = await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(out).toEqual({ caseId: "C-2025-0001", route: "DONE", status: "AWAITING_MANUAL_EXECUTION" });
    const stored = await cases.get("C-2025-0001");
    const steps = stored?.manualChecklist?.map((s) => s.step) ?? [];
    expect(steps.some((s) => s.startsWith("Blockera vårdnadshavare 1"))).toBe(true);
    expect(steps.some((s) => s.startsWith("Blockera vårdnadshavare 2"))).toBe(true);
    expect(steps.join("\n")).not.toMatch(/\d{8}-?\d{4}/);
    expect(steps.join("\n")).toContain(`${CHILD.pnr.slice(0, 8)}-****`);
    // Retry: no second round of calls.
    await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(accounts.calls).toHaveLength(2);

    // The handler confirms; the resumed execution goes on to the confirmation without calling the service.
    const confirmed = await confirmManualExecution({ caseId: "C-2025-0001", by: "handler:eva" }, deps);
    expect(confirmed.execution?.result).toBe("BLOCKED");
    expect(confirmed.manualChecklist?.every((s) => s.done)).toBe(true);
    expect(confirmed.status).toBe("APPROVED");
    expect(await executeAction({ caseId: "C-2025-0001" }, deps)).toEqual({
      caseId: "C-2025-0001",
      status: "APPROVED",
    });
    expect(accounts.calls).toHaveLength(2);
  });

  it("confirming a case that does not wait for manual execution is refused", async () => {
    const { deps } = await setup({});
    await expect(confirmManualExecution({ caseId: "C-2025-0001", by: "handler:eva" }, deps)).rejects.toBeInstanceOf(
      ActionNotAllowedError,
    );
  });

  it("manual mode for an EGEN unlock has the unlock step", async () => {
    const { deps, cases } = await setup({ formCode: "1177-EGEN", action: "UNLOCK" }, true);
    await executeAction({ caseId: "C-2025-0001" }, deps);
    const steps = (await cases.get("C-2025-0001"))?.manualChecklist?.map((s) => s.step) ?? [];
    expect(steps).toContain("Häv låsningen av invånarens inloggning till 1177 e-tjänster.");
  });

  it("refuses a case whose decision does not allow execution, unless a handler approved", async () => {
    const { deps, cases, accounts } = await setup({ decision: "REVIEW", reasons: ["PHONE_VERIFICATION"] });
    await expect(executeAction({ caseId: "C-2025-0001" }, deps)).rejects.toBeInstanceOf(ActionNotAllowedError);
    expect(accounts.calls).toEqual([]);
    const r = await cases.get("C-2025-0001");
    if (!r) throw new Error("missing");
    await cases.put({
      ...r,
      version: r.version + 1,
      handlerDecision: { by: "handler:a", at: r.updatedAt, decision: "APPROVE" },
    });
    await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(accounts.calls).toEqual([`lock ${ADULT.pnr} C-2025-0001`]);
  });

  it("refuses RETURN decisions and a handler's RETURN", async () => {
    const { deps } = await setup({ decision: "RETURN", reasons: ["NOT_VIDIMATED"] });
    await expect(executeAction({ caseId: "C-2025-0001" }, deps)).rejects.toThrow(ActionNotAllowedError);
  });

  it("refuses to block with an incomplete guardian personnummer (even when approved), calling nothing", async () => {
    const { deps, accounts } = await setup({
      formCode: "1177-VH",
      fields: { "guardian2.personnummer": GUARDIAN_2.pnr.slice(0, 10) },
    });
    await expect(executeAction({ caseId: "C-2025-0001" }, deps)).rejects.toBeInstanceOf(ActionNotAllowedError);
    expect(accounts.calls).toEqual([]);
  });

  it("throws CaseNotFoundError for an unknown case", async () => {
    const { deps } = await setup({});
    await expect(executeAction({ caseId: "C-nope" }, deps)).rejects.toBeInstanceOf(CaseNotFoundError);
  });

  it("an UNLOCK after a LOCK is a new case through the same routine", async () => {
    const cases = new MemoryCaseStore();
    const accounts = new RecordingAccountService();
    const deps = { cases, accounts, clock: fixedClock(), scans: new MemoryScanStore() };
    await cases.create(
      makeCase({ caseId: "C-1", action: "LOCK", fields: { "citizen.personnummer": OTHER_ADULT.pnr } }),
    );
    await cases.create(
      makeCase({ caseId: "C-2", action: "UNLOCK", fields: { "citizen.personnummer": OTHER_ADULT.pnr } }),
    );
    await executeAction({ caseId: "C-1" }, deps);
    await executeAction({ caseId: "C-2" }, deps);
    expect((await cases.get("C-1"))?.execution?.result).toBe("LOCKED");
    expect((await cases.get("C-2"))?.execution?.result).toBe("UNLOCKED");
    expect((await accounts.status(OTHER_ADULT.pnr)).locked).toBe(false);
  });
});

describe("executeAction: a concurrent edit while the service acts", () => {
  it("keeps the result on the newer case version; a retry calls nothing", async () => {
    const cases = new MemoryCaseStore();
    await cases.create(makeCase({}));
    const inner = new RecordingAccountService();
    const accounts = Object.assign(Object.create(inner) as RecordingAccountService, {
      lock: async (pnr: string, caseId: string) => {
        const r = await inner.lock(pnr, caseId);
        const c = await cases.get(caseId);
        if (c) await cases.put({ ...c, version: c.version + 1, claimedBy: "handler:eva" });
        return r;
      },
    });
    const deps = { cases, accounts, clock: fixedClock(), scans: new MemoryScanStore() };
    await executeAction({ caseId: "C-2025-0001" }, deps);
    const stored = await cases.get("C-2025-0001");
    expect(stored?.execution?.result).toBe("LOCKED");
    expect(stored?.claimedBy).toBe("handler:eva");
    await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(inner.calls).toHaveLength(1);
  });
});

describe("executeAction: the scan a case was read from is the scan it acts on", () => {
  const registered = new TextEncoder().encode("the paper that was read");

  async function withScan(bytes: Uint8Array | null) {
    const cases = new MemoryCaseStore();
    const scans = new MemoryScanStore();
    const sha256 = createHash("sha256").update(registered).digest("hex");
    const record = makeCase({});
    await cases.create({ ...record, scan: { ...(record.scan as NonNullable<typeof record.scan>), sha256 } });
    if (bytes) await scans.put("scans", "incoming/scan-1.png", bytes);
    const accounts = new RecordingAccountService();
    return { cases, accounts, deps: { cases, accounts, scans, clock: fixedClock() } };
  }

  it("acts when the object is the registered scan", async () => {
    const { deps, accounts } = await withScan(registered);
    await executeAction({ caseId: "C-2025-0001" }, deps);
    expect(accounts.calls).toHaveLength(1);
  });

  it("a replaced object stops the case before the account service is called, with a history entry", async () => {
    const { deps, accounts, cases } = await withScan(new TextEncoder().encode("another paper, uploaded later"));
    await expect(executeAction({ caseId: "C-2025-0001" }, deps)).rejects.toBeInstanceOf(ScanChangedError);
    expect(accounts.calls).toHaveLength(0);
    const stored = await cases.get("C-2025-0001");
    expect(stored?.execution).toBeUndefined();
    expect(stored?.history.at(-1)).toMatchObject({ by: "ExecuteAction" });
    expect(stored?.history.at(-1)?.what).toMatch(
      /^scan changed after registration \(sha256 .* instead of the registered/,
    );
  });

  it("a vanished object stops the case too", async () => {
    const { deps, accounts } = await withScan(null);
    await expect(executeAction({ caseId: "C-2025-0001" }, deps)).rejects.toThrow(/no longer under its key/);
    expect(accounts.calls).toHaveLength(0);
  });
});
