// The viewer's image of a page (functions/api/scan-image.ts): a scan stays PNG, a 12-Mpx phone photo, whose PNG is
// 13 MB, comes as JPEG within the 4 MB an API Lambda can answer with; both at the page's own size (the field boxes
// are page pixels), and a mask is black in either.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { scanToImage, VIEWER_MAX_BYTES } from "../../functions/api/scan-image.ts";

const field = fileURLToPath(new URL("../../../shared/forms/field/scans/", import.meta.url));
const fixtures = fileURLToPath(new URL("../fixtures/scans/", import.meta.url));
const stored = (path: string) => ({ bytes: new Uint8Array(readFileSync(path)), metadata: {} });

async function meanInside(bytes: Uint8Array, box: { left: number; top: number; width: number; height: number }) {
  const { data } = await sharp(bytes).extract(box).greyscale().raw().toBuffer({ resolveWithObject: true });
  return data.reduce((a, b) => a + b, 0) / data.length;
}

describe("the viewer's image of a page", () => {
  it("a scan is PNG at its own size", async () => {
    const image = await scanToImage(stored(`${fixtures}sample-01.png`), "sample-01.png");
    expect(image.contentType).toBe("image/png");
    expect(await sharp(image.bytes).metadata()).toMatchObject({ format: "png", width: 2479, height: 3508 });
  });

  it("a phone photo is JPEG within the limit, at its own size, and a mask is black", async () => {
    const mask = { x: 1000, y: 1500, w: 600, h: 200 };
    const image = await scanToImage(stored(`${field}fieldsample-07.jpg`), "fieldsample-07.jpg", [mask]);
    expect(image.contentType).toBe("image/jpeg");
    expect(image.bytes.length).toBeLessThanOrEqual(VIEWER_MAX_BYTES);
    expect(await sharp(image.bytes).metadata()).toMatchObject({ format: "jpeg", width: 3000, height: 4000 });
    expect(await meanInside(image.bytes, { left: 1010, top: 1510, width: 580, height: 180 })).toBeLessThan(10);
  });
});
