// PDF: a scanned PDF holds one image XObject per page, which is lifted out whole and decoded with sharp (no
// rendering: pdfjs-dist with a canvas segfaulted here, and rendering adds nothing to a scan).
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
import sharp, { type Sharp } from "sharp";
import { UnreadableScanError } from "../domain/errors.ts";
import { COMMON_DPI, estimateA4Dpi, sharpInput, toGrey } from "./decode-image.ts";
import { checkPixels, checkTime, type DecodeContext } from "./decode-limits.ts";
import type { PageImage } from "./document.ts";

export async function decodePdf(bytes: Uint8Array, ctx: DecodeContext): Promise<PageImage[]> {
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
