// Two handlers claim the same case from the same version: exactly one wins, the other gets 409 and
// nothing of the loser's decision is written; the resumer runs once.
import { describe, expect, it } from "vitest";
import { createHarness } from "./support/harness.ts";

const ID = "case-name-mismatch";

describe("409 race between two handlers", () => {
  it("concurrent claims on one version: one 200, one 409; only the holder decides, once", async () => {
    const h = await createHarness();
    const [a, b] = await Promise.all([
      h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler }),
      h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler2 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] =
      a.status === 200 ? [h.tokens.handler, h.tokens.handler2] : [h.tokens.handler2, h.tokens.handler];
    const [lost, won] = await Promise.all([
      h.call("POST", `/api/cases/${ID}/decision`, {
        token: loser,
        body: { decision: "CLOSE", version: 4, note: "dubblett" },
      }),
      h.call("POST", `/api/cases/${ID}/decision`, {
        token: winner,
        body: { decision: "CLOSE", version: 4, note: "dubblett" },
      }),
    ]);
    expect(won.status).toBe(200);
    expect(lost.status).toBe(409);
    const stored = await h.cases.get(ID);
    expect(stored?.version).toBe(5);
    expect(stored?.history.filter((e) => e.what.startsWith("decision"))).toHaveLength(1);
    const decisions = (await h.audit.byCase(ID)).filter((e) => e.action.startsWith("DECIDE_"));
    expect(decisions).toHaveLength(1);
  });

  it("a stale version after the other handler's correction → 409, correction kept, no resume", async () => {
    const h = await createHarness();
    const fix = await h.call("PATCH", `/api/cases/${ID}/fields`, {
      token: h.tokens.handler,
      body: { version: 3, corrections: { "citizen.surname": "Nilsson" } },
    });
    expect(fix.status).toBe(200);
    expect(fix.json.case.version).toBe(4);
    const stale = await h.call("POST", `/api/cases/${ID}/decision`, {
      token: h.tokens.handler2,
      body: { decision: "RETURN", version: 3, returnReasons: ["NOT_VIDIMATED"] },
    });
    expect(stale.status).toBe(409);
    const stored = await h.cases.get(ID);
    expect(stored?.status).toBe("IN_REVIEW");
    expect(stored?.handlerDecision).toBeUndefined();
    expect(stored?.reasons).toEqual(["NAME_MISMATCH"]);
    expect(stored?.corrections).toEqual({ "citizen.surname": "Nilsson" });
    expect(h.resumed).toEqual([]);
  });

  it("a claim keeps the other handler out until released", async () => {
    const h = await createHarness();
    expect((await h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler })).status).toBe(200);
    const other = await h.call("POST", `/api/cases/${ID}/decision`, {
      token: h.tokens.handler2,
      body: { decision: "APPROVE", version: 4 },
    });
    expect(other.status).toBe(409);
    expect(other.json.error).toBe("CaseClaimedError");
    expect((await h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler2 })).status).toBe(409);
    expect((await h.call("POST", `/api/cases/${ID}/release`, { token: h.tokens.handler2 })).status).toBe(409);
    expect((await h.call("POST", `/api/cases/${ID}/release`, { token: h.tokens.handler })).status).toBe(200);
    expect((await h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler2 })).status).toBe(200);
    const ok = await h.call("POST", `/api/cases/${ID}/decision`, {
      token: h.tokens.handler2,
      body: { decision: "RETURN", version: 6, returnReasons: ["NOT_VIDIMATED"] },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.case.handlerDecision.by).toBe("user:bertil");
  });
});
