import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { degrees, PDFDocument, PDFName } from "pdf-lib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { UnreadableScanError } from "../../../shared/domain/errors.ts";
import { DEFAULT_LIMITS, decodeScan, pageDpi, sniffFormat } from "../../../shared/extraction/decode.ts";
import type { PageImage } from "../../../shared/extraction/document.ts";
import { BAD_INPUTS, hugePng, manyPagesPdf } from "../../support/bad-inputs.ts";

const scans = fileURLToPath(new URL("../../fixtures/scans/", import.meta.url));
const fixture = (name: string) => new Uint8Array(readFileSync(`${scans}${name}`));

interface GroundTruth {
  variant: { dpi: number; pages: number; format: string; colorMode: string };
}
const truth = (name: string) => JSON.parse(readFileSync(`${scans}${name}`, "utf8")) as GroundTruth;

/** Decoding must throw UnreadableScanError; returns its message. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnreadableScanError);
  const e = error as UnreadableScanError;
  expect(e.name).toBe("UnreadableScanError");
  expect(e.message).not.toContain("\n");
  return e.message;
}

/** Reads a SHORT/LONG value of a tag in the first IFD of a little-endian TIFF. */
function tiffTag(tiff: Buffer, tag: number): number | undefined {
  const ifd = tiff.readUInt32LE(4);
  const count = tiff.readUInt16LE(ifd);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    if (tiff.readUInt16LE(at) === tag) {
      return tiff.readUInt16LE(at + 2) === 3 ? tiff.readUInt16LE(at + 8) : tiff.readUInt32LE(at + 8);
    }
  }
  return undefined;
}

function expectGreyPage(page: PageImage) {
  expect(page.data).toBeInstanceOf(Uint8Array);
  expect(page.data.byteLength).toBe(page.width * page.height);
}

/** Share of pixels darker than 128: a form scan has ink, but is mostly paper. */
function inkShare(page: PageImage): number {
  let dark = 0;
  for (const v of page.data) if (v < 128) dark++;
  return dark / page.data.byteLength;
}

describe("decodeScan: real samples", () => {
  it.each([
    ["sample-01.png", "sample-01.json", 2479, 3508],
    ["sample-08.jpg", "sample-08.json", 1653, 2339],
    ["sample-17.tif", "sample-17.json", 2479, 3508],
    ["sample-12.pdf", "sample-12.json", 2479, 3508],
  ])("%s: page count, size and dpi as recorded", async (file, json, width, height) => {
    const expected = truth(json).variant;
    const pages = await decodeScan(fixture(file), file);
    expect(pages).toHaveLength(expected.pages);
    for (const page of pages) {
      expectGreyPage(page);
      expect(page.width).toBe(width);
      expect(page.height).toBe(height);
      expect(page.dpi).toBe(expected.dpi);
      const ink = inkShare(page);
      expect(ink).toBeGreaterThan(0.005);
      expect(ink).toBeLessThan(0.5);
    }
  });

  it("detects the type by content, not by the file name", async () => {
    const pages = await decodeScan(fixture("sample-01.png"), "scan.pdf");
    expect(pages).toHaveLength(1);
    expect(pages[0]?.width).toBe(2479);
    expect(sniffFormat(fixture("sample-12.pdf"))).toBe("pdf");
    expect(sniffFormat(fixture("sample-17.tif"))).toBe("tiff");
    expect(sniffFormat(fixture("sample-08.jpg"))).toBe("jpeg");
    expect(sniffFormat(new TextEncoder().encode("hello"))).toBeUndefined();
  });

  it("turns a colour JPEG into the same grey as sharp's luminance", async () => {
    const [page] = await decodeScan(fixture("sample-08.jpg"), "sample-08.jpg");
    const reference = await sharp(fixture("sample-08.jpg")).greyscale().raw().toBuffer();
    expect(page?.data.byteLength).toBe(reference.byteLength);
    expect(Buffer.from(page?.data ?? []).equals(reference)).toBe(true);
  });
});

describe("decodeScan: generated good inputs", () => {
  it("decodes a bi-level CCITT G4 TIFF made from a thresholded sample", async () => {
    const thresholded = sharp(fixture("sample-01.png")).threshold(160).toColourspace("b-w");
    const g4 = await thresholded
      .clone()
      .tiff({ compression: "ccittfax4", bitdepth: 1, xres: 300 / 25.4, yres: 300 / 25.4 })
      .toBuffer();
    expect(tiffTag(g4, 259)).toBe(4); // Compression: CCITT T.6 (G4)
    expect(tiffTag(g4, 258)).toBe(1); // BitsPerSample
    const [page, ...rest] = await decodeScan(new Uint8Array(g4), "bilevel.tif");
    expect(rest).toHaveLength(0);
    if (!page) throw new Error("no page");
    expectGreyPage(page);
    expect([page.width, page.height, page.dpi]).toEqual([2479, 3508, 300]);
    // Bi-level in, black and white out, pixel for pixel.
    expect(new Set(page.data)).toEqual(new Set([0, 255]));
    const reference = await thresholded.clone().greyscale().raw().toBuffer();
    expect(Buffer.from(page.data).equals(reference)).toBe(true);
  });

  it("decodes every page of a multi-page 8-bit grey LZW TIFF", async () => {
    const shade = (v: number) =>
      sharp({ create: { width: 240, height: 340, channels: 3, background: { r: v, g: v, b: v } } })
        .greyscale()
        .png()
        .toBuffer();
    const tiff = await sharp([await shade(250), await shade(20), await shade(130)], { join: { animated: true } })
      .greyscale()
      .tiff({ compression: "lzw" })
      .toBuffer();
    const pages = await decodeScan(new Uint8Array(tiff), "multi.tif");
    expect(pages.map((p) => [p.width, p.height])).toEqual([
      [240, 340],
      [240, 340],
      [240, 340],
    ]);
    expect(pages.map((p) => p.data[1000])).toEqual([250, 20, 130]);
    // No density recorded: estimated from an A4 page (240 px over 8.27 in ≈ 29 dpi).
    expect(pages[0]?.dpi).toBe(29);
    expect(await refusal(decodeScan(new Uint8Array(tiff), "multi.tif", { maxPages: 2 }))).toBe(
      "TIFF has 3 pages; at most 2 are read",
    );
  });

  it("decodes a multi-page PDF of embedded JPEGs and applies the page's /Rotate", async () => {
    const jpeg = await sharp(fixture("sample-01.png")).resize(1240, 1754).jpeg({ quality: 80 }).toBuffer();
    const doc = await PDFDocument.create();
    for (let i = 0; i < 3; i++) {
      const image = await doc.embedJpg(jpeg);
      const page = doc.addPage([595.28, 841.89]);
      page.drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
      if (i === 1) page.setRotation(degrees(90));
      if (i === 2) page.setRotation(degrees(180));
    }
    const pages = await decodeScan(await doc.save(), "three.pdf");
    expect(pages.map((p) => [p.width, p.height, p.dpi])).toEqual([
      [1240, 1754, 150],
      [1754, 1240, 150],
      [1240, 1754, 150],
    ]);
    const [upright, quarter, upsideDown] = pages as [PageImage, PageImage, PageImage];
    // 180°: the first pixel row of the upright page is the last, reversed.
    const w = upright.width;
    const lastRow = upsideDown.data.subarray((upright.height - 1) * w, upright.height * w);
    const firstRow = upright.data.subarray(0, w);
    expect(Buffer.from(lastRow).reverse().equals(Buffer.from(firstRow))).toBe(true);
    // 90° clockwise: the upright page's bottom-left corner becomes the top-left.
    expect(quarter.data[0]).toBe(upright.data[(upright.height - 1) * w]);
  });

  it("decodes FlateDecode images in a PDF: raw RGB (pdf-lib PNG embedding) and raw grey", async () => {
    const rgbPng = await sharp({ create: { width: 620, height: 877, channels: 3, background: "#204080" } })
      .png()
      .toBuffer();
    const doc = await PDFDocument.create();
    const rgb = await doc.embedPng(rgbPng);
    doc.addPage([595.28, 841.89]).drawImage(rgb, { x: 0, y: 0, width: 595.28, height: 841.89 });

    const grey = Buffer.alloc(310 * 438);
    for (let i = 0; i < grey.length; i++) grey[i] = i % 310 < 155 ? 40 : 220;
    const stream = doc.context.flateStream(grey, {
      Type: "XObject",
      Subtype: "Image",
      Width: 310,
      Height: 438,
      ColorSpace: "DeviceGray",
      BitsPerComponent: 8,
    });
    const ref = doc.context.register(stream);
    const page2 = doc.addPage([595.28, 841.89]);
    page2.node.setXObject(PDFName.of("Scan1"), ref);
    // The same pixels with /Decode [1 0]: the reader must see the inverted page.
    const inverted = doc.context.flateStream(grey, {
      Type: "XObject",
      Subtype: "Image",
      Width: 310,
      Height: 438,
      ColorSpace: "DeviceGray",
      BitsPerComponent: 8,
      Decode: [1, 0],
    });
    doc.addPage([595.28, 841.89]).node.setXObject(PDFName.of("Scan2"), doc.context.register(inverted));

    const pages = await decodeScan(await doc.save(), "flate.pdf");
    expect(pages.map((p) => [p.width, p.height, p.dpi])).toEqual([
      [620, 877, 75],
      [310, 438, 37],
      [310, 438, 37],
    ]);
    const expectedLuma = (await sharp(rgbPng).greyscale().raw().toBuffer())[0];
    expect(pages[0]?.data[0]).toBe(expectedLuma);
    expect([pages[1]?.data[10], pages[1]?.data[300]]).toEqual([40, 220]);
    expect([pages[2]?.data[10], pages[2]?.data[300]]).toEqual([215, 35]);
  });

  it("decodes a CCITT G4 image in a PDF (wrapped into a TIFF for libtiff)", async () => {
    // A 256-row band: libvips writes it as one G4 strip, which is exactly a PDF CCITTFaxDecode stream.
    const band = sharp(fixture("sample-01.png"))
      .extract({ left: 0, top: 300, width: 2479, height: 256 })
      .threshold(160)
      .toColourspace("b-w");
    const tiff = await band.clone().tiff({ compression: "ccittfax4", bitdepth: 1 }).toBuffer();
    expect(tiffTag(tiff, 278)).toBe(256); // RowsPerStrip: one strip
    expect(tiffTag(tiff, 262)).toBe(1); // BlackIsZero, i.e. PDF's default BlackIs1 false
    const offset = tiffTag(tiff, 273) ?? 0;
    const length = tiffTag(tiff, 279) ?? 0;
    const g4 = tiff.subarray(offset, offset + length);

    const doc = await PDFDocument.create();
    const stream = doc.context.stream(g4, {
      Type: "XObject",
      Subtype: "Image",
      Width: 2479,
      Height: 256,
      ColorSpace: "DeviceGray",
      BitsPerComponent: 1,
      Filter: "CCITTFaxDecode",
      DecodeParms: { K: -1, Columns: 2479, Rows: 256 },
    });
    doc.addPage([595.28, 61.44]).node.setXObject(PDFName.of("Fax"), doc.context.register(stream));
    const [page] = await decodeScan(await doc.save(), "fax.pdf");
    if (!page) throw new Error("no page");
    expect([page.width, page.height, page.dpi]).toEqual([2479, 256, 300]);
    const reference = await band.clone().greyscale().raw().toBuffer();
    expect(inkShare(page)).toBeGreaterThan(0.001);
    expect(Buffer.from(page.data).equals(reference)).toBe(true);
  });

  it("flattens transparency onto white and honours EXIF orientation", async () => {
    const rgba = await sharp({
      create: { width: 50, height: 80, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const [clear] = await decodeScan(new Uint8Array(rgba), "clear.png");
    expect(clear && Math.min(...clear.data)).toBe(255);

    // Recorded 144 dpi is kept (the A4 estimate would say 150); orientation 6 = turn 90° clockwise.
    const rotated = await sharp({ create: { width: 1200, height: 1700, channels: 3, background: "#808080" } })
      .jpeg()
      .withMetadata({ orientation: 6, density: 144 })
      .toBuffer();
    const [page] = await decodeScan(new Uint8Array(rotated), "rotated.jpg");
    expect([page?.width, page?.height, page?.dpi]).toEqual([1700, 1200, 144]);
  });

  it("estimates dpi from an A4 page when none is recorded", () => {
    expect(pageDpi(undefined, 2480, 3508)).toBe(300);
    expect(pageDpi(undefined, 1654, 2339)).toBe(200);
    // 72 "dpi" on a 2480 px wide page would be a 34-inch sheet: not a scan resolution.
    expect(pageDpi(72, 2480, 3508)).toBe(300);
    expect(pageDpi(200, 1654, 2339)).toBe(200);
    expect(pageDpi(600, 2480, 3508)).toBe(600);
  });
});

describe("decodeScan: bad inputs are refused with a clear message", () => {
  it.each(BAD_INPUTS.map((b) => [b.id, b] as const))("%s", async (_id, bad) => {
    const message = await refusal(decodeScan(await bad.make(), bad.fileName));
    expect(message).toMatch(bad.message);
  });

  it("refuses truncated JPEG and TIFF files", async () => {
    const jpg = fixture("sample-08.jpg");
    expect(await refusal(decodeScan(jpg.subarray(0, jpg.byteLength / 2), "cut.jpg"))).toBe(
      "JPEG image data is corrupt or truncated",
    );
    const tif = fixture("sample-17.tif");
    expect(await refusal(decodeScan(tif.subarray(0, tif.byteLength / 2), "cut.tif"))).toMatch(
      /^TIFF (header|image data) is corrupt or truncated$/,
    );
  });

  it("refuses a 20000 × 20000 image from its header, before decoding, and quickly", async () => {
    const bomb = hugePng();
    const started = performance.now();
    const message = await refusal(decodeScan(bomb, "bomb.png"));
    expect(message).toContain("20000 × 20000");
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("applies limits passed by the caller", async () => {
    expect(await refusal(decodeScan(fixture("sample-12.pdf"), "s.pdf", { maxPages: 1 }))).toBe(
      "PDF has 2 pages; at most 1 are read",
    );
    expect(await refusal(decodeScan(fixture("sample-01.png"), "s.png", { maxPixels: 1_000_000 }))).toBe(
      "image is 2479 × 3508 pixels (8.7 Mpx); at most 1 Mpx per page",
    );
    expect(await refusal(decodeScan(fixture("sample-12.pdf"), "s.pdf", { maxPixels: 1_000_000 }))).toBe(
      "page 1: image is 2479 × 3508 pixels (8.7 Mpx); at most 1 Mpx per page",
    );
    expect(await refusal(decodeScan(fixture("sample-01.png"), "s.png", { maxBytes: 100_000 }))).toBe(
      "file is 0.5 MB; at most 0.1 MB is accepted",
    );
    expect(await decodeScan(await manyPagesPdf(3), "blank.pdf", { maxPages: 5 }).catch((e: Error) => e.message)).toBe(
      "page 1 has no scanned image",
    );
  });

  it("enforces the timeout instead of hanging", async () => {
    const started = performance.now();
    const message = await refusal(decodeScan(fixture("sample-12.pdf"), "slow.pdf", { timeoutMs: 5 }));
    expect(message).toBe("decoding took longer than 5 ms; file refused");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("has sensible defaults", () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxBytes: 50 * 1024 * 1024,
      maxPages: 10,
      maxPixels: 40_000_000,
      timeoutMs: 20_000,
    });
  });
});
