// The address ink check on drawn lines (no OCR): blocks stand for letters at 12 px/mm — x-height 22 px on a baseline,
// tall letters reaching 10 px higher, descenders 8 px lower, dots of 4×4 px.
import { describe, expect, it } from "vitest";
import { addressInkDoubts } from "../../../shared/extraction/address-ink.ts";
import type { InkMask } from "../../../shared/extraction/ink.ts";
import type { Gray } from "../../../shared/extraction/raster.ts";

const W = 400;
const H = 130;
const BASE = 90;
const XH = 22;

class Line {
  readonly data = new Uint8Array(W * H).fill(255);
  private x = 10;
  rect(x: number, y0: number, w: number, h: number, grey = 0): this {
    for (let y = y0; y < y0 + h; y++) for (let i = x; i < x + w; i++) this.data[y * W + i] = grey;
    return this;
  }
  /** A letter block: "x" short, "t" tall, "g" descending, "i" narrow with its dot, "o:" short with two dots. */
  letter(kind: "x" | "t" | "g" | "i" | "o:"): this {
    const x = this.x;
    if (kind === "i") {
      this.rect(x, BASE - XH, 6, XH).rect(x + 1, BASE - XH - 9, 4, 4);
      this.x += 12;
      return this;
    }
    const top = kind === "t" ? BASE - XH - 10 : BASE - XH;
    const bottom = kind === "g" ? BASE + 8 : BASE;
    this.rect(x, top, 18, bottom - top);
    if (kind === "o:") this.rect(x + 2, BASE - XH - 9, 4, 4).rect(x + 12, BASE - XH - 9, 4, 4);
    this.x += 24;
    return this;
  }
  gap(px: number): this {
    this.x += px;
    return this;
  }
  here(): number {
    return this.x;
  }
  check(reading: string): string[] {
    const region: Gray = { width: W, height: H, data: this.data };
    const mask = new Uint8Array(W * H);
    let x0 = W;
    let y0 = H;
    let x1 = 0;
    let y1 = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if ((this.data[y * W + x] as number) >= 150) continue;
        mask[y * W + x] = 1;
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
    const ink: InkMask = { width: W, height: H, mask, areaMm2: 1, bounds: { x0, y0, x1, y1 } };
    return addressInkDoubts(reading, region, ink);
  }
}

describe("address ink check", () => {
  it("ink that bears the reading out: no doubt", () => {
    const line = new Line().letter("x").letter("t").letter("x").letter("g").letter("i").letter("x");
    expect(line.check("atagia")).toEqual([]);
  });

  it("a descending mark the reading has no letter for (an underscore it dropped)", () => {
    const line = new Line().letter("x").letter("x").letter("x");
    line.rect(line.here(), BASE + 4, 16, 3).gap(20);
    line.letter("x").letter("t").letter("x");
    expect(line.check("aaaata")).toEqual(["UNREAD_DESCENDER"]);
    expect(line.check("aaa_ata")).toEqual([]);
  });

  it("two dots over a short wide letter are an umlaut: no address letter stands for it", () => {
    const line = new Line().letter("o:").letter("g").letter("x").letter("x");
    expect(line.check("dgaa")).toEqual(["UNREAD_MARK_ABOVE"]);
    expect(line.check("6gaa")).toEqual(["UNREAD_MARK_ABOVE"]);
  });

  it("a dot over a narrow letter is an i or j dot; more dots than i and j is doubt; one speck over a wide letter is dust", () => {
    const dotted = new Line().letter("x").letter("i").letter("x").letter("x");
    expect(dotted.check("aiaa")).toEqual([]);
    expect(dotted.check("alaa")).toEqual(["UNREAD_MARK_ABOVE"]);
    const speck = new Line().letter("x").letter("x").letter("x");
    speck.rect(16, BASE - XH - 9, 4, 4);
    expect(speck.check("aaa")).toEqual([]);
  });

  it("a faint mark on the line, away from the ink (a faint _ . - below the ink threshold)", () => {
    const line = new Line().letter("x").letter("x").letter("x");
    line.rect(line.here(), BASE + 3, 14, 3, 200).gap(20);
    line.letter("x").letter("x");
    expect(line.check("aaaaa")).toEqual(["FAINT_MARK"]);
    // The same grey right beside a letter is that letter's anti-aliased edge.
    const edge = new Line().letter("x").letter("x").letter("x").letter("x");
    edge.rect(28, BASE - 10, 2, 10, 200);
    expect(edge.check("aaaa")).toEqual([]);
  });
});
