// Written ink: the form's own print and dust do not count; letters, ticks and the dots of å/ä/ö do.
import { beforeAll, describe, expect, it } from "vitest";
import { FIELD_PX_PER_MM, writtenInk } from "../../../shared/extraction/ink.ts";
import type { Gray } from "../../../shared/extraction/raster.ts";
import { loadTemplates, type Template } from "../../../shared/extraction/templates.ts";

let template: Template;
beforeAll(async () => {
  template = (await loadTemplates()).get("1177-EGEN") as Template;
});

/** A white region of the page's bottom margin (no print there), with black rectangles drawn in pixels. */
function region(rects: Array<[number, number, number, number]>): {
  img: Gray;
  box: { x: number; y: number; w: number; h: number };
} {
  const box = { x: 20, y: 280, w: 40, h: 10 };
  const w = box.w * FIELD_PX_PER_MM;
  const h = box.h * FIELD_PX_PER_MM;
  const data = new Uint8Array(w * h).fill(255);
  for (const [x0, y0, rw, rh] of rects)
    for (let y = y0; y < y0 + rh; y++) for (let x = x0; x < x0 + rw; x++) data[y * w + x] = 10;
  return { img: { width: w, height: h, data }, box };
}

describe("writtenInk", () => {
  it("drops a lone speck of dust", () => {
    const { img, box } = region([[100, 50, 5, 5]]); // 25 px ≈ 0.17 mm², nothing near
    expect(writtenInk(img, box, template).areaMm2).toBe(0);
  });

  it("keeps the same mark when it stands beside writing (a dot after a word)", () => {
    const { img, box } = region([
      [100, 40, 4, 30], // a stroke: 120 px ≈ 0.83 mm²
      [110, 65, 5, 5], // a dot beside it
    ]);
    const ink = writtenInk(img, box, template);
    expect(ink.areaMm2).toBeCloseTo((120 + 25) / FIELD_PX_PER_MM ** 2, 5);
  });

  it("keeps two small strokes of one letter that stand together", () => {
    const { img, box } = region([
      [200, 40, 3, 14], // 42 px ≈ 0.29 mm² each
      [206, 40, 3, 14],
    ]);
    expect(writtenInk(img, box, template).areaMm2).toBeGreaterThan(0.5);
  });

  it("drops a pair of specks side by side (a photographed page's dust), too small together for a letter", () => {
    const { img, box } = region([
      [100, 50, 5, 4], // 20 px each ≈ 0.14 mm²
      [103, 60, 5, 4],
    ]);
    expect(writtenInk(img, box, template).areaMm2).toBe(0);
  });

  it("drops small marks far from the writing, however many lie together, and keeps a letter's dot", () => {
    const { img, box } = region([
      [100, 40, 4, 40], // a stroke: 160 px ≈ 1.1 mm²
      [100, 30, 4, 4], // its dot, 0.7 mm above it
      [300, 10, 5, 5], // three specks 16 mm away, within 1.5 mm of one another
      [306, 18, 5, 5],
      [298, 24, 5, 5],
    ]);
    const ink = writtenInk(img, box, template);
    expect(ink.areaMm2).toBeCloseTo((160 + 16) / FIELD_PX_PER_MM ** 2, 5);
    expect(ink.bounds).toEqual({ x0: 100, y0: 30, x1: 103, y1: 79 });
  });
});
