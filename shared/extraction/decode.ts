// Scan decoding: file bytes (PNG, JPEG, TIFF, PDF) → 8-bit grey page images.
//
// Every failure is an UnreadableScanError with a one-line message that names the problem, never the
// content: the state machine treats it as final (retrying a corrupt file does not help) and the message
// is shown to the mailroom. Limits are checked on headers BEFORE pixels are decoded, so a decompression
// bomb (a tiny file that claims 20,000 × 20,000 pixels) is refused without allocating its memory.
//
// PDFs are not rendered: a scanned PDF holds one image XObject per page, which we lift out whole and
// decode with sharp (pdfjs-dist with a canvas segfaulted here, and rendering adds nothing to a scan).
import { inflateSync } from "node:zlib";
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  type PDFObject,
  type PDFPage,
  PDFRawStream,
  PDFRef,
} from "pdf-lib";
import sharp, { type Metadata, type OutputInfo, type Sharp, type SharpOptions } from "sharp";
import { UnreadableScanError } from "../domain/errors.ts";
import type { PageImage } from "./document.ts";
import { rowStretch, tiffResolutions } from "./tiff-tags.ts";

export interface DecodeLimits {
  /** Largest accepted file. */
  maxBytes: number;
  /** Most pages (PDF pages or TIFF directories) accepted in one file. */
  maxPages: number;
  /** Most pixels accepted per page, checked on the header before decoding. */
  maxPixels: number;
  /** Wall-clock budget for the whole decode. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: DecodeLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxPages: 10,
  maxPixels: 40_000_000,
  timeoutMs: 20_000,
};

export type ScanFormat = "png" | "jpeg" | "tiff" | "pdf";

/** A4 short side in inches: used to estimate the resolution of a scan that records none. */
const A4_SHORT_SIDE_IN = 210 / 25.4;
const COMMON_DPI = [100, 150, 200, 240, 300, 400, 600, 1200];

/** Detects the file type from its first bytes (the file name is not trusted). */
export function sniffFormat(bytes: Uint8Array): ScanFormat | undefined {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47 && b(4) === 0x0d && b(5) === 0x0a) {
    return "png";
  }
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return "jpeg";
  // II*\0 (little-endian), MM\0* (big-endian), and the BigTIFF variants (43).
  if (b(0) === 0x49 && b(1) === 0x49 && (b(2) === 0x2a || b(2) === 0x2b) && b(3) === 0x00) return "tiff";
  if (b(0) === 0x4d && b(1) === 0x4d && b(2) === 0x00 && (b(3) === 0x2a || b(3) === 0x2b)) return "tiff";
  // The PDF header may follow some junk, within the first 1024 bytes (PDF 32000-1, 7.5.2 note).
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (head.includes("%PDF-")) return "pdf";
  return undefined;
}

/**
 * Decodes a scan into grey page images, refusing anything corrupt, oversized or slow with
 * UnreadableScanError.
 */
export async function decodeScan(
  bytes: Uint8Array,
  fileName: string,
  limits: Partial<DecodeLimits> = {},
): Promise<PageImage[]> {
  const lim: DecodeLimits = { ...DEFAULT_LIMITS, ...definedOnly(limits) };
  const deadline = Date.now() + lim.timeoutMs;
  const ctx: DecodeContext = { limits: lim, deadline, cancelled: false };

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctx.cancelled = true;
      reject(new UnreadableScanError(`decoding took longer than ${formatSeconds(lim.timeoutMs)}; file refused`));
    }, lim.timeoutMs);
  });
  try {
    return await Promise.race([decode(bytes, fileName, ctx), timeout]);
  } catch (error) {
    throw toUnreadable(error);
  } finally {
    clearTimeout(timer);
  }
}

interface DecodeContext {
  limits: DecodeLimits;
  deadline: number;
  /** Set when the timeout fired: remaining work stops at the next check. */
  cancelled: boolean;
}

async function decode(bytes: Uint8Array, fileName: string, ctx: DecodeContext): Promise<PageImage[]> {
  if (bytes.byteLength === 0) throw new UnreadableScanError("file is empty (0 bytes)");
  if (bytes.byteLength > ctx.limits.maxBytes) {
    throw new UnreadableScanError(
      `file is ${formatMb(bytes.byteLength)}; at most ${formatMb(ctx.limits.maxBytes)} is accepted`,
    );
  }
  const format = sniffFormat(bytes);
  if (format === undefined) {
    throw new UnreadableScanError(
      `file${describeExtension(fileName)} is not a PNG, JPEG, TIFF or PDF (unrecognised content)`,
    );
  }
  if (format === "pdf") return decodePdf(bytes, ctx);
  return decodeRasterFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), format, ctx);
}

// ---------------------------------------------------------------------------------------------
// Raster files (PNG, JPEG, TIFF)

async function decodeRasterFile(input: Buffer, format: ScanFormat, ctx: DecodeContext): Promise<PageImage[]> {
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

async function readMetadata(
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

function sharpInput(ctx: DecodeContext, extra: SharpOptions = {}): SharpOptions {
  // failOn "warning": a truncated or damaged image is refused instead of decoded half grey.
  return { failOn: "warning", limitInputPixels: ctx.limits.maxPixels, sequentialRead: true, ...extra };
}

/** Runs a sharp pipeline to one-channel 8-bit grey (alpha flattened onto white). */
async function toGrey(
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

function estimateA4Dpi(width: number, height: number): number {
  const raw = Math.min(width, height) / A4_SHORT_SIDE_IN;
  // Snap to the usual scanner settings when within 5 %: 2479 px → 300, not 299.7.
  const snapped = COMMON_DPI.find((d) => Math.abs(raw - d) / d <= 0.05);
  return snapped ?? Math.max(1, Math.round(raw));
}

// ---------------------------------------------------------------------------------------------
// PDF: lift each page's scanned image out whole.

async function decodePdf(bytes: Uint8Array, ctx: DecodeContext): Promise<PageImage[]> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, throwOnInvalidObject: false, updateMetadata: false });
  } catch (error) {
    if (error instanceof Error && error.name === "EncryptedPDFError") {
      throw new UnreadableScanError("PDF is encrypted");
    }
    throw new UnreadableScanError("PDF is damaged and cannot be parsed");
  }
  // pdf-lib finds /Encrypt in the trailer; a damaged xref can hide it, so also look at the bytes.
  if (doc.isEncrypted || /\/Encrypt\s*\d+\s+\d+\s+R|\/Encrypt\s*<</.test(text.slice(-4096))) {
    throw new UnreadableScanError("PDF is encrypted");
  }
  checkTime(ctx);
  let pdfPages: PDFPage[];
  try {
    pdfPages = doc.getPages();
  } catch {
    throw new UnreadableScanError("PDF is damaged: its page tree cannot be read");
  }
  if (pdfPages.length === 0) throw new UnreadableScanError("PDF has no pages");
  if (pdfPages.length > ctx.limits.maxPages) {
    throw new UnreadableScanError(`PDF has ${pdfPages.length} pages; at most ${ctx.limits.maxPages} are read`);
  }

  const images: PageImage[] = [];
  for (const [index, page] of pdfPages.entries()) {
    checkTime(ctx);
    const label = `page ${index + 1}`;
    const xobject = largestImage(page, doc);
    if (xobject === undefined) throw new UnreadableScanError(`${label} has no scanned image`);
    checkPixels(xobject.width, xobject.height, ctx.limits, `${label}: `);
    const rotation = normaliseRotation(safeRotation(page));
    const grey = await decodePdfImage(xobject, rotation, ctx, label);
    images.push({ ...grey, dpi: pdfPageDpi(page, grey.width, grey.height) });
  }
  return images;
}

interface PdfImage {
  stream: PDFRawStream;
  width: number;
  height: number;
}

/** The page's largest image XObject (a scan has one; looks one level into form XObjects). */
function largestImage(page: PDFPage, doc: PDFDocument): PdfImage | undefined {
  let resources: PDFDict | undefined;
  try {
    resources = page.node.Resources();
  } catch {
    return undefined;
  }
  const found: PdfImage[] = [];
  collectImages(resources, doc, found, 0);
  return found.sort((a, b) => b.width * b.height - a.width * a.height)[0];
}

function collectImages(resources: PDFDict | undefined, doc: PDFDocument, out: PdfImage[], depth: number): void {
  if (resources === undefined || depth > 2) return;
  const xobjects = lookupDict(resources.get(PDFName.of("XObject")), doc);
  if (xobjects === undefined) return;
  for (const value of xobjects.values()) {
    const stream = resolve(value, doc);
    if (!(stream instanceof PDFRawStream)) continue;
    const subtype = stream.dict.get(PDFName.of("Subtype"));
    if (subtype === PDFName.of("Image")) {
      const width = numberOf(stream.dict.get(PDFName.of("Width")), doc);
      const height = numberOf(stream.dict.get(PDFName.of("Height")), doc);
      if (width !== undefined && height !== undefined && width > 0 && height > 0) out.push({ stream, width, height });
    } else if (subtype === PDFName.of("Form")) {
      collectImages(lookupDict(stream.dict.get(PDFName.of("Resources")), doc), doc, out, depth + 1);
    }
  }
}

async function decodePdfImage(
  image: PdfImage,
  rotation: number,
  ctx: DecodeContext,
  label: string,
): Promise<{ width: number; height: number; data: Uint8Array }> {
  const dict = image.stream.dict;
  const filters = filterNames(dict.get(PDFName.of("Filter")));
  const contents = Buffer.from(image.stream.contents);
  const last = filters[filters.length - 1];
  const encodedFilters = filters.slice(0, -1);
  if (encodedFilters.some((f) => f !== "FlateDecode")) {
    throw new UnreadableScanError(`${label}: image filter chain ${filters.join(", ")} is not supported`);
  }
  let data: Buffer = contents;
  try {
    for (const _ of encodedFilters) data = inflateSync(data);
  } catch {
    throw new UnreadableScanError(`${label}: image data is corrupt`);
  }
  let pipeline: Sharp;
  switch (last) {
    case "DCTDecode":
      pipeline = sharp(data, sharpInput(ctx));
      break;
    case "CCITTFaxDecode":
      pipeline = sharp(ccittAsTiff(data, image, dict), sharpInput(ctx));
      break;
    case "FlateDecode":
    case undefined:
      pipeline = rawPdfPixels(last === undefined ? data : inflateOrThrow(data, label), image, dict, ctx, label);
      break;
    default:
      throw new UnreadableScanError(`${label}: image encoding ${last} is not supported`);
  }
  // /Decode [1 0] on a one-component image inverts it (common on bi-level scans): apply it, or the page
  // comes out as a negative.
  if (isInvertingDecode(dict.get(PDFName.of("Decode")))) pipeline = pipeline.negate({ alpha: false });
  if (rotation !== 0) pipeline = pipeline.rotate(rotation);
  return toGrey(pipeline, ctx, last === "DCTDecode" ? "jpeg" : "pdf");
}

function isInvertingDecode(value: PDFObject | undefined): boolean {
  if (!(value instanceof PDFArray) || value.size() !== 2) return false;
  const [lo, hi] = value.asArray();
  return lo instanceof PDFNumber && hi instanceof PDFNumber && lo.asNumber() === 1 && hi.asNumber() === 0;
}

function inflateOrThrow(data: Buffer, label: string): Buffer {
  try {
    return inflateSync(data);
  } catch {
    throw new UnreadableScanError(`${label}: image data is corrupt`);
  }
}

/** Uncompressed pixel rows (after Flate): 8-bit grey/RGB/CMYK, or 1-bit grey. */
function rawPdfPixels(data: Buffer, image: PdfImage, dict: PDFDict, ctx: DecodeContext, label: string): Sharp {
  const { width, height } = image;
  const bits = numberOf(dict.get(PDFName.of("BitsPerComponent")), undefined) ?? 8;
  const colourSpace = dict.get(PDFName.of("ColorSpace"));
  const channels =
    colourSpace === PDFName.of("DeviceRGB")
      ? 3
      : colourSpace === PDFName.of("DeviceCMYK")
        ? 4
        : colourSpace === PDFName.of("DeviceGray") || colourSpace === undefined
          ? 1
          : 0;
  const parms = dict.get(PDFName.of("DecodeParms"));
  const predictor = parms instanceof PDFDict ? numberOf(parms.get(PDFName.of("Predictor")), undefined) : undefined;
  if (channels === 0 || (predictor !== undefined && predictor > 1)) {
    throw new UnreadableScanError(`${label}: image colour space or predictor is not supported`);
  }
  if (bits === 1 && channels === 1) {
    const stride = Math.ceil(width / 8);
    if (data.byteLength < stride * height) throw new UnreadableScanError(`${label}: image data is truncated`);
    const grey = Buffer.alloc(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = ((data[y * stride + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
        grey[y * width + x] = bit ? 255 : 0;
      }
    }
    return sharp(grey, { raw: { width, height, channels: 1 }, limitInputPixels: ctx.limits.maxPixels });
  }
  if (bits !== 8) throw new UnreadableScanError(`${label}: ${bits}-bit image samples are not supported`);
  if (data.byteLength < width * height * channels) throw new UnreadableScanError(`${label}: image data is truncated`);
  const pixels = data.subarray(0, width * height * channels);
  const pipeline = sharp(pixels, {
    raw: { width, height, channels: channels as 1 | 3 | 4 },
    limitInputPixels: ctx.limits.maxPixels,
  });
  return channels === 4 ? pipeline.pipelineColourspace("cmyk") : pipeline;
}

/**
 * A CCITT fax stream is a TIFF strip without the file around it: wrap it in a minimal one-strip TIFF
 * so libtiff (inside sharp) decodes it.
 */
function ccittAsTiff(data: Buffer, image: PdfImage, dict: PDFDict): Buffer {
  const parms = dict.get(PDFName.of("DecodeParms"));
  const p = parms instanceof PDFDict ? parms : undefined;
  const k = (p && numberOf(p.get(PDFName.of("K")), undefined)) ?? 0;
  const blackIs1 = p?.get(PDFName.of("BlackIs1"))?.toString() === "true";
  const columns = (p && numberOf(p.get(PDFName.of("Columns")), undefined)) ?? image.width;
  // TIFF compression 4 = T.6 (G4, K < 0), 3 = T.4 (G3; 2-D when K > 0).
  const compression = k < 0 ? 4 : 3;
  // In the fax data 0 bits are white unless inverted; PDF says black is 0 unless BlackIs1.
  const photometric = blackIs1 ? 0 : 1;
  const entries: Array<[number, number, number]> = [
    [256, 4, columns], // ImageWidth (LONG)
    [257, 4, image.height], // ImageLength
    [258, 3, 1], // BitsPerSample
    [259, 3, compression], // Compression
    [262, 3, photometric], // PhotometricInterpretation
    [273, 4, 0], // StripOffsets (patched below)
    [277, 3, 1], // SamplesPerPixel
    [278, 4, image.height], // RowsPerStrip
    [279, 4, data.byteLength], // StripByteCounts
  ];
  if (compression === 3) entries.push([292, 4, k > 0 ? 1 : 0]); // T4Options: 2-D coding
  const ifdSize = 2 + entries.length * 12 + 4;
  const header = Buffer.alloc(8 + ifdSize);
  header.write("II", 0, "latin1");
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4);
  header.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    header.writeUInt16LE(tag, at);
    header.writeUInt16LE(type, at + 2);
    header.writeUInt32LE(1, at + 4);
    const v = tag === 273 ? header.byteLength : value;
    if (type === 3) header.writeUInt16LE(v, at + 8);
    else header.writeUInt32LE(v, at + 8);
  });
  header.writeUInt32LE(0, 10 + entries.length * 12);
  return Buffer.concat([header, data]);
}

function pdfPageDpi(page: PDFPage, width: number, height: number): number {
  try {
    const box = page.getMediaBox();
    const longSideIn = Math.max(Math.abs(box.width), Math.abs(box.height)) / 72;
    if (longSideIn > 0) {
      const raw = Math.max(width, height) / longSideIn;
      const snapped = COMMON_DPI.find((d) => Math.abs(raw - d) / d <= 0.02);
      return snapped ?? Math.max(1, Math.round(raw));
    }
  } catch {
    // fall through to the A4 estimate
  }
  return estimateA4Dpi(width, height);
}

function safeRotation(page: PDFPage): number {
  try {
    return page.getRotation().angle;
  } catch {
    return 0;
  }
}

/** PDF /Rotate is a multiple of 90 (clockwise); anything else is treated as 0. */
function normaliseRotation(angle: number): number {
  if (!Number.isFinite(angle) || angle % 90 !== 0) return 0;
  return ((angle % 360) + 360) % 360;
}

function resolve(value: PDFObject | undefined, doc: PDFDocument | undefined): PDFObject | undefined {
  if (value instanceof PDFRef) return doc?.context.lookup(value);
  return value;
}

function lookupDict(value: PDFObject | undefined, doc: PDFDocument): PDFDict | undefined {
  const resolved = resolve(value, doc);
  return resolved instanceof PDFDict ? resolved : undefined;
}

function numberOf(value: PDFObject | undefined, doc: PDFDocument | undefined): number | undefined {
  const resolved = resolve(value, doc);
  return resolved instanceof PDFNumber ? resolved.asNumber() : undefined;
}

function filterNames(value: PDFObject | undefined): string[] {
  if (value instanceof PDFName) return [value.decodeText()];
  if (value instanceof PDFArray) {
    return value.asArray().flatMap((v) => (v instanceof PDFName ? [v.decodeText()] : []));
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Limits and messages

function checkPixels(width: number, height: number, limits: DecodeLimits, label: string): void {
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new UnreadableScanError(
      `${label}image is ${width} × ${height} pixels (${formatMpx(pixels)}); at most ${formatMpx(limits.maxPixels)} per page`,
    );
  }
}

function checkTime(ctx: DecodeContext): void {
  if (ctx.cancelled || Date.now() > ctx.deadline) {
    throw new UnreadableScanError(`decoding took longer than ${formatSeconds(ctx.limits.timeoutMs)}; file refused`);
  }
}

function toUnreadable(error: unknown): UnreadableScanError {
  if (error instanceof UnreadableScanError) return error;
  // Never leak a library's multi-line message or stack: one generic line.
  return new UnreadableScanError("file could not be decoded");
}

function definedOnly(limits: Partial<DecodeLimits>): Partial<DecodeLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Partial<DecodeLimits>;
}

function describeExtension(fileName: string): string {
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(fileName);
  return match ? ` named .${match[1]?.toLowerCase()}` : "";
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
}

function formatMpx(pixels: number): string {
  return `${(pixels / 1_000_000).toFixed(1).replace(/\.0$/, "")} Mpx`;
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
