// Manual entry of an unrecognised document (issue 14) through the API and the real resumed pipeline: the handler
// who holds the case chooses the form and types its fields; ValidateCase applies every rule and the four-eyes rule.
import { describe, expect, it } from "vitest";
import { createHarness, type Harness, makeCase } from "./support/harness.ts";
import { PEOPLE, REQUESTER, wirePipeline } from "./support/pipeline.ts";

const ID = "case-unknown";

async function seedUnknown(h: Harness) {
  await h.cases.create(
    makeCase({ caseId: ID, formCode: null, formVersion: null, action: null, reasons: ["UNRECOGNIZED_DOCUMENT"] }),
  );
}

function enter(h: Harness, body: Record<string, unknown>, token = h.tokens.handler) {
  return h.cases
    .get(ID)
    .then((c) => h.call("POST", `/api/cases/${ID}/form`, { token, body: { version: c?.version ?? 0, ...body } }));
}

const BLOCK_FIELDS = {
  "action.block": true,
  "child.personnummer": PEOPLE.child.pnr,
  "child.givenName": PEOPLE.child.given,
  "child.surname": PEOPLE.child.surname,
  "guardian1.personnummer": PEOPLE.guardian1.pnr,
  "guardian1.name": PEOPLE.guardian1.name,
  ...REQUESTER,
};

describe("manual entry of an unrecognised document", () => {
  it("a typed 1177-VH BLOCK that passes the rules runs on one handler's word; every field of the form is on the case", async () => {
    const h = await createHarness();
    const pipeline = wirePipeline(h);
    await seedUnknown(h);
    expect((await h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler })).status).toBe(200);
    const res = await enter(h, { formCode: "1177-VH", fields: BLOCK_FIELDS });
    expect(res.status).toBe(200);
    expect(pipeline.routes).toEqual([{ caseId: ID, route: "EXECUTE" }]);
    expect(pipeline.accounts.calls).toHaveLength(1);
    expect(pipeline.accounts.calls[0]).toContain(PEOPLE.child.pnr);
    const stored = await h.cases.get(ID);
    expect(stored?.formCode).toBe("1177-VH");
    expect(stored?.action).toBe("BLOCK");
    expect(stored?.reasons).toEqual([]);
    expect(Object.keys(stored?.fields ?? {})).toHaveLength(20); // all fields of 1177-VH (contract §1)
    expect(stored?.corrections["guardian2.personnummer"]).toBe("");
    expect((await h.audit.byCase(ID)).map((e) => e.action)).toContain("ENTER_FORM");
  });

  it("a typed form with a RETURN defect is returned; a typed UNLOCK/UNBLOCK waits for a second handler", async () => {
    const h = await createHarness();
    const pipeline = wirePipeline(h);
    await seedUnknown(h);
    await h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler });
    const unsigned = { ...BLOCK_FIELDS, "requester.signed": false };
    expect((await enter(h, { formCode: "1177-VH", fields: unsigned })).status).toBe(200);
    expect(pipeline.routes.at(-1)?.route).toBe("RETURN");
    expect((await h.cases.get(ID))?.reasons).toEqual(["NOT_VIDIMATED"]);

    const h2 = await createHarness();
    const p2 = wirePipeline(h2);
    await seedUnknown(h2);
    await h2.call("POST", `/api/cases/${ID}/claim`, { token: h2.tokens.handler });
    const unblock = { ...BLOCK_FIELDS, "action.block": false, "action.unblock": true };
    expect((await enter(h2, { formCode: "1177-VH", fields: unblock })).status).toBe(200);
    expect(p2.routes).toEqual([{ caseId: ID, route: "REVIEW" }]);
    expect(p2.accounts.calls).toEqual([]);
    expect((await h2.cases.get(ID))?.status).toBe("IN_REVIEW");
  });

  it("refuses: not claimed (409), a field not on the form or of the wrong type (400), a case with a known form (409)", async () => {
    const h = await createHarness();
    wirePipeline(h);
    await seedUnknown(h);
    expect((await enter(h, { formCode: "1177-VH", fields: BLOCK_FIELDS })).status).toBe(409);
    await h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler });
    const foreign = await enter(h, { formCode: "1177-VH", fields: { ...BLOCK_FIELDS, "citizen.surname": "X" } });
    expect(foreign.status).toBe(400);
    expect(foreign.json.message).toContain("citizen.surname");
    expect((await enter(h, { formCode: "1177-VH", fields: { "action.block": "yes" } })).status).toBe(400);
    expect((await enter(h, { formCode: "1177-XX", fields: {} })).status).toBe(400);
    expect((await h.cases.get(ID))?.formCode).toBeNull();
    await h.call("POST", "/api/cases/case-name-mismatch/claim", { token: h.tokens.handler });
    const known = await h.call("POST", "/api/cases/case-name-mismatch/form", {
      token: h.tokens.handler,
      body: { version: 4, formCode: "1177-VH", fields: BLOCK_FIELDS },
    });
    expect(known.status).toBe(409);
  });
});
