// A batch file's cases in the API: the viewer shows the case's own document (GET /api/cases/{id}/scan?page=N is
// limited to its pages; default its form page), a one-document case keeps page 1; the mail room's intake list has
// a row per case with its document and pages. The real PNG renderer on a real three-document PDF.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { BUCKET, createHarness, makeCase } from "./support/harness.ts";

const FILE = join(import.meta.dirname, "../../../shared/forms/field/scans/fieldsample-13.pdf");
const KEY = "incoming/2025-03-24/stack.pdf";
const FILE_CASE = "C-BATCHTEST000001";
const docCase = (index: number, pages: number[], formPage: number) =>
  makeCase({
    caseId: index === 0 ? FILE_CASE : `${FILE_CASE}-${index + 1}`,
    scan: { bucket: BUCKET, key: KEY, fileName: "stack.pdf" },
    document: { index, count: 3, pages, formPage, fileCaseId: FILE_CASE },
  });

async function batch() {
  const h = await createHarness();
  await h.scans.put(BUCKET, KEY, new Uint8Array(readFileSync(FILE)), {}, "application/pdf");
  for (const c of [docCase(0, [0, 1, 2], 1), docCase(1, [3], 3), docCase(2, [4, 5], 4)]) await h.cases.create(c);
  return h;
}

const png = async (body: unknown) =>
  sharp(Buffer.from(body as Uint8Array))
    .raw()
    .toBuffer();

describe("a batch file's cases in the viewer and the intake list", () => {
  it("the viewer shows the document's form page by default and only the document's pages", async () => {
    const h = await batch();
    const third = `${FILE_CASE}-3`;
    const byDefault = await h.call("GET", `/api/cases/${third}/scan`, { token: h.tokens.handler });
    expect(byDefault.status).toBe(200);
    expect(byDefault.headers["content-type"]).toBe("image/png");
    const formPage = await h.call("GET", `/api/cases/${third}/scan?page=5`, { token: h.tokens.handler });
    const idPage = await h.call("GET", `/api/cases/${third}/scan?page=6`, { token: h.tokens.handler });
    expect(idPage.status).toBe(200);
    expect((await png(byDefault.body)).equals(await png(formPage.body))).toBe(true);
    expect((await png(idPage.body)).equals(await png(formPage.body))).toBe(false);
    // A page of another document of the file is refused, in Swedish.
    const other = await h.call("GET", `/api/cases/${third}/scan?page=1`, { token: h.tokens.handler });
    expect(other.status).toBe(400);
    expect(other.json.message).toBe("Sidan 1 hör inte till ärendets dokument (sidorna 5, 6 i filen).");
    expect((await h.call("GET", `/api/cases/${third}/scan?page=x`, { token: h.tokens.handler })).status).toBe(400);
    // Every view is audited.
    expect((await h.audit.byCase(third)).filter((e) => e.action === "READ_SCAN")).toHaveLength(3);
  });

  it("a one-document case keeps page 1 as its default", async () => {
    const h = await batch();
    const single = makeCase({ caseId: "C-SINGLE", scan: { bucket: BUCKET, key: KEY, fileName: "stack.pdf" } });
    await h.cases.create(single);
    const first = await h.call("GET", "/api/cases/C-SINGLE/scan", { token: h.tokens.handler });
    const page1 = await h.call("GET", "/api/cases/C-SINGLE/scan?page=1", { token: h.tokens.handler });
    expect((await png(first.body)).equals(await png(page1.body))).toBe(true);
    const beyond = await h.call("GET", "/api/cases/C-SINGLE/scan?page=99", { token: h.tokens.handler });
    expect(beyond.status).toBe(400);
    expect(beyond.json.message).toBe("Skanningen har ingen sida 99 (den har 6).");
  });

  it("the intake list has a row per case with its document and pages", async () => {
    const h = await batch();
    const res = await h.call("GET", "/api/intake?date=2025-03-24", { token: h.tokens.mailroom });
    const rows = res.json.items.filter((i: { key: string }) => i.key === KEY);
    expect(
      rows.map((r: { caseId: string; pages: number[]; document: unknown }) => [r.caseId, r.pages, r.document]),
    ).toEqual([
      [FILE_CASE, [1, 2, 3], { number: 1, count: 3, formPage: 2 }],
      [`${FILE_CASE}-2`, [4], { number: 2, count: 3, formPage: 4 }],
      [`${FILE_CASE}-3`, [5, 6], { number: 3, count: 3, formPage: 5 }],
    ]);
  });
});
