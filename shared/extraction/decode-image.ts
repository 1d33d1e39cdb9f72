// Raster files (PNG, JPEG, TIFF) → grey pages with sharp: headers checked before pixels, EXIF orientation, a fax's
// non-square pixels stretched square, and the page's resolution (recorded, or estimated from an A4 sheet).
import sharp, { type Metadata, type OutputInfo, type Sharp, type SharpOptions } from "sharp";
import { UnreadableScanError } from "../domain/errors.ts";
import { checkPixels, checkTime, type DecodeContext, formatMpx } from "./decode-limits.ts";
import type { PageImage } from "./document.ts";
import { rowStretch, tiffResolutions } from "./tiff-tags.ts";

export type ScanFormat = "png" | "jpeg" | "tiff" | "pdf";

/** A4 short side in inches: used to estimate the resolution of a scan that records none. */
const A4_SHORT_SIDE_IN = 210 / 25.4;
export const COMMON_DPI = [100, 150, 200, 240, 300, 400, 600, 1200];

export async function decodeRasterFile(input: Buffer, format: ScanFormat, ctx: DecodeContext): Promise<PageImage[]> {
  const meta = await readMetadata(input, format, {});
  const pageCount = format === "tiff" ? (meta.pages ?? 1) : 1;
  if (pageCount > ctx.limits.maxPages) {
    throw new UnreadableScanError(
      `${format.toUpperCase()} has ${pageCount} pages; at most ${ctx.limits.maxPages} are read`,
    );
  }
  const pages: PageImage[] = [];
  // A fax's pixels are not square (204 × 98 dpi): its rows are stretched by x/y resolution to square pixels.
  const resolutions = format === "tiff" ? tiffResolutions(input) : [];
  for (let page = 0; page < pageCount; page++) {
    checkTime(ctx);
    const pageMeta = page === 0 ? meta : await readMetadata(input, format, { page });
    const label = pageCount > 1 ? `page ${page + 1}: ` : "";
    checkPixels(pageMeta.width, pageMeta.height, ctx.limits, label);
    const stretch = rowStretch(resolutions[page]);
    // EXIF orientation (phone photos stored landscape with Orientation 6 or 8) turns the page upright.
    let pipeline = sharp(input, sharpInput(ctx, { page })).autoOrient();
    if (stretch !== 1) {
      const height = Math.round(pageMeta.height * stretch);
      checkPixels(pageMeta.width, height, ctx.limits, label);
      pipeline = pipeline.resize(pageMeta.width, height, { fit: "fill", kernel: "linear" });
    }
    const image = await toGrey(pipeline, ctx, format);
    pages.push({ ...image, dpi: pageDpi(pageMeta.density, image.width, image.height) });
  }
  return pages;
}

export async function readMetadata(
  input: Buffer,
  format: ScanFormat,
  options: { page?: number },
): Promise<{ width: number; height: number; density?: number; pages?: number }> {
  let meta: Metadata;
  try {
    // Header only: no pixels are decoded here, whatever the image claims to hold.
    meta = await sharp(input, { limitInputPixels: false, ...options }).metadata();
  } catch {
    throw new UnreadableScanError(`${format.toUpperCase()} header is corrupt or truncated`);
  }
  if (!meta.width || !meta.height) throw new UnreadableScanError(`${format.toUpperCase()} has no image size`);
  return {
    width: meta.width,
    height: meta.height,
    ...(meta.density !== undefined ? { density: meta.density } : {}),
    ...(meta.pages !== undefined ? { pages: meta.pages } : {}),
  };
}

export function sharpInput(ctx: DecodeContext, extra: SharpOptions = {}): SharpOptions {
  // failOn "warning": a truncated or damaged image is refused instead of decoded half grey.
  return { failOn: "warning", limitInputPixels: ctx.limits.maxPixels, sequentialRead: true, ...extra };
}

/** Runs a sharp pipeline to one-channel 8-bit grey (alpha flattened onto white). */
export async function toGrey(
  pipeline: Sharp,
  ctx: DecodeContext,
  what: string,
): Promise<{ width: number; height: number; data: Uint8Array }> {
  const seconds = Math.max(1, Math.ceil((ctx.deadline - Date.now()) / 1000));
  let result: { data: Buffer; info: OutputInfo };
  try {
    result = await pipeline
      .timeout({ seconds })
      .flatten({ background: "#ffffff" })
      .greyscale()
      .toColourspace("b-w")
      .extractChannel(0)
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    if (/timeout/i.test(message)) throw new UnreadableScanError(`decoding ${what} image timed out; file refused`);
    if (/pixel limit/i.test(message)) {
      throw new UnreadableScanError(`${what} image exceeds ${formatMpx(ctx.limits.maxPixels)} per page`);
    }
    throw new UnreadableScanError(`${what.toUpperCase()} image data is corrupt or truncated`);
  }
  const { data, info } = result;
  if (info.channels !== 1 || data.byteLength !== info.width * info.height) {
    throw new UnreadableScanError(`${what} image could not be converted to grey`);
  }
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** Recorded density (sharp reports pixels per inch), or an estimate from an A4 page. */
export function pageDpi(density: number | undefined, width: number, height: number): number {
  // Some writers record 72 ("no idea") or 1 (aspect ratio only): trust a density only when the page it
  // implies is a plausible sheet of paper (short side between A6 and A3).
  if (density !== undefined && Number.isFinite(density) && density > 0) {
    const shortSideIn = Math.min(width, height) / density;
    if (shortSideIn >= 4 && shortSideIn <= 12) return Math.round(density);
  }
  return estimateA4Dpi(width, height);
}

export function estimateA4Dpi(width: number, height: number): number {
  const raw = Math.min(width, height) / A4_SHORT_SIDE_IN;
  // Snap to the usual scanner settings when within 5 %: 2479 px → 300, not 299.7.
  const snapped = COMMON_DPI.find((d) => Math.abs(raw - d) / d <= 0.05);
  return snapped ?? Math.max(1, Math.round(raw));
}
