// Written ink inside a field: dark pixels that are not the form's own print, with dust specks removed.
import type { Box, PageImage } from "./document.ts";
import { connectedComponents, type Gray } from "./raster.ts";
import { INK_PX_PER_MM, type Template } from "./templates.ts";

/** Pixels darker than this are pen or print; the light dropout colour of boxes and combs stays above it. */
export const INK_THRESHOLD = 150;
/** Resolution at which field regions are resampled from the scan. */
export const FIELD_PX_PER_MM = 12;
/** A lone mark up to this size (mm², about a 0.6 mm speck) with no other ink within 1.5 mm is dust. */
export const ISOLATED_DUST_MM2 = 0.3;

export interface InkMask {
  width: number;
  height: number;
  /** 1 = written ink */
  mask: Uint8Array;
  /** ink area in mm² after speck removal */
  areaMm2: number;
  /** bounding box of the ink in mask pixels, or null */
  bounds: { x0: number; y0: number; x1: number; y1: number } | null;
}

/** Template print dilated by `grow` cells, so that anti-aliased label edges do not count as writing. */
export function dilatedPrint(t: Template, grow = 2): Uint8Array {
  const { width: w, height: h, data } = t.ink;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!data[y * w + x]) continue;
      for (let dy = -grow; dy <= grow; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -grow; dx <= grow; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < w) out[yy * w + xx] = 1;
        }
      }
    }
  }
  return out;
}

const printCache = new WeakMap<Template, Uint8Array>();
function printOf(t: Template): Uint8Array {
  let p = printCache.get(t);
  if (!p) {
    p = dilatedPrint(t);
    printCache.set(t, p);
  }
  return p;
}

/**
 * The written ink of a region resampled at FIELD_PX_PER_MM with its top-left at `box` (mm):
 * dark pixels minus the template's print, minus connected specks smaller than `minSpeckMm2`.
 */
export function writtenInk(
  region: Gray,
  box: Box,
  template: Template,
  minSpeckMm2 = 0.12,
  /** how far beside writing (mm) a small mark still counts as punctuation, not dust: wide for e-mail addresses */
  punctuationMm = 0.3,
): InkMask {
  const { width: w, height: h, data } = region;
  const print = printOf(template);
  const pw = template.ink.width;
  const ph = template.ink.height;
  const mask = new Uint8Array(w * h);
  const k = INK_PX_PER_MM / FIELD_PX_PER_MM;
  for (let y = 0; y < h; y++) {
    const ty = Math.floor((box.y * FIELD_PX_PER_MM + y + 0.5) * k);
    for (let x = 0; x < w; x++) {
      if ((data[y * w + x] as number) >= INK_THRESHOLD) continue;
      const tx = Math.floor((box.x * FIELD_PX_PER_MM + x + 0.5) * k);
      if (tx >= 0 && ty >= 0 && tx < pw && ty < ph && print[ty * pw + tx]) continue;
      mask[y * w + x] = 1;
    }
  }
  // Connected components (4-neighbour). Small ones are dust unless they sit on writing: the dots of å ä ö, i, j
  // above it, and punctuation (the dots of an e-mail address) beside it on the line.
  const minPx = minSpeckMm2 * FIELD_PX_PER_MM * FIELD_PX_PER_MM;
  const comps = connectedComponents(mask, w, h);
  const reach = 1.2 * FIELD_PX_PER_MM;
  // Marks of up to ISOLATED_DUST_MM2 together, with nothing more within 1.5 mm, are specks of dust, not a letter:
  // letters stand beside letters, a tick crosses its box, a digit fills its cell. (Two specks side by side are
  // still dust: a photographed page's dust is enlarged and blurred into pairs.)
  const isolatedPx = ISOLATED_DUST_MM2 * FIELD_PX_PER_MM * FIELD_PX_PER_MM;
  const near = 1.5 * FIELD_PX_PER_MM;
  const lonely = (c: (typeof comps)[number]) =>
    comps
      .filter(
        (o) =>
          o.px.length >= minPx / 6 &&
          o.x0 <= c.x1 + near &&
          o.x1 >= c.x0 - near &&
          o.y0 <= c.y1 + near &&
          o.y1 >= c.y0 - near,
      )
      .reduce((sum, o) => sum + o.px.length, 0) < isolatedPx;
  // Small marks far from every real stroke (over 3 mm away) are dust too, however many lie together: a photographed
  // page's specks, enlarged and blurred, cluster; the writing is where the strokes are.
  const strokes = comps.filter((c) => c.px.length >= isolatedPx);
  const far = 3 * FIELD_PX_PER_MM;
  const nearAStroke = (c: (typeof comps)[number]) =>
    strokes.length === 0 ||
    strokes.some((s) => s.x0 <= c.x1 + far && s.x1 >= c.x0 - far && s.y0 <= c.y1 + far && s.y1 >= c.y0 - far);
  const big = comps.filter(
    (c) => c.px.length >= minPx && (c.px.length >= isolatedPx || (!lonely(c) && nearAStroke(c))),
  );
  let area = 0;
  let bounds: InkMask["bounds"] = null;
  for (const c of comps) {
    const keep =
      big.includes(c) ||
      (c.px.length >= minPx / 6 &&
        big.some(
          (b) =>
            c.x1 >= b.x0 - punctuationMm * FIELD_PX_PER_MM &&
            c.x0 <= b.x1 + punctuationMm * FIELD_PX_PER_MM &&
            c.y1 >= b.y0 - reach &&
            c.y0 <= b.y1,
        ));
    if (!keep) {
      for (const j of c.px) mask[j] = 0;
      continue;
    }
    area += c.px.length;
    if (!bounds) bounds = { x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 };
    else {
      bounds.x0 = Math.min(bounds.x0, c.x0);
      bounds.y0 = Math.min(bounds.y0, c.y0);
      bounds.x1 = Math.max(bounds.x1, c.x1);
      bounds.y1 = Math.max(bounds.y1, c.y1);
    }
  }
  return { width: w, height: h, mask, areaMm2: area / (FIELD_PX_PER_MM * FIELD_PX_PER_MM), bounds };
}

/** A clean image of the writing only (white background), cropped to the ink with a margin, for OCR. */
export function cleanWriting(region: Gray, ink: InkMask, marginPx = 12): Gray | null {
  if (!ink.bounds) return null;
  const { x0, y0, x1, y1 } = ink.bounds;
  const w = x1 - x0 + 1 + 2 * marginPx;
  const h = y1 - y0 + 1 + 2 * marginPx;
  const out = new Uint8Array(w * h).fill(255);
  const rw = region.width;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      // Keep the pen's own grey levels next to kept ink (anti-aliasing), white elsewhere.
      let near = false;
      for (let dy = -1; dy <= 1 && !near; dy++) {
        for (let dx = -1; dx <= 1 && !near; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < rw && yy < ink.height && ink.mask[yy * rw + xx]) near = true;
        }
      }
      if (near) out[(y - y0 + marginPx) * w + (x - x0 + marginPx)] = Math.min(255, region.data[y * rw + x] as number);
    }
  }
  return { width: w, height: h, data: out };
}

/** A box shrunk by `d` mm on every side (a field's or a comb cell's inside, clear of its printed rules). */
export function insetBox(b: Box, d: number): Box {
  return { x: b.x + d, y: b.y + d, w: b.w - 2 * d, h: b.h - 2 * d };
}

/** A resampled field region as an image for the OCR port (at the field sampling resolution). */
export function fieldImage(g: Gray): PageImage {
  return { width: g.width, height: g.height, dpi: Math.round(FIELD_PX_PER_MM * 25.4), data: g.data };
}
