// TextractOcr: Amazon Textract's synchronous DetectDocumentText on one page image.
//
// DetectDocumentText (text only) is what the reader needs: the form's layout is known from its template,
// so AnalyzeDocument's FORMS/TABLES would cost more for nothing. Textract answers in page-relative
// coordinates (0..1); we map them back to the image's pixels with the polygon, not the bounding box,
// so a word on a rotated scan gets the axis-aligned box that really encloses it.
import { type Block, DetectDocumentTextCommand, type TextractClient } from "@aws-sdk/client-textract";
import sharp from "sharp";
import { OcrThrottledError, UnreadableScanError } from "../../domain/errors.ts";
import type { Box, Line, OcrPage, PageImage, Word } from "../../extraction/document.ts";
import type { Ocr, RecognizeOptions } from "../../ports/ocr.ts";

/** Textract's synchronous limit on document bytes. */
export const TEXTRACT_MAX_BYTES = 10 * 1024 * 1024;
/** Textract refuses images larger than this on any side. */
const TEXTRACT_MAX_SIDE = 10_000;

const THROTTLED = new Set(["ThrottlingException", "ProvisionedThroughputExceededException"]);
const UNREADABLE = new Set([
  "InvalidParameterException",
  "UnsupportedDocumentException",
  "BadDocumentException",
  "DocumentTooLargeException",
]);

export interface TextractOcrOptions {
  /** Byte budget for the encoded image (default: Textract's 10 MB sync limit). Lowered in tests. */
  maxBytes?: number;
}

export class TextractOcr implements Ocr {
  readonly name = "textract";
  readonly readsWholePages = true;
  private readonly maxBytes: number;

  constructor(
    private readonly client: TextractClient,
    options: TextractOcrOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? TEXTRACT_MAX_BYTES;
  }

  async recognize(image: PageImage, options: RecognizeOptions = {}): Promise<OcrPage> {
    const bytes = await encodeForTextract(image, this.maxBytes);
    let blocks: Block[];
    try {
      const out = await this.client.send(new DetectDocumentTextCommand({ Document: { Bytes: bytes } }));
      blocks = out.Blocks ?? [];
    } catch (error) {
      throw translateError(error);
    }
    const page = mapTextractBlocks(blocks, image.width, image.height);
    return options.charset === undefined ? page : restrictCharset(page, options.charset);
  }

  async close(): Promise<void> {
    // The SDK client belongs to the composition root, which destroys it.
  }
}

/**
 * Maps Textract blocks (a DetectDocumentText or AnalyzeDocument response) to an OcrPage in pixel
 * coordinates of a width × height image. Only WORD and LINE blocks are read; every other type
 * (PAGE, KEY_VALUE_SET, TABLE, CELL, SELECTION_ELEMENT, …) is ignored.
 */
export function mapTextractBlocks(blocks: readonly Block[], width: number, height: number): OcrPage {
  const words: Word[] = [];
  const wordsById = new Map<string, Word>();
  for (const block of blocks) {
    if (block.BlockType !== "WORD") continue;
    const box = blockBox(block, width, height);
    if (box === undefined) continue;
    const word: Word = { text: block.Text ?? "", confidence: confidenceOf(block), box };
    words.push(word);
    if (block.Id) wordsById.set(block.Id, word);
  }
  const lines: Line[] = [];
  for (const block of blocks) {
    if (block.BlockType !== "LINE") continue;
    const box = blockBox(block, width, height);
    if (box === undefined) continue;
    const children = (block.Relationships ?? [])
      .filter((r) => r.Type === "CHILD")
      .flatMap((r) => r.Ids ?? [])
      .flatMap((id) => {
        const word = wordsById.get(id);
        return word ? [word] : [];
      });
    lines.push({ text: block.Text ?? "", confidence: confidenceOf(block), box, words: children });
  }
  return { width, height, words, lines };
}

/** Axis-aligned pixel box enclosing the block's polygon (BoundingBox when there is no polygon). */
function blockBox(block: Block, width: number, height: number): Box | undefined {
  const geometry = block.Geometry;
  const points = (geometry?.Polygon ?? []).filter(
    (p): p is { X: number; Y: number } => Number.isFinite(p.X) && Number.isFinite(p.Y),
  );
  let left: number;
  let top: number;
  let right: number;
  let bottom: number;
  if (points.length >= 2) {
    left = Math.min(...points.map((p) => p.X));
    right = Math.max(...points.map((p) => p.X));
    top = Math.min(...points.map((p) => p.Y));
    bottom = Math.max(...points.map((p) => p.Y));
  } else {
    const bb = geometry?.BoundingBox;
    if (bb?.Left === undefined || bb.Top === undefined || bb.Width === undefined || bb.Height === undefined) {
      return undefined;
    }
    left = bb.Left;
    top = bb.Top;
    right = bb.Left + bb.Width;
    bottom = bb.Top + bb.Height;
  }
  // Polygons on rotated pages can poke a hair outside 0..1: clamp to the image.
  const x0 = clamp(left, 0, 1) * width;
  const y0 = clamp(top, 0, 1) * height;
  const x1 = clamp(right, 0, 1) * width;
  const y1 = clamp(bottom, 0, 1) * height;
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

function confidenceOf(block: Block): number {
  const c = block.Confidence;
  return c === undefined || !Number.isFinite(c) ? 0 : clamp(c / 100, 0, 1);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Textract cannot be told a charset: filter its answer instead (e.g. digits in comb cells). */
function restrictCharset(page: OcrPage, charset: string): OcrPage {
  const allowed = new Set(charset);
  const keep = (text: string) => [...text].filter((ch) => allowed.has(ch)).join("");
  const mapped = new Map<Word, Word>();
  const words: Word[] = [];
  for (const word of page.words) {
    const text = keep(word.text);
    if (text === "") continue;
    const filtered = { ...word, text };
    mapped.set(word, filtered);
    words.push(filtered);
  }
  const lines: Line[] = page.lines.flatMap((line) => {
    const lineWords = line.words.flatMap((w) => {
      const f = mapped.get(w);
      return f ? [f] : [];
    });
    if (lineWords.length === 0) return [];
    return [{ ...line, text: lineWords.map((w) => w.text).join(" "), words: lineWords }];
  });
  return { ...page, words, lines };
}

/**
 * PNG keeps a grey scan lossless and is usually 1–3 MB for an A4 page at 300 dpi. When it is over the
 * budget, fall back to JPEG, then scale down: Textract's coordinates are relative, so a smaller image
 * still maps onto the original pixels.
 */
export async function encodeForTextract(image: PageImage, maxBytes = TEXTRACT_MAX_BYTES): Promise<Uint8Array> {
  if (image.data.byteLength !== image.width * image.height) {
    throw new UnreadableScanError("page image is not 8-bit grey of its stated size");
  }
  const raw = { width: image.width, height: image.height, channels: 1 as const };
  const fit = Math.min(1, TEXTRACT_MAX_SIDE / Math.max(image.width, image.height));
  // "b-w": keep one channel; sharp would otherwise widen raw grey to sRGB and triple the bytes.
  const grey = () => sharp(image.data, { raw }).toColourspace("b-w");
  const pngSource = fit < 1 ? grey().resize(Math.floor(image.width * fit), Math.floor(image.height * fit)) : grey();
  const png = await pngSource.png({ compressionLevel: 9 }).toBuffer();
  if (png.byteLength <= maxBytes) return new Uint8Array(png);
  for (const scale of [1, 0.75, 0.5, 0.35, 0.25]) {
    const w = Math.max(1, Math.floor(image.width * fit * scale));
    const h = Math.max(1, Math.floor(image.height * fit * scale));
    const jpeg = await grey().resize(w, h).jpeg({ quality: 85 }).toBuffer();
    if (jpeg.byteLength <= maxBytes) return new Uint8Array(jpeg);
  }
  throw new UnreadableScanError("page image cannot be encoded under Textract's size limit");
}

function translateError(error: unknown): unknown {
  const name = error instanceof Error ? error.name : "";
  if (THROTTLED.has(name)) {
    return new OcrThrottledError(`Textract throttled the request (${name})`, { cause: error });
  }
  if (UNREADABLE.has(name)) {
    return new UnreadableScanError(`Textract refused the page image (${name})`, { cause: error });
  }
  return error;
}
