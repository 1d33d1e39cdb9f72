// The server asks the page's question (handlerCanEdit): claim, correct and decide refuse exactly the cases the page
// shows read-only, each with its own named error; the commit writes one entry with its text as given.
import { describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import type { Principal } from "../../../shared/auth/principal.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import { handlerCanEdit } from "../../../shared/domain/case-record.ts";
import { CaseClaimedError, InvalidCaseStateError } from "../../../shared/domain/errors.ts";
import { assertChangeable, claimCase, releaseCase } from "../../../shared/use-cases/claim-case.ts";
import { MemoryAuditLog } from "../../api/support/memory-audit-log.ts";
import { fixedClock, makeCase } from "../routine/support.ts";

const anna: Principal = { userId: "anna", displayName: "Anna", groups: ["handler"] };
const bo: Principal = { userId: "bo", displayName: "Bo", groups: ["handler"] };

function inReview(extra: Partial<CaseRecord> = {}): CaseRecord {
  return { ...makeCase({ status: "IN_REVIEW", decision: "REVIEW" }), ...extra };
}

describe("assertChangeable agrees with handlerCanEdit", () => {
  const returned = { by: "user:bo", at: "2025-03-20T09:00:00.000Z", decision: "RETURN" as const };
  const cases: Array<[string, CaseRecord, (new (m: string) => Error) | null]> = [
    ["in review, unclaimed", inReview(), null],
    ["failed, claimed by anna", { ...inReview({ claimedBy: "user:anna" }), status: "FAILED" }, null],
    ["claimed by bo", inReview({ claimedBy: "user:bo" }), CaseClaimedError],
    ["a RETURN on its way", inReview({ handlerDecision: returned }), InvalidCaseStateError],
    ["executed", { ...inReview(), status: "EXECUTED" }, InvalidCaseStateError],
  ];
  for (const [name, record, error] of cases) {
    it(name, () => {
      expect(handlerCanEdit(record, "user:anna")).toBe(error === null);
      if (error) expect(() => assertChangeable(record, anna)).toThrow(error);
      else expect(() => assertChangeable(record, anna)).not.toThrow();
    });
  }
});

describe("claim and release", () => {
  it("write one history entry each, through transition, and audit it", async () => {
    const store = new MemoryCaseStore();
    const record = inReview();
    await store.create(record);
    const audit = new MemoryAuditLog();
    const deps = { cases: store, audit, clock: fixedClock() };
    const claimed = await claimCase({ caseId: record.caseId, user: anna }, deps);
    expect(claimed.version).toBe(record.version + 1);
    expect(claimed.claimedBy).toBe("user:anna");
    await expect(claimCase({ caseId: record.caseId, user: bo }, deps)).rejects.toBeInstanceOf(CaseClaimedError);
    const released = await releaseCase({ caseId: record.caseId, user: anna }, deps);
    expect("claimedBy" in released).toBe(false);
    expect(released.history.slice(-2).map((h) => [h.by, h.what])).toEqual([
      ["user:anna", "claimed"],
      ["user:anna", "released"],
    ]);
    expect((await audit.byCase(record.caseId)).map((a) => a.action)).toEqual(["CLAIM", "RELEASE"]);
  });
});
