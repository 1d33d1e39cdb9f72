// Mail-room effects on the field samples (../shared/forms/field, beside the clone as in CI): faxes with non-square
// pixels, an EXIF-rotated phone photo, stamps, punch holes, notes, highlighter, copies, folds, crossed-out words and
// batch files. Marks and positions are checked from the pixels (no OCR) except where a word is read.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { LocalOcr } from "../../shared/adapters/local/local-ocr.ts";
import { decodeScan } from "../../shared/extraction/decode.ts";
import type { PageImage } from "../../shared/extraction/document.ts";
import { fieldInk, readField } from "../../shared/extraction/fields.ts";
import { applyH } from "../../shared/extraction/homography.ts";
import { FIELD_PX_PER_MM, writtenInk } from "../../shared/extraction/ink.ts";
import { localOffset } from "../../shared/extraction/local-fit.ts";
import { warpRegion } from "../../shared/extraction/raster.ts";
import { type Located, locateDocuments, locateForm } from "../../shared/extraction/reader.ts";
import { withoutStruckWords } from "../../shared/extraction/strike.ts";
import { loadTemplates } from "../../shared/extraction/templates.ts";
import { phonePhoto } from "../support/phone-photo.ts";

const fieldDir = fileURLToPath(new URL("../../../shared/forms/field/scans/", import.meta.url));
const samplesDir = fileURLToPath(new URL("../fixtures/scans/", import.meta.url));
const ocr = new LocalOcr();
afterAll(() => ocr.close());

type Truth = { fields: Record<string, string | boolean> };
const truthOf = (dir: string, name: string): Truth =>
  JSON.parse(readFileSync(`${dir}${name.replace(/\.\w+$/, ".json")}`, "utf8")) as Truth;

async function pagesOf(dir: string, name: string): Promise<PageImage[]> {
  return decodeScan(readFileSync(`${dir}${name}`), name);
}

async function located(page: PageImage): Promise<Located> {
  const l = await locateForm(page, await loadTemplates(), ocr);
  if (!l) throw new Error("no form found");
  return l;
}

/** Every checkbox and signature as the pixels say, against the ground truth: the names of those that differ. */
async function wrongMarks(page: PageImage, where: Located, truth: Truth): Promise<string[]> {
  const wrong: string[] = [];
  for (const f of where.reg.template.fields) {
    if (f.type !== "checkbox" && f.type !== "signature") continue;
    const r = await readField(page, where.reg, f, 0, { ocr });
    if (r.value !== truth.fields[f.name]) wrong.push(f.name);
  }
  return wrong;
}

/** Centre of each field box on the scan, in scan pixels. */
function boxCentres(where: Located): Map<string, { x: number; y: number }> {
  return new Map(
    where.reg.template.fields.map((f) => [
      f.name,
      applyH(where.reg.map, { x: f.box.x + f.box.w / 2, y: f.box.y + f.box.h / 2 }),
    ]),
  );
}

describe("fax: non-square pixels", () => {
  it("stretches a standard fax (204 × 98 dpi) to square pixels and registers it fully", async () => {
    const [page] = await pagesOf(fieldDir, "fieldsample-01.tif");
    expect(page?.width).toBe(1728);
    // 1146 rows at 98 dpi are 2386 rows at 204 dpi.
    expect(page?.height).toBe(Math.round((1146 * 204) / 98));
    const where = await located(page as PageImage);
    expect(where.reg.template.formCode).toBe("1177-VG");
    expect(where.reg.anchorsUsed / where.reg.anchorsTried).toBeGreaterThan(0.9);
    expect(where.reg.rmsMm).toBeLessThan(0.2);
    expect(await wrongMarks(page as PageImage, where, truthOf(fieldDir, "fieldsample-01.tif"))).toEqual([]);
  });

  it("puts every field box of a 204 × 98 dpi G4 fax of a scan where the 300 dpi original has it", async () => {
    const src = `${samplesDir}sample-01.png`;
    const meta = await sharp(src).metadata();
    const w = Math.round(((meta.width as number) * 204) / 300);
    const h = Math.round(((meta.height as number) * 98) / 300);
    const squashed = await sharp(src).greyscale().resize(w, h, { fit: "fill" }).png().toBuffer();
    const fax = await sharp(squashed)
      .threshold(160)
      .toColourspace("b-w")
      .tiff({ compression: "ccittfax4", bitdepth: 1, xres: 204 / 25.4, yres: 98 / 25.4 })
      .toBuffer();
    const [faxPage] = await decodeScan(fax, "fax.tif");
    const [original] = await pagesOf(samplesDir, "sample-01.png");
    const a = boxCentres(await located(original as PageImage));
    const b = boxCentres(await located(faxPage as PageImage));
    const k = 204 / 300;
    const pxPerMm = 204 / 25.4;
    for (const [name, p] of a) {
      const q = b.get(name) as { x: number; y: number };
      expect(Math.hypot(q.x - p.x * k, q.y - p.y * k) / pxPerMm, name).toBeLessThan(0.5);
    }
  });
});

describe("phone photo", () => {
  it("turns an EXIF Orientation 6 photo upright, registers it in perspective and reads its marks", async () => {
    const [page] = await pagesOf(fieldDir, "fieldsample-07.jpg");
    expect([page?.width, page?.height]).toEqual([3000, 4000]);
    const where = await located(page as PageImage);
    expect(where.reg.upsideDown).toBe(false);
    expect(Math.abs(where.reg.angleDeg)).toBeLessThan(10);
    // A projective fit: the page is seen at an angle.
    expect(Math.abs(where.reg.map[6]) + Math.abs(where.reg.map[7])).toBeGreaterThan(1e-6);
    expect(where.reg.rmsMm).toBeLessThan(0.3);
    expect(await wrongMarks(page as PageImage, where, truthOf(fieldDir, "fieldsample-07.jpg"))).toEqual([]);
  });

  it("registers a photo seen at a steeper angle from its QR (the anchors searched wider), and reads its marks", async () => {
    // The far corner lies 5 mm and more off the pose the QR's small square gives: a 4 mm search finds a third of
    // the anchors, so the search widens.
    const photo = await phonePhoto(readFileSync(`${samplesDir}sample-03.png`), [
      { x: 230, y: 274 },
      { x: 2707, y: 356 },
      { x: 2876, y: 3809 },
      { x: 83, y: 3752 },
    ]);
    const [page] = await decodeScan(photo, "photo.jpg");
    const where = await located(page as PageImage);
    expect(where.via).toBe("qr");
    expect(where.reg.template.formCode).toBe("1177-VG");
    expect(where.reg.anchorsUsed / where.reg.anchorsTried).toBeGreaterThan(0.9);
    expect(await wrongMarks(page as PageImage, where, truthOf(samplesDir, "sample-03.png"))).toEqual([]);
  });

  it("turns an EXIF Orientation 8 photo (stored turned the other way) upright too", async () => {
    // The same photo stored landscape the other way round: shown upright only after a quarter turn to the left.
    const upright = await sharp(readFileSync(`${fieldDir}fieldsample-07.jpg`))
      .rotate()
      .toBuffer();
    const stored = await sharp(upright).rotate(90).withMetadata({ orientation: 8 }).jpeg({ quality: 90 }).toBuffer();
    expect(await sharp(stored).metadata()).toMatchObject({ width: 4000, height: 3000, orientation: 8 });
    const [page] = await decodeScan(stored, "photo-8.jpg");
    expect([page?.width, page?.height]).toEqual([3000, 4000]);
    const where = await located(page as PageImage);
    expect(where.reg.upsideDown).toBe(false);
    expect(await wrongMarks(page as PageImage, where, truthOf(fieldDir, "fieldsample-07.jpg"))).toEqual([]);
  });
});

describe("marks that are not values", () => {
  for (const name of ["fieldsample-04.pdf", "fieldsample-09.jpg", "fieldsample-12.jpg"]) {
    it(`${name}: an arrival stamp across the stamp box border is no tick or signature and hides no form`, async () => {
      const [page] = await pagesOf(fieldDir, name);
      const where = await located(page as PageImage);
      expect(where.reg.anchorsUsed / where.reg.anchorsTried).toBeGreaterThan(0.8);
      expect(await wrongMarks(page as PageImage, where, truthOf(fieldDir, name))).toEqual([]);
    });
  }

  for (const [name, effect] of [
    ["fieldsample-06.png", "punch holes"],
    ["fieldsample-02.jpg", "staff notes"],
    ["fieldsample-05.png", "highlighter"],
    ["fieldsample-11.tif", "copy of a copy at 95–97 %"],
    ["fieldsample-14.pdf", "fold"],
  ] as const) {
    it(`${name}: ${effect} leave every checkbox and signature as written`, async () => {
      const [page] = await pagesOf(fieldDir, name);
      const where = await located(page as PageImage);
      expect(await wrongMarks(page as PageImage, where, truthOf(fieldDir, name))).toEqual([]);
    });
  }

  it("a stamped letter is not a form", async () => {
    const [page] = await pagesOf(fieldDir, "fieldsample-08.pdf");
    expect(await locateForm(page as PageImage, await loadTemplates(), ocr)).toBeNull();
  });
});

describe("fold: the lower part of the page displaced", () => {
  it("finds each field's own print where the fold put it, and reads the marks as on the flat page", async () => {
    const src = `${samplesDir}sample-01.png`;
    const { data, info } = await sharp(src).greyscale().raw().toBuffer({ resolveWithObject: true });
    const W = info.width;
    const H = info.height;
    const shift = Math.round((0.8 * W) / 210); // 0.8 mm right and down below the crease at 2/3 of the page
    const crease = Math.round(H * 0.64);
    const out = Buffer.alloc(W * H, 255);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const sx = y >= crease ? x - shift : x;
        const sy = y >= crease ? y - shift : y;
        if (sx >= 0 && sy >= 0 && (y < crease || sy >= crease)) out[y * W + x] = data[sy * W + sx] as number;
      }
    }
    const [page] = await decodeScan(
      await sharp(out, { raw: { width: W, height: H, channels: 1 } })
        .png()
        .toBuffer(),
      "folded.png",
    );
    const where = await located(page as PageImage);
    const below = where.reg.template.fields.find((f) => f.name === "verifier.date");
    const above = where.reg.template.fields.find((f) => f.name === "citizen.givenName");
    const down = localOffset(page as PageImage, where.reg, below?.box as never);
    const up = localOffset(page as PageImage, where.reg, above?.box as never);
    // The global fit splits the difference; locally the lower field lies further right and down than the upper.
    expect(down).not.toBeNull();
    expect((down?.dx ?? 0) - (up?.dx ?? 0)).toBeGreaterThan(0.3);
    expect((down?.dy ?? 0) - (up?.dy ?? 0)).toBeGreaterThan(0.3);
    expect(await wrongMarks(page as PageImage, where, truthOf(samplesDir, "sample-01.png"))).toEqual([]);
  });
});

describe("batch files", () => {
  it("fieldsample-10.tif: four documents with their pages and form pages", async () => {
    const docs = await locateDocuments(
      { bytes: readFileSync(`${fieldDir}fieldsample-10.tif`), fileName: "x.tif" },
      { ocr },
    );
    expect(docs).toEqual([
      { pages: [0, 1], formPage: 0, formCode: "1177-EGEN" },
      { pages: [2], formPage: 2, formCode: "1177-EGEN" },
      { pages: [3, 4], formPage: 3, formCode: "1177-VH" },
      { pages: [5, 6], formPage: 5, formCode: "1177-EGEN" },
    ]);
  });

  it("fieldsample-13.pdf: a cover letter before the first form belongs to it", async () => {
    const docs = await locateDocuments(
      { bytes: readFileSync(`${fieldDir}fieldsample-13.pdf`), fileName: "x.pdf" },
      { ocr },
    );
    expect(docs).toEqual([
      { pages: [0, 1, 2], formPage: 1, formCode: "1177-EGEN" },
      { pages: [3], formPage: 3, formCode: "1177-VG" },
      { pages: [4, 5], formPage: 4, formCode: "1177-EGEN" },
    ]);
  });
});

describe("crossed-out words", () => {
  it("reads the word after a struck one, never the struck word", async () => {
    const [page] = await pagesOf(fieldDir, "fieldsample-05.png");
    const where = await located(page as PageImage);
    const field = where.reg.template.fields.find((f) => f.name === "requester.name");
    if (!field) throw new Error("no requester.name");
    const box = { x: field.box.x + 0.6, y: field.box.y + 0.6, w: field.box.w - 1.2, h: field.box.h - 1.2 };
    const raw = writtenInk(warpRegion(page as PageImage, where.reg.map, box, FIELD_PX_PER_MM), box, where.reg.template);
    const struck = withoutStruckWords(raw);
    expect(struck.struck).toBe(1);
    // The struck word ("Nlis", about 8 mm) is gone: the writing now starts where "Nils" does.
    const { ink } = fieldInk(page as PageImage, where.reg, field);
    expect(((ink.bounds?.x0 ?? 0) - (raw.bounds?.x0 ?? 0)) / FIELD_PX_PER_MM).toBeGreaterThan(6);
    const r = await readField(page as PageImage, where.reg, field, 0, { ocr });
    // The value begins with the word written after the struck one (the OCR of this hand may slip on a later letter).
    expect(r.value).toMatch(/^Nils Nyst/);
  });
});
