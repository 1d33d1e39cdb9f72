// The resolution tags of each page (IFD) of a TIFF, read from the bytes: sharp reports one density per page, but a
// fax has non-square pixels (204 × 98 dpi "standard", 204 × 196 "fine") that must be stretched back to square.
// A damaged or unusual file gives no entries; the decoder then treats its pixels as square.

export interface TiffResolution {
  /** pixels per inch across */
  x: number;
  /** pixels per inch down */
  y: number;
}

const X_RESOLUTION = 282;
const Y_RESOLUTION = 283;
const RATIONAL = 5;
/** More IFDs than any accepted file has pages: a loop in the IFD chain stops here. */
const MAX_IFDS = 64;

/** One entry per IFD, in page order; null where a page records no (or an unusable) resolution pair. */
export function tiffResolutions(bytes: Uint8Array): Array<TiffResolution | null> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8) return [];
  const order = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
  if (order !== "II" && order !== "MM") return [];
  const le = order === "II";
  // Classic TIFF only (42); BigTIFF (43) pages are read as square.
  if (view.getUint16(2, le) !== 42) return [];
  const out: Array<TiffResolution | null> = [];
  const seen = new Set<number>();
  let ifd = view.getUint32(4, le);
  while (ifd !== 0 && !seen.has(ifd) && out.length < MAX_IFDS) {
    seen.add(ifd);
    if (ifd + 2 > bytes.byteLength) break;
    const count = view.getUint16(ifd, le);
    if (ifd + 2 + count * 12 + 4 > bytes.byteLength) break;
    let x: number | undefined;
    let y: number | undefined;
    for (let i = 0; i < count; i++) {
      const at = ifd + 2 + i * 12;
      const tag = view.getUint16(at, le);
      if (tag !== X_RESOLUTION && tag !== Y_RESOLUTION) continue;
      if (view.getUint16(at + 2, le) !== RATIONAL) continue;
      const offset = view.getUint32(at + 8, le);
      if (offset + 8 > bytes.byteLength) continue;
      const den = view.getUint32(offset + 4, le);
      const value = den === 0 ? Number.NaN : view.getUint32(offset, le) / den;
      if (tag === X_RESOLUTION) x = value;
      else y = value;
    }
    const usable = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0;
    out.push(usable(x) && usable(y) ? { x, y } : null);
    ifd = view.getUint32(ifd + 2 + count * 12, le);
  }
  return out;
}

/**
 * The factor by which a page's rows must be stretched to make its pixels square (x resolution / y resolution), or 1
 * when they are square already (within 2 %) or the ratio is implausible for a scan or fax (beyond 1:4).
 */
export function rowStretch(res: TiffResolution | null | undefined): number {
  if (!res) return 1;
  const k = res.x / res.y;
  if (Math.abs(k - 1) <= 0.02 || k > 4 || k < 0.25) return 1;
  return k;
}
