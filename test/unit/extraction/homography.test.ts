// Projective fits for pages seen in perspective: a known homography is recovered from point pairs, also with
// outliers; the inverse maps back; a degenerate mapping is not a page.
import { describe, expect, it } from "vitest";
import type { Point } from "../../../shared/extraction/geometry.ts";
import {
  applyH,
  fitHomography,
  fitHomographyRobust,
  fromSimilarity,
  type Homography,
  invertH,
  plausiblePage,
} from "../../../shared/extraction/homography.ts";

// A4 in mm onto a 12-Mpx photo: scale ~11 px/mm, a slight turn, perspective (the top farther than the bottom).
const H: Homography = [11.2, 0.4, 380, -0.3, 10.6, 370, 0.00005, -0.00012, 1];
const grid: Point[] = [];
for (let y = 10; y <= 287; y += 25) for (let x = 10; x <= 200; x += 30) grid.push({ x, y });

describe("homography", () => {
  it("recovers a perspective mapping from anchor pairs to a hundredth of a pixel", () => {
    const fit = fitHomography(
      grid,
      grid.map((p) => applyH(H, p)),
    ) as Homography;
    for (const p of grid) {
      const a = applyH(H, p);
      const b = applyH(fit, p);
      expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeLessThan(0.01);
    }
  });

  it("drops anchors matched in the wrong place and keeps the rest", () => {
    const to = grid.map((p) => applyH(H, p));
    to[3] = { x: (to[3] as Point).x + 40, y: (to[3] as Point).y };
    to[17] = { x: (to[17] as Point).x, y: (to[17] as Point).y - 25 };
    const r = fitHomographyRobust(grid, to, 10);
    expect(r?.kept).not.toContain(3);
    expect(r?.kept).not.toContain(17);
    expect(r?.kept.length).toBe(grid.length - 2);
    expect(r?.rms).toBeLessThan(0.01);
  });

  it("inverts: scan pixels back to template millimetres", () => {
    const inv = invertH(H);
    const q = applyH(inv, applyH(H, { x: 105, y: 148.5 }));
    expect(q.x).toBeCloseTo(105, 6);
    expect(q.y).toBeCloseTo(148.5, 6);
  });

  it("takes a similarity as the special case without perspective, and refuses a folded-over mapping", () => {
    const s = fromSimilarity({ a: 11.8, b: 0.05, tx: 40, ty: 60 });
    expect(applyH(s, { x: 10, y: 20 })).toEqual({ x: 11.8 * 10 - 0.05 * 20 + 40, y: 0.05 * 10 + 11.8 * 20 + 60 });
    expect(plausiblePage(H, 210, 297)).toBe(true);
    expect(plausiblePage([11, 0, 0, 0, 11, 0, 0.01, 0, 1], 210, 297)).toBe(false);
    expect(fitHomography(grid.slice(0, 3), grid.slice(0, 3))).toBeNull();
  });
});
