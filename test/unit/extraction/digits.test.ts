// The handwritten-digit reader: MNIST nearest neighbours, decoding under the personnummer's check digit.
import { describe, expect, it } from "vitest";
import { isValidPersonnummer12 } from "../../../shared/domain/personnummer.ts";
import { classifyDigit, decodeDigits, normaliseGlyph } from "../../../shared/extraction/digits.ts";
import type { Gray } from "../../../shared/extraction/raster.ts";

/** A digit drawn with strokes on a 60 × 80 white cell: "1" is a vertical bar, "0" an ellipse ring, "7" a bar and a slant. */
function draw(digit: "0" | "1" | "7"): Gray {
  const w = 60;
  const h = 80;
  const data = new Uint8Array(w * h).fill(255);
  const ink = (x: number, y: number) => {
    for (let dy = -3; dy <= 3; dy++)
      for (let dx = -3; dx <= 3; dx++) {
        const xx = Math.round(x + dx);
        const yy = Math.round(y + dy);
        if (xx >= 0 && yy >= 0 && xx < w && yy < h) data[yy * w + xx] = 20;
      }
  };
  if (digit === "1") for (let y = 10; y < 70; y++) ink(30 + (70 - y) * 0.1, y);
  if (digit === "0") for (let t = 0; t < 2 * Math.PI; t += 0.02) ink(30 + 15 * Math.cos(t), 40 + 28 * Math.sin(t));
  if (digit === "7") {
    for (let x = 12; x < 48; x++) ink(x, 12);
    for (let y = 12; y < 70; y++) ink(48 - (y - 12) * 0.45, y);
  }
  return { width: w, height: h, data };
}

describe("handwritten digits", () => {
  it("normalises a glyph the MNIST way (28 × 28, ink centred)", () => {
    const v = normaliseGlyph(draw("1"));
    expect(v).not.toBeNull();
    expect(v?.length).toBe(784);
    expect(normaliseGlyph({ width: 10, height: 10, data: new Uint8Array(100).fill(255) })).toBeNull();
  });

  it("reads drawn digits", () => {
    expect(classifyDigit(draw("1"))?.digit).toBe("1");
    expect(classifyDigit(draw("0"))?.digit).toBe("0");
    expect(classifyDigit(draw("7"))?.digit).toBe("7");
  });

  const sure = (d: number, p = 0.9) => Array.from({ length: 10 }, (_, i) => (i === d ? p : (1 - p) / 9));

  it("fixes one misread digit with the check digit when the right one is the runner-up", () => {
    const truth = "196408233234"; // valid (contract's example)
    const cells = [...truth].map((c) => sure(Number(c)));
    // cell 10 looks more like a 5 than the 3 it is
    cells[10] = Array.from({ length: 10 }, (_, i) => (i === 5 ? 0.6 : i === 3 ? 0.35 : 0.05 / 8));
    const r = decodeDigits(cells, isValidPersonnummer12);
    expect(r?.value).toBe(truth);
  });

  it("does not invent a number far from what the cells show", () => {
    const cells = [..."196408233239"].map((c) => sure(Number(c), 0.99));
    // Every cell is certain and the number fails its check: nothing valid is near enough.
    expect(decodeDigits(cells, isValidPersonnummer12)).toBeNull();
  });

  it("reports ambiguity: two equally likely valid numbers share the probability", () => {
    const cells = [..."196408233234"].map((c) => sure(Number(c)));
    cells[11] = Array.from({ length: 10 }, () => 0.1);
    cells[10] = Array.from({ length: 10 }, () => 0.1);
    const r = decodeDigits(cells, isValidPersonnummer12);
    expect(r).not.toBeNull();
    expect(r?.share).toBeLessThan(0.5);
  });
});
