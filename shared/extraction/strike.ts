// Crossed-out words: a citizen who miswrites a word strikes it through and writes the right one after it. The
// struck word is never the value: its ink is removed before the field is read.
import { FIELD_PX_PER_MM, type InkMask } from "./ink.ts";
import { connectedComponents } from "./raster.ts";

/**
 * A strike is a near-horizontal pen line at least this long (mm): longer than a letter's own strokes, also the
 * joined t-bars and flat tops of a square hand (up to about 6 mm on the field samples); a struck word of three
 * letters is longer.
 */
const MIN_STRIKE_MM = 6.5;
/** How far above and below the line (mm) the struck letters' ink is looked for. */
const LETTER_REACH_MM = 2.2;
/** Share of the line's columns that must have letter ink both above and below it (a strike goes through letters). */
const THROUGH_SHARE = 0.4;

export interface Run {
  y: number;
  x0: number;
  x1: number;
}

/** Long horizontal runs of ink (rows thickened by one pixel up and down, gaps of one pixel bridged). */
export function longRuns(ink: InkMask, minPx: number): Run[] {
  const { width: w, height: h, mask } = ink;
  const out: Run[] = [];
  for (let y = 1; y < h - 1; y++) {
    let start = -1;
    let gap = 0;
    for (let x = 0; x <= w; x++) {
      const on = x < w && (mask[y * w + x] || mask[(y - 1) * w + x] || mask[(y + 1) * w + x]);
      if (on) {
        if (start < 0) start = x;
        gap = 0;
        continue;
      }
      if (start >= 0 && gap === 0 && x < w - 1) {
        gap = 1;
        continue;
      }
      if (start >= 0) {
        const end = x - 1 - gap;
        if (end - start + 1 >= minPx) out.push({ y, x0: start, x1: end });
      }
      start = -1;
      gap = 0;
    }
  }
  return out;
}

/** Share of the run's columns with letter ink both above and below it, beyond the pen line's own thickness. */
export function throughShare(ink: InkMask, run: Run): number {
  const { width: w, height: h, mask } = ink;
  const reach = Math.round(LETTER_REACH_MM * FIELD_PX_PER_MM);
  const clear = Math.round(0.45 * FIELD_PX_PER_MM);
  const inkAt = (x: number, from: number, dir: number) => {
    for (let d = clear; d <= reach; d++) {
      const y = from + dir * d;
      if (y >= 0 && y < h && mask[y * w + x]) return true;
    }
    return false;
  };
  let both = 0;
  for (let x = run.x0; x <= run.x1; x++) if (inkAt(x, run.y, -1) && inkAt(x, run.y, 1)) both++;
  return both / (run.x1 - run.x0 + 1);
}

/**
 * The ink with every struck-through word removed: the ink connected to a strike line, and the ink lying over the
 * line's extent (the struck word's separate letters and dots). Returns the ink unchanged when nothing is struck.
 */
export function withoutStruckWords(ink: InkMask): { ink: InkMask; struck: number } {
  const runs = longRuns(ink, Math.round(MIN_STRIKE_MM * FIELD_PX_PER_MM)).filter(
    (r) => throughShare(ink, r) >= THROUGH_SHARE,
  );
  if (runs.length === 0) return { ink, struck: 0 };
  const { width: w, height: h } = ink;
  const mask = ink.mask.slice();
  const comps = connectedComponents(mask, w, h, true);
  const margin = Math.round(0.3 * FIELD_PX_PER_MM);
  let struck = 0;
  // Neighbouring rows of one strike (the pen line is several pixels thick) make one strike.
  const spans: Run[] = [];
  for (const r of runs) {
    const same = spans.find((s) => Math.abs(s.y - r.y) <= FIELD_PX_PER_MM && r.x0 <= s.x1 && r.x1 >= s.x0);
    if (same) {
      same.x0 = Math.min(same.x0, r.x0);
      same.x1 = Math.max(same.x1, r.x1);
    } else spans.push({ ...r });
  }
  for (const s of spans) {
    struck++;
    for (const c of comps) {
      const touches = c.y0 <= s.y + 1 && c.y1 >= s.y - 1 && c.x0 <= s.x1 && c.x1 >= s.x0;
      const inside = c.x0 >= s.x0 - margin && c.x1 <= s.x1 + margin;
      if (!touches && !inside) continue;
      for (const j of c.px) mask[j] = 0;
    }
  }
  let area = 0;
  let bounds: InkMask["bounds"] = null;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    area++;
    const x = i % w;
    const y = (i - x) / w;
    if (!bounds) bounds = { x0: x, y0: y, x1: x, y1: y };
    else {
      bounds.x0 = Math.min(bounds.x0, x);
      bounds.y0 = Math.min(bounds.y0, y);
      bounds.x1 = Math.max(bounds.x1, x);
      bounds.y1 = Math.max(bounds.y1, y);
    }
  }
  return { ink: { width: w, height: h, mask, areaMm2: area / (FIELD_PX_PER_MM * FIELD_PX_PER_MM), bounds }, struck };
}
