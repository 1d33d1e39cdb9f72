// Local refinement per field: one transform for the whole page is not enough when the paper was folded (the part
// below a crease lies up to a millimetre off) or not flat. Each field's own printed label and rules are found again
// around the globally registered position, and the field is read at the offset where they lie.
import type { Box, PageImage } from "./document.ts";
import type { Homography } from "./homography.ts";
import { INK_THRESHOLD } from "./ink.ts";
import { warpRegion } from "./raster.ts";
import type { Registration } from "./register.ts";
import { INK_PX_PER_MM, type Template } from "./templates.ts";

/** Farthest local offset looked for (mm): a fold displaces the paper by up to about 0.8 mm. */
const SEARCH_MM = 1.2;
/** Resolution of the search (px per mm): 1/10 mm steps. */
const PX_PER_MM = 10;
/** Fewest print points (at INK_PX_PER_MM) a field's surroundings need for a local fit. */
const MIN_POINTS = 40;
/** A local offset is taken only where the print lies clearly better there than at the global position. */
const MIN_GAIN = 0.08;
const MIN_SCORE = 0.6;

/** The template's black print within a box (mm), as points in mm. */
function printPoints(t: Template, b: Box): Array<{ x: number; y: number }> {
  const out: Array<{ x: number; y: number }> = [];
  const x0 = Math.max(0, Math.floor(b.x * INK_PX_PER_MM));
  const y0 = Math.max(0, Math.floor(b.y * INK_PX_PER_MM));
  const x1 = Math.min(t.ink.width, Math.ceil((b.x + b.w) * INK_PX_PER_MM));
  const y1 = Math.min(t.ink.height, Math.ceil((b.y + b.h) * INK_PX_PER_MM));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (t.ink.data[y * t.ink.width + x]) out.push({ x: (x + 0.5) / INK_PX_PER_MM, y: (y + 0.5) / INK_PX_PER_MM });
    }
  }
  return out;
}

/** Where a field's surroundings' print lies relative to the global registration (mm), or null when not found. */
export function localOffset(scan: PageImage, reg: Registration, box: Box): { dx: number; dy: number } | null {
  const area = { x: box.x - 1, y: box.y - 1, w: box.w + 2, h: box.h + 2 };
  const points = printPoints(reg.template, area);
  if (points.length < MIN_POINTS) return null;
  const m = SEARCH_MM;
  const big = { x: area.x - m, y: area.y - m, w: area.w + 2 * m, h: area.h + 2 * m };
  const region = warpRegion(scan, reg.map, big, PX_PER_MM);
  const W = region.width;
  const H = region.height;
  const dark = new Uint8Array(W * H);
  for (let i = 0; i < dark.length; i++) dark[i] = (region.data[i] as number) < INK_THRESHOLD ? 1 : 0;
  const xs = points.map((p) => Math.floor((p.x - big.x) * PX_PER_MM));
  const ys = points.map((p) => Math.floor((p.y - big.y) * PX_PER_MM));
  const R = Math.round(m * PX_PER_MM);
  const scoreAt = (dx: number, dy: number) => {
    let hits = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = (xs[i] as number) + dx;
      const y = (ys[i] as number) + dy;
      if (x >= 0 && y >= 0 && x < W && y < H && dark[y * W + x]) hits++;
    }
    return hits / xs.length;
  };
  const here = scoreAt(0, 0);
  let best = here;
  let bx = 0;
  let by = 0;
  for (let dy = -R; dy <= R; dy++) {
    for (let dx = -R; dx <= R; dx++) {
      const s = scoreAt(dx, dy);
      // Ties go to the smaller offset: the global fit is right unless the print says otherwise.
      if (s > best + 1e-9 || (Math.abs(s - best) < 1e-9 && dx * dx + dy * dy < bx * bx + by * by)) {
        best = s;
        bx = dx;
        by = dy;
      }
    }
  }
  if (best < MIN_SCORE || best < here + MIN_GAIN) return null;
  return { dx: bx / PX_PER_MM, dy: by / PX_PER_MM };
}

/** The registration moved by a local offset in template millimetres: a point p is read where p + offset is. */
export function shifted(reg: Registration, d: { dx: number; dy: number }): Registration {
  const h = reg.map;
  // H · T(d): translate in template space first.
  const map: Homography = [
    h[0],
    h[1],
    h[0] * d.dx + h[1] * d.dy + h[2],
    h[3],
    h[4],
    h[3] * d.dx + h[4] * d.dy + h[5],
    h[6],
    h[7],
    h[6] * d.dx + h[7] * d.dy + h[8],
  ];
  const t = reg.transform;
  return {
    ...reg,
    map: map.map((v) => v / map[8]) as unknown as Homography,
    transform: { ...t, tx: t.a * d.dx - t.b * d.dy + t.tx, ty: t.b * d.dx + t.a * d.dy + t.ty },
  };
}

/** The registration to read one field with: the global one, moved where the field's own print says so. */
export function localRegistration(scan: PageImage, reg: Registration, box: Box): Registration {
  const d = localOffset(scan, reg, box);
  return d ? shifted(reg, d) : reg;
}
