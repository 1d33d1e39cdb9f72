// Scan decoding: file bytes (PNG, JPEG, TIFF, PDF) → 8-bit grey page images.
//
// Every failure is an UnreadableScanError with a one-line message that names the problem, never the
// content: the state machine treats it as final (retrying a corrupt file does not help) and the message
// is shown to the mailroom. Limits are checked on headers BEFORE pixels are decoded, so a decompression
// bomb (a tiny file that claims 20,000 × 20,000 pixels) is refused without allocating its memory.
//
// PDFs are not rendered: a scanned PDF holds one image XObject per page, which we lift out whole and
// decode with sharp (pdfjs-dist with a canvas segfaulted here, and rendering adds nothing to a scan).
import { UnreadableScanError } from "../domain/errors.ts";
import { decodeRasterFile, type ScanFormat } from "./decode-image.ts";
import { DEFAULT_LIMITS, type DecodeContext, type DecodeLimits, formatMb, formatSeconds } from "./decode-limits.ts";
import { decodePdf } from "./decode-pdf.ts";
import type { PageImage } from "./document.ts";

export { pageDpi, type ScanFormat } from "./decode-image.ts";
export { DEFAULT_LIMITS, type DecodeLimits } from "./decode-limits.ts";

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
