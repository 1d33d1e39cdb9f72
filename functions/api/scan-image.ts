// The viewer shows one page of a scan (page 1, or a page of the case's document of a batch file), decoded by the
// same code the pipeline reads with, so field boxes (page pixels of the decoded page) line up with the image, at full
// resolution. `masks` are blacked out server side (the contact boxes of a person with protected identity): the
// pixels never leave the server. PNG (lossless: a scan or a fax is small and sharp as PNG); a page PNG does not
// compress to within VIEWER_MAX_BYTES (a 12-Mpx phone photo: 13 MB) is sent as JPEG instead, since an API Lambda's
// answer stops at 6 MB (base64 included).
import sharp from "sharp";
import { ValidationError } from "../../shared/domain/errors.ts";
import { decodeScan } from "../../shared/extraction/decode.ts";
import type { StoredScan } from "../../shared/ports/scan-store.ts";
import type { MaskBox } from "../../shared/use-cases/case-detail.ts";

/** The largest viewer image sent (bytes): 4 MB, 5.3 MB as base64 in a Lambda answer of at most 6 MB. */
export const VIEWER_MAX_BYTES = 4_000_000;

export interface ViewerImage {
  bytes: Uint8Array;
  contentType: "image/png" | "image/jpeg";
}

export async function scanToImage(
  scan: StoredScan,
  fileName: string,
  masks: readonly MaskBox[] = [],
  pageIndex = 0,
): Promise<ViewerImage> {
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
  const png = await img.clone().png({ compressionLevel: 6 }).toBuffer();
  if (png.length <= VIEWER_MAX_BYTES) return { bytes: new Uint8Array(png), contentType: "image/png" };
  for (const quality of [85, 70, 50]) {
    const jpeg = await img.clone().jpeg({ quality, mozjpeg: true }).toBuffer();
    if (jpeg.length <= VIEWER_MAX_BYTES) return { bytes: new Uint8Array(jpeg), contentType: "image/jpeg" };
  }
  throw new ValidationError("Sidan är för stor för att visas. Ladda ned originalfilen.");
}
