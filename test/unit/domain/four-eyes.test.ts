// The pure four-eyes rule (shared/domain/four-eyes.ts): who may act on one handler's word.
import { describe, expect, it } from "vitest";
import { REASON_CODES } from "../../../shared/domain/forms.ts";
import {
  isApprovalComplete,
  machineMayExecute,
  needsPaperFollowUp,
  OVERRIDE_NEEDS_SECOND,
  secondApproverReasons,
} from "../../../shared/domain/four-eyes.ts";

const ON = { allUnlocks: true };

describe("secondApproverReasons", () => {
  it("urgent phone cases: a release needs two handlers, a protective action one (and a follow-up)", () => {
    expect(secondApproverReasons({ action: "UNBLOCK", reasons: [], manual: true })).toEqual([
      "URGENT_WITHOUT_PAPER",
      "HANDLER_RELEASE",
    ]);
    expect(secondApproverReasons({ action: "UNLOCK", reasons: [], manual: true })).toContain("URGENT_WITHOUT_PAPER");
    for (const action of ["LOCK", "BLOCK"] as const) {
      expect(secondApproverReasons({ action, reasons: [], manual: true })).toEqual([]);
      expect(needsPaperFollowUp({ action, reasons: [], manual: true })).toBe(true);
    }
    expect(needsPaperFollowUp({ action: "UNLOCK", reasons: [], manual: true })).toBe(false);
    expect(needsPaperFollowUp({ action: "LOCK", reasons: [] })).toBe(false);
  });

  it("every UNLOCK/UNBLOCK a handler decides needs two handlers, with or without the region setting", () => {
    expect(secondApproverReasons({ action: "UNLOCK", reasons: ["LOW_CONFIDENCE"] })).toEqual(["HANDLER_RELEASE"]);
    expect(secondApproverReasons({ action: "UNBLOCK", reasons: [] }, ON)).toEqual([
      "HANDLER_RELEASE",
      "REGION_ALL_UNLOCKS",
    ]);
  });

  it("exactly the who/which-paper reasons need a second handler when overridden", () => {
    const needing = REASON_CODES.filter((r) => secondApproverReasons({ action: "LOCK", reasons: [r] }).length > 0);
    expect(needing).toEqual([
      "PNR_INVALID",
      "PERSON_NOT_FOUND",
      "NAME_MISMATCH",
      "PROTECTED_IDENTITY",
      "GUARDIAN_MISMATCH",
      "DUPLICATE_SCAN",
      "LATER_CASE_EXISTS",
    ]);
    expect([...OVERRIDE_NEEDS_SECOND].sort()).toEqual([...needing].sort());
    expect(secondApproverReasons({ action: "LOCK", reasons: ["PHONE_VERIFICATION", "LOW_CONFIDENCE"] })).toEqual([]);
  });
});

describe("machineMayExecute", () => {
  it("only the region setting stops the machine, and only for releases", () => {
    expect(machineMayExecute("UNLOCK")).toBe(true);
    expect(machineMayExecute("UNLOCK", ON)).toBe(false);
    expect(machineMayExecute("UNBLOCK", ON)).toBe(false);
    expect(machineMayExecute("LOCK", ON)).toBe(true);
    expect(machineMayExecute("BLOCK", ON)).toBe(true);
  });
});

describe("isApprovalComplete", () => {
  const unblock = { action: "UNBLOCK" as const, reasons: [], manual: true };
  it("needs a second approver who is not the proposer where the rule asks for one", () => {
    expect(isApprovalComplete(unblock, { by: "user:anna", decision: "APPROVE" })).toBe(false);
    expect(
      isApprovalComplete(unblock, { by: "user:anna", decision: "APPROVE", secondApprover: { by: "user:anna" } }),
    ).toBe(false);
    expect(
      isApprovalComplete(unblock, { by: "user:anna", decision: "APPROVE", secondApprover: { by: "user:bertil" } }),
    ).toBe(true);
  });
  it("one approval is enough otherwise; no approval or a RETURN never is", () => {
    expect(isApprovalComplete({ action: "LOCK", reasons: ["LOW_CONFIDENCE"] }, { by: "a", decision: "APPROVE" })).toBe(
      true,
    );
    expect(isApprovalComplete({ action: "LOCK", reasons: [] }, undefined)).toBe(false);
    expect(isApprovalComplete({ action: "LOCK", reasons: [] }, { by: "a", decision: "RETURN" })).toBe(false);
  });
});
