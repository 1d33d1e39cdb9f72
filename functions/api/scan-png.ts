// The viewer shows page 1 of a scan as PNG, decoded by the same code the pipeline reads with, so field
// boxes (page pixels of the decoded page) line up with the image.
import sharp from "sharp";
import { decodeScan } from "../../shared/extraction/decode.ts";
import type { StoredScan } from "../../shared/ports/scan-store.ts";

export async function scanToPng(scan: StoredScan, fileName: string): Promise<Uint8Array> {
  const [page] = await decodeScan(scan.bytes, fileName);
  if (!page) throw new Error("scan has no pages");
  const png = await sharp(Buffer.from(page.data), { raw: { width: page.width, height: page.height, channels: 1 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(png);
}
