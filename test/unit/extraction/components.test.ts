// One connected-component labelling for the ink mask (4-neighbour) and the handwriting crop (8-neighbour).
import { describe, expect, it } from "vitest";
import { connectedComponents } from "../../../shared/extraction/raster.ts";

// 4×3:  X . . X
//       . X . X
//       . . . .
const mask = Uint8Array.from([1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0]);

describe("connectedComponents", () => {
  it("4-neighbour: diagonal pixels are separate components, in row-major order of their first pixel", () => {
    const comps = connectedComponents(mask, 4, 3);
    expect(comps.map((c) => ({ n: c.px.length, box: [c.x0, c.y0, c.x1, c.y1] }))).toEqual([
      { n: 1, box: [0, 0, 0, 0] },
      { n: 2, box: [3, 0, 3, 1] },
      { n: 1, box: [1, 1, 1, 1] },
    ]);
  });

  it("8-neighbour: a diagonal joins", () => {
    const comps = connectedComponents(mask, 4, 3, true);
    expect(comps.map((c) => ({ n: c.px.length, box: [c.x0, c.y0, c.x1, c.y1] }))).toEqual([
      { n: 2, box: [0, 0, 1, 1] },
      { n: 2, box: [3, 0, 3, 1] },
    ]);
  });

  it("an empty mask has none", () => {
    expect(connectedComponents(new Uint8Array(6), 3, 2)).toEqual([]);
  });
});
