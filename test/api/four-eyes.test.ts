// Four eyes where no complete paper vouches (issue 11), through the API and the real resumed pipeline
// (ValidateCase → ExecuteAction / ParkForReview over a registry CSV; the account service records every call).
import { describe, expect, it } from "vitest";
import { ActionNotAllowedError } from "../../shared/domain/errors.ts";
import type { FieldReading } from "../../shared/domain/forms.ts";
import { executeAction } from "../../shared/use-cases/execute-action.ts";
import { createHarness, type Harness, makeCase } from "./support/harness.ts";
import { PEOPLE, REQUESTER, wirePipeline } from "./support/pipeline.ts";

const T0 = "2025-03-24T09:00:00.000Z";
const T1 = "2025-03-24T09:20:00.000Z";

async function claim(h: Harness, caseId: string, token: string) {
  return h.call("POST", `/api/cases/${caseId}/claim`, { token });
}
async function decide(h: Harness, caseId: string, token: string, body: Record<string, unknown>) {
  const version = (await h.cases.get(caseId))?.version ?? 0;
  return h.call("POST", `/api/cases/${caseId}/decision`, { token, body: { version, ...body } });
}

function urgentUnblock(h: Harness) {
  return h.call("POST", "/api/cases", {
    token: h.tokens.handler,
    body: {
      formCode: "1177-VH",
      action: "UNBLOCK",
      fields: {
        "child.personnummer": PEOPLE.child.pnr,
        "child.givenName": PEOPLE.child.given,
        "child.surname": PEOPLE.child.surname,
        "guardian1.personnummer": PEOPLE.guardian1.pnr,
        "guardian1.name": PEOPLE.guardian1.name,
        ...REQUESTER,
      },
      note: "Kurator ringde: blockeringen ska hävas",
    },
  });
}

describe("four eyes: an urgent UNBLOCK by phone", () => {
  it("is not executed until a second handler approves; the proposer's own approval is refused", async () => {
    const h = await createHarness();
    const pipe = wirePipeline(h);
    await pipe.accounts.blockGuardian(PEOPLE.child.pnr, PEOPLE.guardian1.pnr, "earlier-case");
    pipe.accounts.calls.length = 0;

    const created = await urgentUnblock(h);
    expect(created.status).toBe(201);
    const id: string = created.json.case.caseId;

    // Anna (who created and holds it) approves: only a proposal; nothing runs.
    const proposed = await decide(h, id, h.tokens.handler, { decision: "APPROVE", note: "Samtal med kurator" });
    expect(proposed.status).toBe(200);
    expect(proposed.json.case.status).toBe("AWAITING_SECOND_APPROVAL");
    expect(proposed.json.case.proposal).toMatchObject({
      by: "user:anna",
      at: T0,
      why: ["URGENT_WITHOUT_PAPER", "HANDLER_RELEASE"],
    });
    expect(proposed.json.case.claimedBy).toBeUndefined();
    expect(h.resumed).toEqual([]);
    expect(pipe.accounts.calls).toEqual([]);

    // Visible to the other handlers: the queue lists it under its status, with the proposer.
    const queue = await h.call("GET", "/api/review-queue?reason=AWAITING_SECOND_APPROVAL", {
      token: h.tokens.handler2,
    });
    expect(queue.json.items.map((i: { caseId: string; proposedBy: string }) => [i.caseId, i.proposedBy])).toEqual([
      [id, "user:anna"],
    ]);
    expect(queue.json.counts.AWAITING_SECOND_APPROVAL).toBe(1);
    const page = await h.call("GET", "/queue", { cookie: `lockdesk_token=${h.tokens.handler2}` });
    expect(page.body).toContain('value="AWAITING_SECOND_APPROVAL" >Väntar på andra handläggare (1)</option>');
    expect(page.body).toContain("Väntar på andra handläggare</span> (föreslaget av Anna H)");

    // The proposer can neither claim nor approve it (403, a Swedish message); the case is unchanged.
    const ownClaim = await claim(h, id, h.tokens.handler);
    expect(ownClaim.status).toBe(403);
    const own = await decide(h, id, h.tokens.handler, { decision: "APPROVE" });
    expect(own.status).toBe(403);
    expect(own.json.message).toContain("en annan handläggare måste godkänna");
    // Nor can the second handler approve without claiming it first (every decision needs the claim).
    const unclaimed = await decide(h, id, h.tokens.handler2, { decision: "APPROVE" });
    expect(unclaimed.status).toBe(409);
    expect(unclaimed.json.message).toContain("ta ärendet");
    expect((await h.cases.get(id))?.status).toBe("AWAITING_SECOND_APPROVAL");
    expect(pipe.accounts.calls).toEqual([]);

    // Bertil claims and approves: now the resumed pipeline lifts the block.
    h.clock.set(T1);
    expect((await claim(h, id, h.tokens.handler2)).status).toBe(200);
    const second = await decide(h, id, h.tokens.handler2, { decision: "APPROVE", note: "Kontrollerat" });
    expect(second.status).toBe(200);
    expect(pipe.routes).toEqual([{ caseId: id, route: "EXECUTE" }]);
    expect(pipe.accounts.calls).toEqual([`unblock ${PEOPLE.child.pnr} ${PEOPLE.guardian1.pnr} ${id}`]);

    // Both people and both times: on the case and in the audit log.
    const stored = await h.cases.get(id);
    expect(stored?.handlerDecision).toEqual({
      by: "user:anna",
      at: T0,
      decision: "APPROVE",
      note: "Samtal med kurator",
      secondApprover: { by: "user:bertil", at: T1, note: "Kontrollerat" },
    });
    expect(stored?.execution?.result).toBe("UNBLOCKED");
    const audit = (await h.audit.byCase(id)).map((e) => [e.action, e.user, e.at, e.detail ?? ""]);
    expect(audit).toEqual([
      ["CREATE_URGENT", "user:anna", T0, ""],
      ["PROPOSE_APPROVE", "user:anna", T0, "URGENT_WITHOUT_PAPER,HANDLER_RELEASE"],
      ["CLAIM", "user:bertil", T1, ""],
      ["SECOND_APPROVE", "user:bertil", T1, `proposed by user:anna at ${T0}`],
    ]);
  });

  it("a second handler can reject the proposal: back in the queue, nothing done", async () => {
    const h = await createHarness();
    const pipe = wirePipeline(h);
    const id: string = (await urgentUnblock(h)).json.case.caseId;
    await decide(h, id, h.tokens.handler, { decision: "APPROVE" });
    await claim(h, id, h.tokens.handler2);
    const rejected = await decide(h, id, h.tokens.handler2, { decision: "REJECT", note: "Ring tillbaka först" });
    expect(rejected.status).toBe(200);
    const stored = await h.cases.get(id);
    expect(stored?.status).toBe("IN_REVIEW");
    expect(stored?.proposal).toBeUndefined();
    expect(stored?.handlerDecision).toBeUndefined();
    expect(pipe.accounts.calls).toEqual([]);
    expect((await h.audit.byCase(id)).at(-1)).toMatchObject({ action: "REJECT_PROPOSAL", user: "user:bertil" });
    const queue = await h.call("GET", "/api/review-queue", { token: h.tokens.handler });
    expect(queue.json.items.map((i: { caseId: string }) => i.caseId)).toContain(id);
    // REJECT is only for a proposal.
    await claim(h, id, h.tokens.handler);
    expect((await decide(h, id, h.tokens.handler, { decision: "REJECT" })).status).toBe(409);
  });

  it("the proposer can withdraw their own proposal (no one else can; not while a second handler holds it)", async () => {
    const h = await createHarness();
    const pipe = wirePipeline(h);
    const id: string = (await urgentUnblock(h)).json.case.caseId;
    await decide(h, id, h.tokens.handler, { decision: "APPROVE" });
    // Another handler cannot take anna's proposal back, and while bertil holds the case anna cannot either.
    expect((await decide(h, id, h.tokens.handler2, { decision: "WITHDRAW" })).status).toBe(403);
    await claim(h, id, h.tokens.handler2);
    expect((await decide(h, id, h.tokens.handler, { decision: "WITHDRAW" })).status).toBe(409);
    await h.call("POST", `/api/cases/${id}/release`, { token: h.tokens.handler2 });
    const withdrawn = await decide(h, id, h.tokens.handler, { decision: "WITHDRAW" });
    expect(withdrawn.status).toBe(200);
    const stored = await h.cases.get(id);
    expect(stored?.status).toBe("IN_REVIEW");
    expect(stored?.proposal).toBeUndefined();
    expect(stored?.handlerDecision).toBeUndefined();
    expect(stored?.history.at(-1)).toMatchObject({ by: "user:anna", what: "proposal withdrawn by its proposer" });
    expect(pipe.accounts.calls).toEqual([]);
    expect((await h.audit.byCase(id)).at(-1)).toMatchObject({ action: "WITHDRAW_PROPOSAL", user: "user:anna" });
    // Back in review: anna may decide again (a new proposal), and WITHDRAW is only for a proposal.
    await claim(h, id, h.tokens.handler);
    expect((await decide(h, id, h.tokens.handler, { decision: "WITHDRAW" })).status).toBe(409);
    expect((await decide(h, id, h.tokens.handler, { decision: "APPROVE" })).json.case.status).toBe(
      "AWAITING_SECOND_APPROVAL",
    );
  });
});

describe("four eyes: who proposed, on a stack without a user directory (as on AWS)", () => {
  it("the case page and the queue name the proposer as their sign-in named them (kept in the history)", async () => {
    const h = await createHarness();
    // No user directory in the stack (as on AWS): names come from the sign-ins only.
    delete h.deps.displayNames;
    delete h.deps.devLogin;
    wirePipeline(h);
    const id: string = (await urgentUnblock(h)).json.case.caseId;
    await decide(h, id, h.tokens.handler, { decision: "APPROVE" });
    const proposal = (await h.cases.get(id))?.history.at(-1);
    expect(proposal).toMatchObject({ by: "user:anna", name: "Anna H" });
    const page = await h.call("GET", `/cases/${id}`, { cookie: `lockdesk_token=${h.tokens.handler2}` });
    expect(page.body).toContain('<strong id="proposed-by">Anna H</strong>');
    // The queue names her too, and whoever holds a case.
    await claim(h, id, h.tokens.handler2);
    const queue = await h.call("GET", "/queue", { cookie: `lockdesk_token=${h.tokens.handler}` });
    const body = String(queue.body);
    const row = body.slice(body.indexOf(`data-case="${id}"`));
    expect(row.slice(0, row.indexOf("</tr>"))).toMatch(/föreslaget av Anna H.*Bertil H/s);
  });
});

describe("four eyes: protective urgent actions and overrides", () => {
  it("an urgent LOCK runs on one handler's word and is flagged for follow-up until the paper is linked", async () => {
    const h = await createHarness();
    const pipe = wirePipeline(h);
    const created = await h.call("POST", "/api/cases", {
      token: h.tokens.handler,
      body: {
        formCode: "1177-VG",
        action: "LOCK",
        fields: {
          "citizen.personnummer": PEOPLE.adult.pnr,
          "citizen.givenName": PEOPLE.adult.given,
          "citizen.surname": PEOPLE.adult.surname,
          ...REQUESTER,
        },
        note: "Hot mot patienten, kontaktcenter ringde",
      },
    });
    const id: string = created.json.case.caseId;
    expect(created.json.case.followUp).toEqual({ what: "AWAITING_PAPER", since: T0 });
    const approved = await decide(h, id, h.tokens.handler, { decision: "APPROVE" });
    expect(approved.json.case.status).toBe("APPROVED");
    expect(pipe.accounts.calls).toEqual([`lock ${PEOPLE.adult.pnr} ${id}`]);
    expect((await h.cases.get(id))?.status).toBe("EXECUTING"); // the confirmation and archive follow in the ASL

    const queue = await h.call("GET", "/api/review-queue", { token: h.tokens.handler2 });
    expect(queue.json.followUp.map((i: { caseId: string }) => i.caseId)).toEqual([id]);
    const link = await h.call("POST", `/api/cases/${id}/link`, {
      token: h.tokens.handler,
      body: { scanCaseId: "case-phone" },
    });
    expect(link.status).toBe(200);
    expect((await h.cases.get(id))?.followUp).toBeUndefined();
    const after = await h.call("GET", "/api/review-queue", { token: h.tokens.handler2 });
    expect(after.json.followUp).toEqual([]);
  });

  it("overriding NAME_MISMATCH (or another who/which-paper reason) needs a second handler, even for a LOCK", async () => {
    const h = await createHarness();
    wirePipeline(h);
    const seeded = "case-name-mismatch"; // sample-18: an UNLOCK
    await claim(h, seeded, h.tokens.handler);
    const res = await decide(h, seeded, h.tokens.handler, { decision: "APPROVE" });
    expect(res.status).toBe(200);
    expect(res.json.case.status).toBe("AWAITING_SECOND_APPROVAL");
    expect(res.json.case.proposal).toMatchObject({
      why: ["HANDLER_RELEASE", "OVERRIDE"],
      overrides: ["NAME_MISMATCH"],
    });
    for (const reason of ["PERSON_NOT_FOUND", "PNR_INVALID", "GUARDIAN_MISMATCH", "PROTECTED_IDENTITY"] as const) {
      const id = `case-lock-${reason}`;
      await h.cases.create(makeCase({ caseId: id, action: "LOCK", reasons: [reason] }));
      await claim(h, id, h.tokens.handler);
      const lock = await decide(h, id, h.tokens.handler, { decision: "APPROVE" });
      expect([reason, lock.json.case.status, lock.json.case.proposal?.why]).toEqual([
        reason,
        "AWAITING_SECOND_APPROVAL",
        ["OVERRIDE"],
      ]);
    }
    expect(h.resumed).toEqual([]);
  });
});

describe("four eyes: the pipeline's own guards", () => {
  it("an approval written without its second handler is parked by ValidateCase and refused by ExecuteAction", async () => {
    const h = await createHarness();
    const pipe = wirePipeline(h);
    const id: string = (await urgentUnblock(h)).json.case.caseId;
    const record = await h.cases.get(id);
    if (!record) throw new Error("missing");
    // As if a single approval had slipped past the API (an old record, a bug): the pipeline still refuses.
    const oneHandler = { by: "user:anna", at: T0, decision: "APPROVE" as const };
    await h.cases.put({ ...record, version: record.version + 1, status: "APPROVED", handlerDecision: oneHandler });
    await expect(
      executeAction({ caseId: id }, { cases: h.cases, accounts: pipe.accounts, clock: h.clock, scans: h.deps.scans }),
    ).rejects.toBeInstanceOf(ActionNotAllowedError);
    await h.deps.resumer(id);
    expect(pipe.routes).toEqual([{ caseId: id, route: "REVIEW" }]);
    expect(pipe.accounts.calls).toEqual([]);
    const parked = await h.cases.get(id);
    expect(parked?.status).toBe("IN_REVIEW");
    expect(parked?.reviewReason).toBe("Beslutet kräver godkännande av två olika handläggare.");
    // Parked again after an approval: back in the handlers' queue (it used to vanish).
    const queue = await h.call("GET", "/api/review-queue", { token: h.tokens.handler2 });
    expect(queue.json.items.map((i: { caseId: string }) => i.caseId)).toContain(id);
  });
});

describe("four eyes: the region setting FOUR_EYES_ALL_UNLOCKS", () => {
  const unlockFields: Record<string, FieldReading> = Object.fromEntries(
    Object.entries({
      "action.lock": false,
      "action.unlock": true,
      "citizen.personnummer": PEOPLE.adult.pnr,
      "citizen.givenName": PEOPLE.adult.given,
      "citizen.surname": PEOPLE.adult.surname,
      "citizen.placeAndDate": "Borås 2025-03-20",
      "citizen.signed": true,
      "verifier.idDocument.passport": true,
      "verifier.name": "Anna Johansson",
      "verifier.title": "Sjuksköterska",
      "verifier.unit": "Vårdcentralen Hisingen",
      "verifier.caregiver": "Västra Götalandsregionen",
      "verifier.vgrId": "annjo12",
      "verifier.phone": "010-441 00 00",
      "verifier.email": "vc.hisingen@example.org",
      "verifier.date": "2025-03-20",
      "verifier.signed": true,
    }).map(([k, v]) => [k, { value: v, confidence: 0.99 }]),
  );
  const readUnlock = (caseId: string) =>
    makeCase({ caseId, status: "READ", action: "UNLOCK", decision: null, fields: unlockFields });

  it("off: a complete UNLOCK paper is executed by the machine", async () => {
    const h = await createHarness();
    const pipe = wirePipeline(h);
    await h.cases.create(readUnlock("case-unlock"));
    await h.deps.resumer("case-unlock");
    expect(pipe.routes).toEqual([{ caseId: "case-unlock", route: "EXECUTE" }]);
    expect(pipe.accounts.calls).toEqual([`unlock ${PEOPLE.adult.pnr} case-unlock`]);
  });

  it("on: the same paper goes to the handlers and needs two of them", async () => {
    const h = await createHarness();
    h.deps.fourEyes = { allUnlocks: true };
    const pipe = wirePipeline(h, { allUnlocks: true });
    await h.cases.create(readUnlock("case-unlock"));
    await h.deps.resumer("case-unlock");
    expect(pipe.routes).toEqual([{ caseId: "case-unlock", route: "REVIEW" }]);
    expect(pipe.accounts.calls).toEqual([]);
    const parked = await h.cases.get("case-unlock");
    expect(parked?.status).toBe("IN_REVIEW");
    expect(parked?.reviewReason).toContain("två handläggare");
    const page = await h.call("GET", "/cases/case-unlock", { cookie: `lockdesk_token=${h.tokens.handler}` });
    expect(page.body).toContain('id="four-eyes-required"');
    await claim(h, "case-unlock", h.tokens.handler);
    const res = await decide(h, "case-unlock", h.tokens.handler, { decision: "APPROVE" });
    expect(res.json.case.status).toBe("AWAITING_SECOND_APPROVAL");
    expect(res.json.case.proposal.why).toEqual(["HANDLER_RELEASE", "REGION_ALL_UNLOCKS"]);
    await claim(h, "case-unlock", h.tokens.handler2);
    expect((await decide(h, "case-unlock", h.tokens.handler2, { decision: "APPROVE" })).status).toBe(200);
    expect(pipe.accounts.calls).toEqual([`unlock ${PEOPLE.adult.pnr} case-unlock`]);
  });
});

describe("decisions need the facts", () => {
  it("APPROVE of a PHONE_VERIFICATION case needs a recorded VERIFIED call (409 otherwise)", async () => {
    const h = await createHarness();
    const ID = "case-phone";
    const unclaimed = await decide(h, ID, h.tokens.handler, { decision: "APPROVE" });
    expect(unclaimed.status).toBe(409);
    expect(unclaimed.json.message).toContain("ta ärendet");
    await claim(h, ID, h.tokens.handler);
    const noCall = await decide(h, ID, h.tokens.handler, { decision: "APPROVE" });
    expect(noCall.status).toBe(409);
    expect(noCall.json.error).toBe("ActionNotAllowedError");
    expect(noCall.json.message).toContain("inget samtal där personalen bekräftades");
    const call = (outcome: string) =>
      h.call("POST", `/api/cases/${ID}/phone-verification`, {
        token: h.tokens.handler,
        body: { calledName: "Per Holm", phone: "010-441 20 00", outcome, version: 0 },
      });
    const v = async (outcome: string) => {
      const version = (await h.cases.get(ID))?.version ?? 0;
      return h.call("POST", `/api/cases/${ID}/phone-verification`, {
        token: h.tokens.handler,
        body: { calledName: "Per Holm", phone: "010-441 20 00", outcome, version },
      });
    };
    expect((await call("NO_ANSWER")).status).toBe(409); // stale version: nothing recorded
    expect((await v("NO_ANSWER")).status).toBe(200);
    expect((await decide(h, ID, h.tokens.handler, { decision: "APPROVE" })).status).toBe(409);
    expect((await v("VERIFIED")).status).toBe(200);
    const ok = await decide(h, ID, h.tokens.handler, { decision: "APPROVE" });
    expect(ok.status).toBe(200);
    expect(ok.json.case.status).toBe("APPROVED");
    expect(h.resumed).toEqual([ID]);
  });

  it("the same holds for STAFF_NOT_VERIFIED", async () => {
    const h = await createHarness();
    await h.cases.create(makeCase({ caseId: "case-staff", reasons: ["STAFF_NOT_VERIFIED"] }));
    await claim(h, "case-staff", h.tokens.handler);
    const res = await decide(h, "case-staff", h.tokens.handler, { decision: "APPROVE" });
    expect(res.status).toBe(409);
    expect(res.json.error).toBe("ActionNotAllowedError");
  });
});
