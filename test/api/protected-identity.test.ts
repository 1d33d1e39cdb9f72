// Protected identity (skyddad identitet) in the case detail: the API and the page mark the case and withhold the
// subject's address-like data (e-mail, phone, place), including a handler's correction of it and the OCR box.
import { describe, expect, it } from "vitest";
import type { CaseRecord } from "../../shared/domain/case.ts";
import { createHarness, type Harness, makeCase, PNR } from "./support/harness.ts";

const EMAIL = "hemlig.adress@example.se";
const PHONE = "0701-23 45 67";
const PLACE = "Borås 2025-03-20";
const CORRECTED_EMAIL = "ny.hemlig@example.se";

function protectedCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  const box = { page: 1, x: 100, y: 200, w: 300, h: 40 };
  return makeCase({
    caseId: "case-protected",
    formCode: "1177-EGEN",
    action: "LOCK",
    reasons: ["PROTECTED_IDENTITY"],
    subjectPersonnummer: PNR.saga,
    registry: { found: true, nameMatches: true, protectedIdentity: true, checkedAt: "2025-03-24T08:16:00.000Z" },
    fields: {
      "citizen.personnummer": { value: PNR.saga, confidence: 0.99 },
      "citizen.givenName": { value: "Saga", confidence: 0.97 },
      "citizen.surname": { value: "Nilsson", confidence: 0.97 },
      "citizen.email": { value: EMAIL, confidence: 0.95, box },
      "citizen.phone": { value: PHONE, confidence: 0.95, box },
      "citizen.placeAndDate": { value: PLACE, confidence: 0.9, box },
      "verifier.name": { value: "Anna Andersson", confidence: 0.95 },
    },
    corrections: { "citizen.email": CORRECTED_EMAIL },
    ...overrides,
  });
}

async function seeded(record: CaseRecord): Promise<Harness> {
  const h = await createHarness();
  await h.cases.create(record);
  return h;
}

describe("protected identity in the case detail", () => {
  it("API: marks the case and withholds e-mail, phone and place (value, read value, correction, box)", async () => {
    const h = await seeded(protectedCase());
    const res = await h.call("GET", "/api/cases/case-protected", { token: h.tokens.handler });
    expect(res.status).toBe(200);
    expect(res.json.protectedIdentity).toBe(true);
    const byName = Object.fromEntries((res.json.fields as Array<{ name: string }>).map((f) => [f.name, f]));
    for (const name of ["citizen.email", "citizen.phone", "citizen.placeAndDate"]) {
      expect(byName[name]).toMatchObject({ value: "", readValue: null, box: null, confidence: null, hidden: true });
    }
    // Identity fields stay: the handler must still check the name against the registry.
    expect(byName["citizen.surname"]).toMatchObject({ value: "Nilsson" });
    expect(byName["citizen.surname"]).not.toHaveProperty("hidden");
    expect(byName["verifier.name"]).toMatchObject({ value: "Anna Andersson" });
    const body = String(res.body);
    for (const secret of [EMAIL, PHONE, PLACE, CORRECTED_EMAIL]) expect(body).not.toContain(secret);
  });

  it("page: shows the Skyddad identitet banner and no address-like value or input for it", async () => {
    const h = await seeded(protectedCase());
    const page = await h.call("GET", "/cases/case-protected", { cookie: `lockdesk_token=${h.tokens.handler}` });
    expect(page.status).toBe(200);
    const body = String(page.body);
    expect(body).toContain('id="protected-identity"');
    expect(body).toContain("Skyddad identitet.");
    expect(body).toContain("<title>Ärende case-protected (skyddad identitet) – Spärr- och loggservice</title>");
    expect(body.match(/Dold – skyddad identitet/g)).toHaveLength(3);
    for (const secret of [EMAIL, PHONE, PLACE, CORRECTED_EMAIL]) expect(body).not.toContain(secret);
    expect(body).not.toContain('name="citizen.email"');
    expect(body).not.toContain('name="citizen.phone"');
    expect(body).toContain('name="citizen.surname"');
  });

  it("marks the case from the registry result alone (reason already resolved by a handler)", async () => {
    const h = await seeded(protectedCase({ reasons: [] }));
    const res = await h.call("GET", "/api/cases/case-protected", { token: h.tokens.admin });
    expect(res.json.protectedIdentity).toBe(true);
    expect(String(res.body)).not.toContain(EMAIL);
  });

  it("1177-VH with a protected child: the child is marked, the guardians' fields are not withheld", async () => {
    const h = await seeded(
      makeCase({
        caseId: "case-child",
        formCode: "1177-VH",
        action: "BLOCK",
        reasons: ["CHILD_PROTECTED_NO_BLOCK_NEEDED"],
        subjectPersonnummer: PNR.child,
        fields: {
          "child.personnummer": { value: PNR.child, confidence: 0.99 },
          "guardian1.name": { value: "Olof Söderberg", confidence: 0.95 },
          "requester.phone": { value: "031-10 20 30", confidence: 0.95 },
        },
      }),
    );
    const res = await h.call("GET", "/api/cases/case-child", { token: h.tokens.handler });
    expect(res.json.protectedIdentity).toBe(true);
    expect((res.json.fields as Array<{ hidden?: boolean }>).filter((f) => f.hidden)).toEqual([]);
    expect(String(res.body)).toContain("031-10 20 30");
  });

  it("an ordinary case is neither marked nor withheld", async () => {
    const h = await createHarness();
    const res = await h.call("GET", "/api/cases/case-name-mismatch", { token: h.tokens.handler });
    expect(res.json.protectedIdentity).toBe(false);
    expect((res.json.fields as Array<{ hidden?: boolean }>).some((f) => f.hidden)).toBe(false);
    const page = await h.call("GET", "/cases/case-name-mismatch", { cookie: `lockdesk_token=${h.tokens.handler}` });
    expect(String(page.body)).not.toContain('id="protected-identity"');
  });
});
