import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePersonsCsv } from "../../../shared/adapters/local/csv-person-registry.ts";
import { type FieldValue, FORM_ROLES, type FormCode } from "../../../shared/domain/forms.ts";
import { isValidPersonnummer12 } from "../../../shared/domain/personnummer.ts";
import { type DecideInput, decide } from "../../../shared/domain/rules.ts";
import { ANNA, APPROVED, egen, HANNA, JOHAN, NILS_PROTECTED, RECEIVED, REGISTRY_CSV, vg, vh } from "./forms-fixture.ts";

const PEOPLE = new Map(parsePersonsCsv(readFileSync(REGISTRY_CSV, "utf8")).map((p) => [p.personnummer, p]));

/** Runs the rules as validate-form does: registry lookup only with a valid subject number. */
function run(
  formCode: FormCode | null,
  fields: Record<string, FieldValue>,
  extra: Partial<
    Pick<DecideInput, "confidence" | "alternatives" | "receivedDate" | "minConfidence" | "approvedCaregivers">
  > = {},
) {
  const pnr = formCode ? fields[`${FORM_ROLES[formCode].subject}.personnummer`] : undefined;
  const lookup = typeof pnr === "string" && isValidPersonnummer12(pnr) ? { subject: PEOPLE.get(pnr) ?? null } : {};
  return decide({
    formCode,
    action: null,
    fields,
    receivedDate: RECEIVED,
    approvedCaregivers: APPROVED,
    ...lookup,
    ...extra,
  });
}

describe("clean forms execute", () => {
  it.each([
    ["1177-EGEN", egen("LOCK")],
    ["1177-EGEN", egen("UNLOCK")],
    ["1177-VG", vg("LOCK")],
    ["1177-VG", vg("UNLOCK")],
    ["1177-VH", vh("BLOCK")],
    ["1177-VH", vh("UNBLOCK")],
  ] as const)("%s", (code, fields) => {
    const r = run(code, fields);
    expect(r).toMatchObject({ decision: "EXECUTE", reasons: [] });
    expect(r.action).not.toBeNull();
  });
});

describe("every reason code", () => {
  it("NOT_VIDIMATED: empty voucher name, or missing voucher signature", () => {
    expect(run("1177-EGEN", { ...egen(), "verifier.name": "" })).toMatchObject({
      decision: "RETURN",
      reasons: ["NOT_VIDIMATED"],
    });
    expect(run("1177-VG", { ...vg(), "requester.signed": false }).reasons).toEqual(["NOT_VIDIMATED"]);
  });

  it("ACTION_MISSING: no box or both boxes", () => {
    expect(run("1177-EGEN", { ...egen(), "action.lock": false }).reasons).toEqual(["ACTION_MISSING"]);
    const both = run("1177-VH", { ...vh(), "action.unblock": true });
    expect(both).toMatchObject({ decision: "RETURN", reasons: ["ACTION_MISSING"], action: null });
  });

  it("CITIZEN_SIGNATURE_MISSING on 1177-EGEN, even with place and date written", () => {
    const f = { ...egen(), "citizen.signed": false, "citizen.placeAndDate": "Borås 2025-03-12" };
    expect(run("1177-EGEN", f)).toMatchObject({ decision: "RETURN", reasons: ["CITIZEN_SIGNATURE_MISSING"] });
  });

  it("AGE_NOT_ELIGIBLE: a child on 1177-EGEN, a 13-year-old on 1177-VH", () => {
    // 201401292394 Omar Jörgen Magnusson-Bergman, 11 on the receipt date.
    const child = { pnr: "201401292394", given: "Omar", surname: "Magnusson-Bergman" };
    expect(run("1177-EGEN", egen("LOCK", child))).toMatchObject({ decision: "RETURN", reasons: ["AGE_NOT_ELIGIBLE"] });
    // 201006172397 Fredrik Söderström-Jakobsson, 14.
    const teen = {
      ...vh(),
      "child.personnummer": "201006172397",
      "child.givenName": "Fredrik",
      "child.surname": "Söderström-Jakobsson",
      "guardian1.personnummer": "197909052396",
    };
    expect(run("1177-VH", teen).reasons).toEqual(["AGE_NOT_ELIGIBLE"]);
  });

  it("THREAT_CHECK_MISSING: 1177-VG unlock without the manager's check, name or signature", () => {
    for (const change of [{ "manager.threatChecked": false }, { "manager.name": "" }, { "manager.signed": false }]) {
      expect(run("1177-VG", { ...vg("UNLOCK"), ...change }).reasons).toEqual(["THREAT_CHECK_MISSING"]);
    }
    // Locking needs no manager section.
    expect(run("1177-VG", { ...vg("LOCK"), "manager.signed": false }).decision).toBe("EXECUTE");
  });

  it("CAREGIVER_NOT_APPROVED", () => {
    const f = { ...egen(), "verifier.caregiver": "Capio Vårdcentral Lerum AB" };
    expect(run("1177-EGEN", f)).toMatchObject({ decision: "RETURN", reasons: ["CAREGIVER_NOT_APPROVED"] });
  });

  it("PNR_INVALID: subject check digit, or a guardian's number on 1177-VH", () => {
    expect(run("1177-EGEN", { ...egen(), "citizen.personnummer": "198207142393" })).toMatchObject({
      decision: "REVIEW",
      reasons: ["PNR_INVALID"],
    });
    expect(run("1177-VH", { ...vh(), "guardian1.personnummer": "198109222392" }).reasons).toEqual(["PNR_INVALID"]);
    expect(run("1177-VH", { ...vh(), "guardian2.name": "Agneta Svensson" }).reasons).toEqual(["PNR_INVALID"]);
  });

  it("PERSON_NOT_FOUND: a valid test number that is not in the registry", () => {
    const f = { ...egen(), "citizen.personnummer": "196408233234" };
    expect(run("1177-EGEN", f)).toMatchObject({ decision: "REVIEW", reasons: ["PERSON_NOT_FOUND"] });
  });

  it("NAME_MISMATCH: another surname or a given name the person does not have", () => {
    expect(run("1177-EGEN", { ...egen(), "citizen.surname": "Nilsson" }).reasons).toEqual(["NAME_MISMATCH"]);
    expect(run("1177-VG", { ...vg(), "citizen.givenName": "Anna Maria" }).reasons).toEqual(["NAME_MISMATCH"]);
  });

  it("PHONE_VERIFICATION: approved caregiver, empty VGR-ID", () => {
    const f = { ...vg(), "requester.caregiver": "Läkarhuset Åby AB", "requester.vgrId": "" };
    expect(run("1177-VG", f)).toMatchObject({ decision: "REVIEW", reasons: ["PHONE_VERIFICATION"] });
  });

  it("PROTECTED_IDENTITY", () => {
    expect(run("1177-EGEN", egen("UNLOCK", NILS_PROTECTED))).toMatchObject({
      decision: "REVIEW",
      reasons: ["PROTECTED_IDENTITY"],
    });
  });

  it("GUARDIAN_MISMATCH: a valid guardian number not registered for the child", () => {
    const f = { ...vh(), "guardian2.personnummer": "198207142392", "guardian2.name": "Johan Andersson" };
    expect(run("1177-VH", f)).toMatchObject({ decision: "REVIEW", reasons: ["GUARDIAN_MISMATCH"] });
    const both = { ...vh(), "guardian2.personnummer": HANNA.guardians[1] as string, "guardian2.name": "Agneta" };
    expect(run("1177-VH", both).decision).toBe("EXECUTE");
  });

  it("UNRECOGNIZED_DOCUMENT", () => {
    expect(run(null, {})).toMatchObject({ decision: "REVIEW", reasons: ["UNRECOGNIZED_DOCUMENT"] });
  });

  it("lists several codes in the contract's order; RETURN wins over REVIEW", () => {
    const f = { ...egen(), "citizen.signed": false, "citizen.personnummer": "198207142393", "verifier.name": "" };
    expect(run("1177-EGEN", f)).toMatchObject({
      decision: "RETURN",
      reasons: ["NOT_VIDIMATED", "CITIZEN_SIGNATURE_MISSING", "PNR_INVALID"],
    });
  });
});

describe("adversarial", () => {
  it("a misread personnummer that passes the check digit but points at someone else → NAME_MISMATCH, never EXECUTE", () => {
    // Written for Leif Sven Holm (198304122396); two digits misread give 198004152396 (Sölve Samuelsson).
    const f = egen("LOCK", { pnr: "198004152396", given: "Leif", surname: "Holm" });
    expect(isValidPersonnummer12("198004152396")).toBe(true);
    expect(run("1177-EGEN", f)).toMatchObject({ decision: "REVIEW", reasons: ["NAME_MISMATCH"] });
    // Same with a doubtful personnummer read: the registry does not confirm it.
    const doubtful = run("1177-EGEN", f, { confidence: { "citizen.personnummer": 0.3 } });
    expect(doubtful.decision).toBe("REVIEW");
  });

  it("a look-alike name (Kristian for Agneta Kristina Isaksson) is a mismatch", () => {
    const f = egen("LOCK", { pnr: "195405162644", given: "Kristian", surname: "Isaksson" });
    expect(run("1177-EGEN", f).reasons).toEqual(["NAME_MISMATCH"]);
    const ok = egen("LOCK", { pnr: "195405162644", given: "KRISTINA", surname: "Isaksson" });
    expect(run("1177-EGEN", ok).decision).toBe("EXECUTE");
  });

  it("an OCR-noisy name still matches; diacritics dropped by hand-writers are fine", () => {
    const f = egen("LOCK", { pnr: "195309112489", given: "Ingrid", surname: "Astr0m" });
    expect(run("1177-EGEN", f)).toMatchObject({ decision: "EXECUTE", reasons: [] });
    // With a stricter threshold the same noisy read goes to a handler.
    expect(run("1177-EGEN", f, { minConfidence: 0.9 })).toMatchObject({
      decision: "REVIEW",
      reasons: ["LOW_CONFIDENCE"],
    });
  });

  it("age boundary: 13 on the birthday (born 2012-03-17); 29 Feb birthday on 1 Mar", () => {
    // Ages are computed from the number's birth date even for people outside the registry.
    const born0317 = egen("LOCK", { pnr: "201203172380", given: "Test", surname: "Person" });
    expect(run("1177-EGEN", born0317, { receivedDate: "2025-03-16" }).reasons).toEqual([
      "AGE_NOT_ELIGIBLE",
      "PERSON_NOT_FOUND",
    ]);
    expect(run("1177-EGEN", born0317, { receivedDate: "2025-03-17" }).reasons).toEqual(["PERSON_NOT_FOUND"]);
    const leap = egen("LOCK", { pnr: "201202292395", given: "Test", surname: "Person" });
    expect(run("1177-EGEN", leap, { receivedDate: "2025-02-28" }).reasons).toContain("AGE_NOT_ELIGIBLE");
    expect(run("1177-EGEN", leap, { receivedDate: "2025-03-01" }).reasons).not.toContain("AGE_NOT_ELIGIBLE");
  });

  it("age applies with an invalid check digit when the date is real", () => {
    const f = egen("LOCK", { pnr: "201401292395", given: "Omar", surname: "Magnusson-Bergman" });
    expect(run("1177-EGEN", f)).toMatchObject({ decision: "RETURN", reasons: ["AGE_NOT_ELIGIBLE", "PNR_INVALID"] });
  });

  it("a caregiver near-miss (Kvinnohälsan Öst AB when only Väst is approved) is not approved", () => {
    const f = { ...vg(), "requester.caregiver": "Kvinnohälsan Öst AB" };
    expect(run("1177-VG", f, { confidence: { "requester.caregiver": 0.9 } }).reasons).toEqual([
      "CAREGIVER_NOT_APPROVED",
    ]);
    // An OCR misread of the approved name snaps to it.
    const misread = { ...vg(), "requester.caregiver": "Kvinnohalsan Vast A8" };
    expect(run("1177-VG", misread, { confidence: { "requester.caregiver": 0.4 } }).decision).toBe("EXECUTE");
  });

  it("two readers of a hand-written name: either reading matching the registry is a match", () => {
    const f = egen("LOCK", { pnr: "198304122396", given: "Leif", surname: "Hdm" });
    const alternatives = { "citizen.surname": ["Holm"] };
    expect(run("1177-EGEN", f, { confidence: { "citizen.surname": 0.45 } }).reasons).toEqual(["LOW_CONFIDENCE"]);
    expect(run("1177-EGEN", f, { confidence: { "citizen.surname": 0.45 }, alternatives })).toMatchObject({
      decision: "EXECUTE",
      reasons: [],
    });
  });

  it("two readers of hand-written given names: each word may come from either reader", () => {
    // Agneta Kristina Isaksson: one reader garbles the first name, the other the second.
    const f = egen("LOCK", { pnr: "195405162644", given: "Agmcta Kristina", surname: "Isaksson" });
    const alternatives = { "citizen.givenName": ["Agneta Krxstxna"] };
    const confidence = { "citizen.givenName": 0.45 };
    expect(run("1177-EGEN", f, { confidence }).reasons).toEqual(["LOW_CONFIDENCE"]);
    expect(run("1177-EGEN", f, { confidence, alternatives })).toMatchObject({ decision: "EXECUTE", reasons: [] });
    // Mixing never makes a look-alike real name the registry's: Kristian is not Kristina in either reading.
    const wrong = egen("LOCK", { pnr: "195405162644", given: "Agmcta Kristian", surname: "Isaksson" });
    const other = { "citizen.givenName": ["Agneta Kristian"] };
    expect(run("1177-EGEN", wrong, { alternatives: other }).reasons).toEqual(["NAME_MISMATCH"]);
  });

  it("two readers of a hand-written name: a mismatch needs both readings to differ", () => {
    // Both readers read another person's name (Saga for Leif): NAME_MISMATCH, even with an alternative.
    const f = egen("LOCK", { pnr: "198304122396", given: "Saga", surname: "Holm" });
    expect(run("1177-EGEN", f, { alternatives: { "citizen.givenName": ["Sago"] } }).reasons).toEqual(["NAME_MISMATCH"]);
    // An alternative never turns a match into a mismatch.
    const ok = egen("LOCK", { pnr: "198304122396", given: "Leif", surname: "Holm" });
    expect(run("1177-EGEN", ok, { alternatives: { "citizen.surname": ["Nilsson"] } }).decision).toBe("EXECUTE");
  });

  it("two readers of a hand-written caregiver: an approved reading approves; neither approved is not a RETURN on doubt", () => {
    const f = { ...vg(), "requester.caregiver": "Kvinnohalsam Vsst 48" };
    const alternatives = { "requester.caregiver": ["Kvinnohälsan Väst AB"] };
    expect(run("1177-VG", f, { confidence: { "requester.caregiver": 0.45 }, alternatives }).decision).toBe("EXECUTE");
    // Another reader's "not approved" reading cannot outvote an approved one, nor RETURN a doubtful one.
    const approved = { ...vg(), "requester.caregiver": "Kvinnohälsan Väst AB" };
    const other = { "requester.caregiver": ["Kvinnohälsan Öst AB"] };
    expect(run("1177-VG", approved, { alternatives: other }).decision).toBe("EXECUTE");
    const doubtful = { ...vg(), "requester.caregiver": "Kvinnohälsan Öst AB" };
    expect(
      run("1177-VG", doubtful, { confidence: { "requester.caregiver": 0.45 }, alternatives: other }).reasons,
    ).toEqual(["LOW_CONFIDENCE"]);
  });

  it("a doubtful caregiver read that matches nothing is REVIEW LOW_CONFIDENCE, not RETURN", () => {
    const f = { ...vg(), "requester.caregiver": "Kv1nn0h###n V" };
    expect(run("1177-VG", f, { confidence: { "requester.caregiver": 0.2 } })).toMatchObject({
      decision: "REVIEW",
      reasons: ["LOW_CONFIDENCE"],
      doubtfulFields: ["requester.caregiver"],
    });
  });

  it("a doubtful signature never turns into EXECUTE nor into a RETURN", () => {
    const present = run("1177-EGEN", egen(), { confidence: { "citizen.signed": 0.2 } });
    expect(present).toMatchObject({ decision: "REVIEW", reasons: ["LOW_CONFIDENCE"] });
    const missing = run("1177-EGEN", { ...egen(), "citizen.signed": false }, { confidence: { "citizen.signed": 0.2 } });
    expect(missing).toMatchObject({ decision: "REVIEW", reasons: ["LOW_CONFIDENCE"] });
  });

  it("a doubtful action box → LOW_CONFIDENCE", () => {
    const r = run("1177-VH", vh(), { confidence: { "action.unblock": 0.1 } });
    expect(r).toMatchObject({ decision: "REVIEW", reasons: ["LOW_CONFIDENCE"], doubtfulFields: ["action.unblock"] });
  });

  it("a doubtful personnummer is confirmed when the registry entry carries the written name", () => {
    expect(run("1177-EGEN", egen(), { confidence: { "citizen.personnummer": 0.3 } }).decision).toBe("EXECUTE");
  });

  it("a doubtful empty VGR-ID still gives PHONE_VERIFICATION; a doubtful empty guardian 2 gives LOW_CONFIDENCE", () => {
    const f = { ...egen(), "verifier.vgrId": "" };
    expect(run("1177-EGEN", f, { confidence: { "verifier.vgrId": 0.2 } }).reasons).toEqual(["PHONE_VERIFICATION"]);
    expect(run("1177-VH", vh(), { confidence: { "guardian2.personnummer": 0.2 } }).reasons).toEqual(["LOW_CONFIDENCE"]);
  });

  it("a doubtful guardian number that is registered for the child is confirmed", () => {
    expect(run("1177-VH", vh(), { confidence: { "guardian1.personnummer": 0.2 } }).decision).toBe("EXECUTE");
  });

  it("a valid subject number that was not looked up is never decided as EXECUTE", () => {
    const r = decide({
      formCode: "1177-EGEN",
      action: "LOCK",
      fields: egen(),
      receivedDate: RECEIVED,
      approvedCaregivers: APPROVED,
    });
    expect(r).toMatchObject({ decision: "REVIEW", reasons: ["REGISTRY_UNAVAILABLE"] });
  });

  it("uses the people it claims to (fixture sanity)", () => {
    for (const p of [JOHAN, ANNA, NILS_PROTECTED, HANNA]) expect(PEOPLE.has(p.pnr)).toBe(true);
  });
});

describe("fields that were not read", () => {
  it("a form whose fields are missing is never RETURNed nor EXECUTEd on them", () => {
    const f = egen();
    delete f["verifier.signed"];
    delete f["citizen.signed"];
    expect(run("1177-EGEN", f)).toMatchObject({ decision: "REVIEW", reasons: ["LOW_CONFIDENCE"] });
  });
});
