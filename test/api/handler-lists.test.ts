// Every case that is not final appears in some handler list (issue 11): the review queue (parked, failed,
// waiting for a second handler, waiting for a manual action) or "in the pipeline"; final cases in none.
import { describe, expect, it } from "vitest";
import { CASE_STATUSES, type CaseRecord, type CaseStatus } from "../../shared/domain/case.ts";
import { FINISHED_STATUSES } from "../../shared/use-cases/case-history.ts";
import { createHarness, type Harness, makeCase } from "./support/harness.ts";
import { wirePipeline } from "./support/pipeline.ts";

const AT = "2025-03-24T08:00:00.000Z";

/** The shapes a case of each status can have (a status can be reached with or without a handler decision). */
function variants(status: CaseStatus): Array<Partial<CaseRecord>> {
  const approve = { by: "user:anna", at: AT, decision: "APPROVE" as const };
  const ret = { by: "user:anna", at: AT, decision: "RETURN" as const };
  const proposal = { by: "user:anna", at: AT, decision: "APPROVE" as const, why: ["OVERRIDE" as const], overrides: [] };
  const base: Array<Partial<CaseRecord>> = [{}, { handlerDecision: approve }, { handlerDecision: ret }];
  return status === "AWAITING_SECOND_APPROVAL" ? [{ proposal }] : base;
}

async function listed(h: Harness): Promise<Map<string, string>> {
  const res = await h.call("GET", "/api/review-queue", { token: h.tokens.handler });
  expect(res.status).toBe(200);
  const where = new Map<string, string>();
  for (const i of res.json.items) where.set(i.caseId, "queue");
  for (const i of res.json.inProgress) where.set(i.caseId, where.has(i.caseId) ? "both" : "inProgress");
  return where;
}

describe("every non-final case is in a handler list", () => {
  it("over every status in CASE_STATUSES (and with or without a handler decision)", async () => {
    const h = await createHarness();
    const expected: Array<[string, CaseStatus, boolean]> = [];
    for (const status of CASE_STATUSES) {
      for (const [n, extra] of variants(status).entries()) {
        const caseId = `case-${status.toLowerCase()}-${n}`;
        await h.cases.create(makeCase({ caseId, status, ...extra }));
        expected.push([caseId, status, !FINISHED_STATUSES.has(status)]);
      }
    }
    const where = await listed(h);
    const wrong = expected.filter(([id, , open]) => where.has(id) !== open || where.get(id) === "both");
    expect(wrong).toEqual([]);
    // The statuses a person has to act on are in the review queue itself.
    for (const status of ["IN_REVIEW", "FAILED", "AWAITING_SECOND_APPROVAL", "AWAITING_MANUAL_EXECUTION"]) {
      expect([status, where.get(`case-${status.toLowerCase()}-0`)]).toEqual([status, "queue"]);
    }
    for (const status of ["RECEIVED", "READ", "APPROVED", "EXECUTING"]) {
      expect([status, where.get(`case-${status.toLowerCase()}-0`)]).toEqual([status, "inProgress"]);
    }
    // A failure after a handler's decision still needs a person.
    expect(where.get("case-failed-1")).toBe("queue");
    expect(where.get("case-failed-2")).toBe("queue");
  });

  it("an UNRECOGNIZED_DOCUMENT case approved by a handler and parked again is back in the queue", async () => {
    const h = await createHarness();
    const pipe = wirePipeline(h);
    const ID = "case-letter";
    await h.cases.create(
      makeCase({ caseId: ID, formCode: null, formVersion: null, action: null, reasons: ["UNRECOGNIZED_DOCUMENT"] }),
    );
    expect((await h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler })).status).toBe(200);
    const approve = await h.call("POST", `/api/cases/${ID}/decision`, {
      token: h.tokens.handler,
      body: { decision: "APPROVE", version: 4 },
    });
    expect(approve.status).toBe(200);
    expect(pipe.routes).toEqual([{ caseId: ID, route: "REVIEW" }]);
    expect(pipe.accounts.calls).toEqual([]);
    const stored = await h.cases.get(ID);
    expect(stored?.status).toBe("IN_REVIEW");
    expect((await listed(h)).get(ID)).toBe("queue");
    // …and the page lets a handler decide it again (close it with a note).
    const page = await h.call("GET", `/cases/${ID}`, { cookie: `lockdesk_token=${h.tokens.handler2}` });
    expect(page.body).toMatch(/<button type="button" id="close" >/);
  });
});
