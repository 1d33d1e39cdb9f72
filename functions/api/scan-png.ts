// The viewer shows one page of a scan as PNG (page 1, or a page of the case's document of a batch file), decoded
// by the same code the pipeline reads with, so field boxes (page pixels of the decoded page) line up with the image. `masks` are blacked out server side (the
// contact boxes of a person with protected identity): the pixels never leave the server.
import sharp from "sharp";
import { ValidationError } from "../../shared/domain/errors.ts";
import { decodeScan } from "../../shared/extraction/decode.ts";
import type { StoredScan } from "../../shared/ports/scan-store.ts";
import type { MaskBox } from "../../shared/use-cases/case-detail.ts";

export async function scanToPng(
  scan: StoredScan,
  fileName: string,
  masks: readonly MaskBox[] = [],
  pageIndex = 0,
): Promise<Uint8Array> {
  const pages = await decodeScan(scan.bytes, fileName);
  const page = pages[pageIndex];
  if (!page) {
    if (pageIndex === 0) throw new Error("scan has no pages");
    throw new ValidationError(`Skanningen har ingen sida ${pageIndex + 1} (den har ${pages.length}).`);
  }
  const black = masks
    .map((m) => {
      const left = Math.max(0, Math.floor(m.x));
      const top = Math.max(0, Math.floor(m.y));
      const width = Math.min(page.width, Math.ceil(m.x + m.w)) - left;
      const height = Math.min(page.height, Math.ceil(m.y + m.h)) - top;
      return { left, top, width, height };
    })
    .filter((r) => r.width > 0 && r.height > 0)
    .map((r) => ({
      input: { create: { width: r.width, height: r.height, channels: 3 as const, background: { r: 0, g: 0, b: 0 } } },
      left: r.left,
      top: r.top,
    }));
  let img = sharp(Buffer.from(page.data), { raw: { width: page.width, height: page.height, channels: 1 } });
  if (black.length > 0) {
    // Composite, then flatten to grey again in a second pass (composite works on the decoded raw page).
    const composed = await img.composite(black).removeAlpha().greyscale().raw().toBuffer({ resolveWithObject: true });
    img = sharp(composed.data, {
      raw: { width: composed.info.width, height: composed.info.height, channels: composed.info.channels },
    });
  }
  const png = await img.png({ compressionLevel: 6 }).toBuffer();
  return new Uint8Array(png);
}
