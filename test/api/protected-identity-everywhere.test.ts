// Protected identity hidden everywhere (issue 11): every API answer about the case (detail, claim, decision,
// lists, the status summary) and its mail history carry no contact data of the subject, and the scan image is
// sent with the subject's contact boxes blacked out server side (the PNG's pixels there are black).
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { summarize } from "../../cli/status.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import { type FieldReading, FORM_CODES, FORM_ROLES } from "../../shared/domain/forms.ts";
import { HIDDEN_ADDRESS, isSubjectContactField, SUBJECT_CONTACT_FIELDS } from "../../shared/use-cases/case-detail.ts";
import { BUCKET, createHarness, type Harness, makeCase, PNR } from "./support/harness.ts";

const SCAN = new Uint8Array(readFileSync(new URL("../fixtures/scans/sample-01.png", import.meta.url)));
const TEMPLATES = new URL("../../shared/forms/templates/", import.meta.url);
const EGEN = JSON.parse(readFileSync(new URL("1177-EGEN.fields.json", TEMPLATES), "utf8")) as {
  page: { widthMm: number };
  fields: Array<{ name: string; box: { x: number; y: number; w: number; h: number } }>;
};
/** sample-01 is a 300 dpi scan of 1177-EGEN with 0.3° skew: the template box in page pixels. */
const PX_PER_MM = 2479 / EGEN.page.widthMm;
function templateBox(name: string): NonNullable<FieldReading["box"]> {
  const f = EGEN.fields.find((x) => x.name === name);
  if (!f) throw new Error(name);
  const r = (v: number) => Math.round(v * PX_PER_MM);
  return { page: 0, x: r(f.box.x), y: r(f.box.y), w: r(f.box.w), h: r(f.box.h) };
}

const EMAIL = "osten.nordstrom49@bredband.net"; // written on sample-01
const PHONE = "072-378 03 83";
const STAFF = "vc.hisingen@example.org";

function protectedCase(): CaseRecord {
  return makeCase({
    caseId: "case-protected",
    formCode: "1177-EGEN",
    action: "LOCK",
    status: "EXECUTED",
    decision: "EXECUTE",
    reasons: [],
    subjectPersonnummer: PNR.saga,
    registry: { found: true, nameMatches: true, protectedIdentity: true, checkedAt: "2025-03-24T08:16:00.000Z" },
    fields: {
      "citizen.personnummer": { value: PNR.saga, confidence: 0.99, box: templateBox("citizen.personnummer") },
      "citizen.email": { value: EMAIL, confidence: 0.95, box: templateBox("citizen.email") },
      "citizen.phone": { value: PHONE, confidence: 0.95, box: templateBox("citizen.phone") },
      "citizen.placeAndDate": { value: "Borås 2025-03-20", confidence: 0.9, box: templateBox("citizen.placeAndDate") },
      "verifier.email": { value: STAFF, confidence: 0.95 },
    },
    mails: [{ kind: "CONFIRMATION", to: [EMAIL, STAFF], messageId: "m-1", at: "2025-03-24T08:20:00.000Z" }],
    scan: { bucket: BUCKET, key: "incoming/2025-03-24/sample-01.png", fileName: "sample-01.png" },
  });
}

async function seeded(record = protectedCase()): Promise<Harness> {
  const h = await createHarness();
  await h.cases.create(record);
  await h.scans.put(BUCKET, "incoming/2025-03-24/sample-01.png", SCAN, {}, "image/png");
  return h;
}

async function grey(png: Uint8Array) {
  const { data, info } = await sharp(Buffer.from(png)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);
function pixelsIn(img: { data: Buffer; width: number }, b: { x: number; y: number; w: number; h: number }) {
  const out: number[] = [];
  for (let y = b.y; y < b.y + b.h; y++)
    for (let x = b.x; x < b.x + b.w; x++) out.push(img.data[y * img.width + x] ?? 255);
  return out;
}

describe("protected identity: JSON answers", () => {
  it("the case detail's mail history withholds the subject's address, keeps the staff's", async () => {
    const h = await seeded();
    const res = await h.call("GET", "/api/cases/case-protected", { token: h.tokens.handler });
    expect(res.status).toBe(200);
    expect(res.json.case.mails[0].to).toEqual([HIDDEN_ADDRESS, STAFF]);
    expect(String(res.body)).not.toContain(EMAIL);
    expect(String(res.body)).not.toContain(PHONE);
  });

  it("claim, decision and list answers carry no contact data either; nor does the status summary", async () => {
    const record = protectedCase();
    const h = await seeded({ ...record, status: "IN_REVIEW", decision: "REVIEW", reasons: ["PROTECTED_IDENTITY"] });
    const claim = await h.call("POST", "/api/cases/case-protected/claim", { token: h.tokens.handler });
    expect(claim.status).toBe(200);
    expect(claim.json.case.fields["citizen.email"]).toBeUndefined();
    expect(claim.json.case.fields["citizen.personnummer"]).toBeDefined(); // identity stays for the handler
    const close = await h.call("POST", "/api/cases/case-protected/decision", {
      token: h.tokens.handler,
      body: { decision: "CLOSE", version: claim.json.case.version, note: "Dubblett" },
    });
    expect(close.status).toBe(200);
    const queue = await h.call("GET", "/api/review-queue", { token: h.tokens.handler });
    for (const body of [claim.body, close.body, queue.body, JSON.stringify(summarize(record))]) {
      expect(String(body)).not.toContain(EMAIL);
      expect(String(body)).not.toContain(PHONE);
      expect(String(body)).not.toContain("Borås");
    }
  });

  it("the list of subject contact fields matches the forms' templates", () => {
    for (const code of FORM_CODES) {
      const t = JSON.parse(readFileSync(new URL(`${code}.fields.json`, TEMPLATES), "utf8")) as {
        fields: Array<{ name: string }>;
      };
      const contact = t.fields
        .map((f) => f.name)
        .filter((n) => n.startsWith(`${FORM_ROLES[code].subject}.`) && isSubjectContactField(code, n));
      expect([code, contact.sort()]).toEqual([code, [...SUBJECT_CONTACT_FIELDS[code]].sort()]);
    }
  });
});

describe("protected identity: the scan image", () => {
  it("the subject's contact boxes are black in the PNG; the same boxes carry the writing on an ordinary case", async () => {
    const { registry: _registry, ...ordinary } = protectedCase();
    const plain = await seeded(ordinary);
    const unmasked = await plain.call("GET", "/api/cases/case-protected/scan", { token: plain.tokens.handler });
    expect(unmasked.status).toBe(200);
    const before = await grey(unmasked.body as Uint8Array);

    const h = await seeded();
    const res = await h.call("GET", "/api/cases/case-protected/scan", { token: h.tokens.handler });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    const after = await grey(res.body as Uint8Array);
    expect([after.width, after.height]).toEqual([before.width, before.height]);
    for (const name of ["citizen.email", "citizen.phone", "citizen.placeAndDate"]) {
      const box = templateBox(name);
      const inner = { x: box.x + 4, y: box.y + 4, w: box.w - 8, h: box.h - 8 };
      // There is ink (the written value, the label) in the box on the plain scan…
      expect([name, pixelsIn(before, inner).filter((v) => v < 128).length > 50]).toEqual([name, true]);
      // …and nothing but black on the protected one.
      expect([name, max(pixelsIn(after, inner))]).toEqual([name, 0]);
    }
    // The rest of the page is still the scan (the name fields are not covered).
    const surname = templateBox("citizen.surname");
    expect(max(pixelsIn(after, surname))).toBeGreaterThan(200);
    expect((await h.audit.byCase("case-protected")).map((e) => e.action)).toEqual(["READ_SCAN"]);
  });

  it("a contact field whose box is unknown: the scan is not shown at all (409)", async () => {
    const record = protectedCase();
    const { box: _box, ...noBox } = record.fields["citizen.phone"] as FieldReading;
    const h = await seeded({ ...record, fields: { ...record.fields, "citizen.phone": noBox } });
    const res = await h.call("GET", "/api/cases/case-protected/scan", { token: h.tokens.handler });
    expect(res.status).toBe(409);
    expect(res.json.message).toContain("skyddad identitet");
  });
});
