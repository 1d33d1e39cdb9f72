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
});
