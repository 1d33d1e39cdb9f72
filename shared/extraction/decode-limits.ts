// The decoder's limits and the checks every format runs against them (sizes, pages, pixels, time), with the
// one-line messages they fail with.
import { UnreadableScanError } from "../domain/errors.ts";

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

export interface DecodeContext {
  limits: DecodeLimits;
  deadline: number;
  /** Set when the timeout fired: remaining work stops at the next check. */
  cancelled: boolean;
}

export function checkPixels(width: number, height: number, limits: DecodeLimits, label: string): void {
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new UnreadableScanError(
      `${label}image is ${width} × ${height} pixels (${formatMpx(pixels)}); at most ${formatMpx(limits.maxPixels)} per page`,
    );
  }
}

export function checkTime(ctx: DecodeContext): void {
  if (ctx.cancelled || Date.now() > ctx.deadline) {
    throw new UnreadableScanError(`decoding took longer than ${formatSeconds(ctx.limits.timeoutMs)}; file refused`);
  }
}

export function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
}

export function formatMpx(pixels: number): string {
  return `${(pixels / 1_000_000).toFixed(1).replace(/\.0$/, "")} Mpx`;
}

export function formatSeconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
