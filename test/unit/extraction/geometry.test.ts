import { describe, expect, it } from "vitest";
import { angleOf, apply, fitSimilarity, fitSimilarityRobust, scaleOf } from "../../../shared/extraction/geometry.ts";

describe("similarity fit", () => {
  const truth = { a: 11.8 * Math.cos(0.05), b: 11.8 * Math.sin(0.05), tx: 40, ty: -25 };
  const from = [
    { x: 10, y: 10 },
    { x: 200, y: 12 },
    { x: 15, y: 280 },
    { x: 190, y: 270 },
    { x: 100, y: 150 },
  ];
  const to = from.map((p) => apply(truth, p));

  it("recovers rotation, scale and offset exactly from clean pairs", () => {
    const t = fitSimilarity(from, to);
    expect(scaleOf(t)).toBeCloseTo(11.8, 6);
    expect(angleOf(t)).toBeCloseTo((0.05 * 180) / Math.PI, 6);
    expect(t.tx).toBeCloseTo(40, 4);
    expect(t.ty).toBeCloseTo(-25, 4);
  });

  it("drops an outlier anchor (a value written over a label) and keeps the fit", () => {
    const noisy = to.map((p, i) => (i === 4 ? { x: p.x + 60, y: p.y - 45 } : p));
    const { transform, kept, rms } = fitSimilarityRobust(from, noisy, 12);
    expect(kept).not.toContain(4);
    expect(rms).toBeLessThan(0.01);
    expect(transform.tx).toBeCloseTo(40, 3);
  });

  it("handles an upside-down page (180°)", () => {
    const flipped = { a: -11.8, b: 0, tx: 2479, ty: 3508 };
    const t = fitSimilarity(
      from,
      from.map((p) => apply(flipped, p)),
    );
    expect(Math.abs(angleOf(t))).toBeCloseTo(180, 6);
  });

  it("refuses to fit fewer than two pairs", () => {
    expect(() => fitSimilarity([{ x: 1, y: 1 }], [{ x: 2, y: 2 }])).toThrow(/two or more/);
  });
});
