// Real scans, located and cut as the reader does: a field's cleaned writing for the OCR adapters' tests, and
// "surgery" that moves hand-written ink from one field of a real scan to another, for adversarial reader tests
// (another person's name in the name box, two digits swapped) without inventing handwriting.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { decodeScan } from "../../shared/extraction/decode.ts";
import type { Box, PageImage } from "../../shared/extraction/document.ts";
import { combGlyphs, fieldInk } from "../../shared/extraction/fields.ts";
import { apply } from "../../shared/extraction/geometry.ts";
import { cleanWriting, FIELD_PX_PER_MM } from "../../shared/extraction/ink.ts";
import { coarseFromQr, locateQr, preparePage, type Registration, refine } from "../../shared/extraction/register.ts";
import { type FieldDef, loadTemplates } from "../../shared/extraction/templates.ts";

export const SCANS = fileURLToPath(new URL("../fixtures/scans/", import.meta.url));

export interface LocatedScan {
  page: PageImage;
  reg: Registration;
  field(name: string): FieldDef;
}

/** Decode a fixture scan and register its form by the QR code (fixtures with a readable QR only). */
export async function locate(file: string): Promise<LocatedScan> {
  const [page] = await decodeScan(readFileSync(`${SCANS}${file}`), file);
  if (!page) throw new Error(`${file}: no page`);
  const prep = await preparePage(page);
  const qr = await locateQr(prep);
  if (!qr) throw new Error(`${file}: no QR`);
  const template = [...(await loadTemplates()).values()].find((t) => t.qrPayload === qr.payload);
  if (!template) throw new Error(`${file}: unknown form`);
  const reg = refine(prep, template, coarseFromQr(template, qr), 4);
  if (!reg) throw new Error(`${file}: not registered`);
  return {
    page,
    reg,
    field: (name) => {
      const f = template.fields.find((x) => x.name === name);
      if (!f) throw new Error(`no field ${name}`);
      return f;
    },
  };
}

/** A text field's writing, cleaned of the form's print, as the reader hands it to the OCR. */
export function fieldWriting(scan: LocatedScan, name: string): PageImage {
  const { region, ink } = fieldInk(scan.page, scan.reg, scan.field(name));
  const clean = cleanWriting(region, ink);
  if (!clean) throw new Error(`${name}: no writing`);
  return { ...clean, dpi: 305 };
}

/** Each comb cell's digit, cleaned, as the reader cuts them (null for an empty cell). */
export function combDigits(scan: LocatedScan, name: string): Array<PageImage | null> {
  return combGlyphs(scan.page, scan.reg, scan.field(name)).map((g) => (g ? { ...g, dpi: 305 } : null));
}

/**
 * Copy the scan's pixels of template rectangle `from` onto template rectangle `to` (same size, in mm), through the
 * registration: the writing moves with the page's own skew and scale. The page is changed in place.
 */
export function moveInk(scan: LocatedScan, from: Box, to: Box): void {
  const { page, reg } = scan;
  const step = 1 / (2 * FIELD_PX_PER_MM);
  const copies: Array<[number, number]> = [];
  for (let y = 0; y <= to.h; y += step) {
    for (let x = 0; x <= to.w; x += step) {
      const s = apply(reg.transform, { x: from.x + x, y: from.y + y });
      const d = apply(reg.transform, { x: to.x + x, y: to.y + y });
      const si = Math.round(s.y) * page.width + Math.round(s.x);
      const di = Math.round(d.y) * page.width + Math.round(d.x);
      copies.push([di, page.data[si] ?? 255]);
    }
  }
  for (const [i, v] of copies) page.data[i] = v;
}

/** The (changed) page as a PNG, to read like any scan. */
export function pagePng(scan: LocatedScan): Promise<Buffer> {
  return sharp(Buffer.from(scan.page.data), { raw: { width: scan.page.width, height: scan.page.height, channels: 1 } })
    .withMetadata({ density: scan.page.dpi })
    .png()
    .toBuffer();
}
