// Cases the case-page browser test (test/e2e/case-page.test.ts) opens, beside the harness's seeded NAME_MISMATCH
// case: a return, an unrecognised document, GUARDIAN_MISMATCH with a staff entry, LOW_CONFIDENCE, an upside-down
// scan and a two-page PDF. Personnummer are Skatteverket's test numbers of the fixture registry.
import { PDFDocument } from "pdf-lib";
import sharp from "sharp";
import { BUCKET, type Harness, makeCase, nameMismatchCase, SCAN_PNG } from "../../api/support/harness.ts";

/** An adult in the fixture registry without protected identity. */
export const ADULT = { pnr: "193902218886", given: "Britt-Marie", surname: "Lindgren" };
/** A child in the fixture registry, one registered guardian, and a Skatteverket test number that is not one. */
export const CHILD = { pnr: "201401292394", guardian: "196805029268", other: "197009169298", stranger: "198001032385" };

export async function seedCasePageCases(h: Harness): Promise<void> {
  const scan = { bucket: BUCKET, key: "incoming/2025-03-24/sample-18.png", fileName: "sample-18.png" };
  await h.cases.create(nameMismatchCase("case-ws-return"));
  await h.cases.create(
    makeCase({
      caseId: "case-ws-unknown",
      formCode: null,
      formVersion: null,
      action: null,
      reasons: ["UNRECOGNIZED_DOCUMENT"],
      scan,
    }),
  );
  await h.cases.create(
    makeCase({
      caseId: "case-ws-guardian",
      // The staff directory's result as ValidateCase records it (another branch adds it to the case type).
      ...({
        staff: {
          status: "VERIFIED",
          vgrId: "perho12",
          entry: {
            name: "Per Holm",
            title: "Kurator",
            unit: "Barnmottagningen Väst",
            caregiver: "Västra Götalandsregionen",
            email: "per.holm@example.org",
            phone: "010-441 20 00",
          },
        },
      } as object),
      formCode: "1177-VH",
      action: "BLOCK",
      reasons: ["GUARDIAN_MISMATCH"],
      subjectPersonnummer: CHILD.pnr,
      registry: { found: true, nameMatches: true, protectedIdentity: false, checkedAt: "2025-03-24T07:01:00.000Z" },
      fields: {
        "child.personnummer": { value: CHILD.pnr, confidence: 0.97 },
        "child.givenName": { value: "Omar", confidence: 0.95 },
        "child.surname": { value: "Magnusson-Bergman", confidence: 0.95 },
        "guardian1.personnummer": { value: CHILD.guardian, confidence: 0.96 },
        "guardian1.name": { value: "Eva Bergman", confidence: 0.9 },
        "guardian2.personnummer": { value: CHILD.stranger, confidence: 0.96 },
        "guardian2.name": { value: "Karin Lind", confidence: 0.9 },
      },
      scan,
    }),
  );
  await h.cases.create(
    makeCase({
      caseId: "case-ws-doubt",
      reasons: ["LOW_CONFIDENCE"],
      subjectPersonnummer: ADULT.pnr,
      doubtfulFields: ["citizen.surname"],
      fields: {
        "citizen.personnummer": { value: ADULT.pnr, confidence: 0.98 },
        "citizen.givenName": { value: ADULT.given, confidence: 0.9 },
        "citizen.surname": { value: "Lindgrem", confidence: 0.31, alternatives: ["Lindgren"] },
      },
      scan,
    }),
  );
  // An upside-down scan of the same form, and a two-page PDF (the form, then an attachment page).
  const upsideDown = await sharp(Buffer.from(SCAN_PNG)).rotate(180).png().toBuffer();
  await h.scans.put(BUCKET, "incoming/upside-down.png", new Uint8Array(upsideDown), {}, "image/png");
  await h.cases.create(nameMismatchCase("case-ws-upside-down"));
  const turned = await h.cases.get("case-ws-upside-down");
  if (turned) {
    // The reader's boxes of an upside-down scan are in the raw page's pixels: turned by 180° like the page.
    const { width = 0, height = 0 } = await sharp(Buffer.from(SCAN_PNG)).metadata();
    const fields = Object.fromEntries(
      Object.entries(turned.fields).map(([n, r]) => [
        n,
        r.box ? { ...r, box: { ...r.box, x: width - r.box.x - r.box.w, y: height - r.box.y - r.box.h } } : r,
      ]),
    );
    await h.cases.put({
      ...turned,
      fields,
      version: turned.version + 1,
      scan: { bucket: BUCKET, key: "incoming/upside-down.png", fileName: "upside-down.png" },
      scanLayout: { pageCount: 1, formPage: 0, upsideDown: true },
    });
  }
  const pdf = await PDFDocument.create();
  const page1 = await pdf.embedJpg(await sharp(Buffer.from(SCAN_PNG)).jpeg().toBuffer());
  const page2 = await pdf.embedJpg(
    await sharp({ create: { width: 700, height: 500, channels: 3, background: { r: 250, g: 250, b: 250 } } })
      .jpeg()
      .toBuffer(),
  );
  for (const img of [page1, page2])
    pdf
      .addPage([img.width * 0.48, img.height * 0.48])
      .drawImage(img, { x: 0, y: 0, width: img.width * 0.48, height: img.height * 0.48 });
  await h.scans.put(BUCKET, "incoming/two-pages.pdf", await pdf.save(), {}, "application/pdf");
  await h.cases.create(
    makeCase({
      caseId: "case-ws-two-pages",
      reasons: ["PHONE_VERIFICATION"],
      scan: { bucket: BUCKET, key: "incoming/two-pages.pdf", fileName: "two-pages.pdf" },
      scanLayout: { pageCount: 2, formPage: 0, upsideDown: false },
    }),
  );
}
