// Typed text written into a field of a real scan: the field's value area is blanked and the text rendered (SVG,
// a system font) onto the page through the scan's registration, in the ink shades given per part. Used to recreate
// misreads (a faint underscore, an umlaut in an address) on real sample crops, for the reader's e-mail checks.
import sharp from "sharp";
import { apply } from "../../shared/extraction/geometry.ts";
import type { LocatedScan } from "./scan-surgery.ts";

export interface TextPart {
  text: string;
  /** CSS colour of this part's ink (default black). */
  fill?: string;
}

const escapeXml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export async function writeIntoField(
  scan: LocatedScan,
  field: string,
  parts: TextPart[],
  options: { font?: string; sizePx?: number } = {},
): Promise<void> {
  const { page, reg } = scan;
  const box = scan.field(field).box;
  // Blank the value area (the printed label stays; the box lines are at the edges).
  for (let y = box.y + 3.4; y <= box.y + box.h - 0.8; y += 0.04) {
    for (let x = box.x + 0.8; x <= box.x + box.w - 0.8; x += 0.04) {
      const p = apply(reg.transform, { x, y });
      page.data[Math.round(p.y) * page.width + Math.round(p.x)] = 255;
    }
  }
  const spans = parts.map((p) => `<tspan fill="${p.fill ?? "#000"}">${escapeXml(p.text)}</tspan>`).join("");
  const width = Math.round(((box.w - 4) / 25.4) * page.dpi);
  const height = 90;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="4" y="${height - 25}" font-family="${options.font ?? "DejaVu Sans"}" font-size="${options.sizePx ?? 40}">${spans}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  const origin = apply(reg.transform, { x: box.x + 2, y: box.y + 4.2 });
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const v = data[y * info.width + x] as number;
      if (v >= 250) continue;
      const i = (Math.round(origin.y) + y) * page.width + Math.round(origin.x) + x;
      page.data[i] = Math.min(page.data[i] as number, v);
    }
  }
}
