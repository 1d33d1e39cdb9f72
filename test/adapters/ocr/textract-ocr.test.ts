import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  AccessDeniedException,
  BadDocumentException,
  type Block,
  DetectDocumentTextCommand,
  InvalidParameterException,
  ProvisionedThroughputExceededException,
  TextractClient,
  ThrottlingException,
  UnsupportedDocumentException,
} from "@aws-sdk/client-textract";
import { mockClient } from "aws-sdk-client-mock";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { encodeForTextract, mapTextractBlocks, TextractOcr } from "../../../shared/adapters/aws/textract-ocr.ts";
import { OcrThrottledError, UnreadableScanError } from "../../../shared/domain/errors.ts";
import { decodeScan } from "../../../shared/extraction/decode.ts";
import type { Line, OcrPage, PageImage } from "../../../shared/extraction/document.ts";

const dir = fileURLToPath(new URL("../../fixtures/", import.meta.url));

interface Recorded {
  Blocks: Block[];
  DocumentMetadata: { Pages: number };
}
const recorded = (name: string) => JSON.parse(readFileSync(`${dir}textract/${name}.json`, "utf8")) as Recorded;

/** WORD/LINE counts from test/fixtures/textract/README.md. */
const RESPONSES = [
  { file: "test-response", words: 71, lines: 31 },
  { file: "employment-application", words: 63, lines: 28 },
  { file: "gib__10_degrees", words: 135, lines: 67 },
  { file: "gib__90_degrees", words: 132, lines: 65 },
  { file: "gib__180_degrees", words: 136, lines: 67 },
] as const;

/** A small grey page: the mapping only needs its size, the encoder its pixels. */
function page(width: number, height: number, fill = 255): PageImage {
  return { width, height, dpi: 300, data: new Uint8Array(width * height).fill(fill) };
}

/** Reading direction of a multi-word line in degrees: first word's centre to last word's centre. */
function direction(line: Line): number {
  const a = line.words[0]?.box;
  const b = line.words[line.words.length - 1]?.box;
  if (!a || !b) throw new Error("line without words");
  return (Math.atan2(b.y + b.h / 2 - (a.y + a.h / 2), b.x + b.w / 2 - (a.x + a.w / 2)) * 180) / Math.PI;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function multiWordLines(p: OcrPage): Line[] {
  return p.lines.filter((l) => l.words.length >= 2);
}

const textract = mockClient(TextractClient);
afterEach(() => textract.reset());

describe("mapTextractBlocks on recorded Textract responses", () => {
  it.each(RESPONSES)("$file: $words words and $lines lines, other block types ignored", ({ file, words, lines }) => {
    const blocks = recorded(file).Blocks;
    // AnalyzeDocument output: CELL and KEY_VALUE_SET blocks also point at WORDs; they must not add any.
    expect(blocks.filter((b) => b.BlockType === "CELL" || b.BlockType === "KEY_VALUE_SET").length).toBeGreaterThan(0);
    const p = mapTextractBlocks(blocks, 2480, 3508);
    expect(p.words).toHaveLength(words);
    expect(p.lines).toHaveLength(lines);
    expect([p.width, p.height]).toEqual([2480, 3508]);

    for (const item of [...p.words, ...p.lines]) {
      expect(item.confidence).toBeGreaterThanOrEqual(0);
      expect(item.confidence).toBeLessThanOrEqual(1);
      expect(item.box.x).toBeGreaterThanOrEqual(0);
      expect(item.box.y).toBeGreaterThanOrEqual(0);
      expect(item.box.w).toBeGreaterThan(0);
      expect(item.box.h).toBeGreaterThan(0);
      expect(item.box.x + item.box.w).toBeLessThanOrEqual(2480 + 1e-6);
      expect(item.box.y + item.box.h).toBeLessThanOrEqual(3508 + 1e-6);
    }
    // Each line's words come from its CHILD relationships, in order, and spell the line.
    for (const line of p.lines) {
      expect(line.words.length).toBeGreaterThan(0);
      expect(line.words.map((w) => w.text).join(" ")).toBe(line.text);
      for (const w of line.words) {
        expect(p.words).toContain(w);
        expect(w.box.x).toBeGreaterThanOrEqual(line.box.x - 1);
        expect(w.box.y).toBeGreaterThanOrEqual(line.box.y - 1);
        expect(w.box.x + w.box.w).toBeLessThanOrEqual(line.box.x + line.box.w + 1);
        expect(w.box.y + w.box.h).toBeLessThanOrEqual(line.box.y + line.box.h + 1);
      }
    }
    // Confidence is Textract's percentage / 100.
    const firstWord = blocks.find((b) => b.BlockType === "WORD");
    expect(p.words[0]?.confidence).toBeCloseTo((firstWord?.Confidence ?? -1) / 100, 10);
  });

  it("an upright page: boxes equal Textract's bounding boxes in pixels, lines read left to right", () => {
    const blocks = recorded("employment-application").Blocks;
    const p = mapTextractBlocks(blocks, 1700, 2200);
    const firstWord = blocks.find((b) => b.BlockType === "WORD");
    const bb = firstWord?.Geometry?.BoundingBox;
    expect(p.words[0]?.text).toBe(firstWord?.Text);
    expect(p.words[0]?.box.x).toBeCloseTo((bb?.Left ?? 0) * 1700, 0);
    expect(p.words[0]?.box.y).toBeCloseTo((bb?.Top ?? 0) * 2200, 0);
    expect(p.words[0]?.box.w).toBeCloseTo((bb?.Width ?? 0) * 1700, 0);
    expect(p.words[0]?.box.h).toBeCloseTo((bb?.Height ?? 0) * 2200, 0);
    const dirs = multiWordLines(p).map(direction);
    expect(dirs.every((d) => Math.abs(d) < 5)).toBe(true);
  });

  it("a page rotated 10°: lines slope by several degrees and their boxes enclose the tilted words", () => {
    const p = mapTextractBlocks(recorded("gib__10_degrees").Blocks, 1000, 1000);
    const slope = median(multiWordLines(p).map(direction));
    expect(slope).toBeGreaterThan(3);
    expect(slope).toBeLessThan(15);
    // An axis-aligned box around a tilted line must rise with it: clearly taller than its tallest word
    // (on an upright page the two are the same height).
    const growth = (p2: OcrPage) =>
      median(multiWordLines(p2).map((l) => l.box.h / Math.max(...l.words.map((w) => w.box.h))));
    expect(growth(p)).toBeGreaterThan(1.2);
    expect(growth(mapTextractBlocks(recorded("employment-application").Blocks, 1000, 1000))).toBeLessThan(1.05);
  });

  it("a page rotated 90°: text lines are tall, narrow boxes that read top to bottom", () => {
    const p = mapTextractBlocks(recorded("gib__90_degrees").Blocks, 1000, 1000);
    const textLines = p.lines.filter((l) => l.text.length >= 8);
    expect(textLines.length).toBeGreaterThan(30);
    expect(textLines.every((l) => l.box.h > l.box.w)).toBe(true);
    expect(Math.abs(median(multiWordLines(p).map(direction)) - 90)).toBeLessThan(5);
  });

  it("a page upside down (180°): wide line boxes whose words run right to left", () => {
    const p = mapTextractBlocks(recorded("gib__180_degrees").Blocks, 1000, 1000);
    const textLines = p.lines.filter((l) => l.text.length >= 8);
    expect(textLines.every((l) => l.box.w > l.box.h)).toBe(true);
    const dirs = multiWordLines(p).map(direction);
    expect(dirs.length).toBeGreaterThan(30);
    expect(dirs.every((d) => Math.abs(Math.abs(d) - 180) < 5)).toBe(true);
  });

  it("clamps polygons that poke outside the page and falls back to the bounding box", () => {
    const blocks: Block[] = [
      {
        BlockType: "WORD",
        Id: "w1",
        Text: "kant",
        Confidence: 101,
        Geometry: {
          Polygon: [
            { X: 0.95, Y: -0.01 },
            { X: 1.02, Y: 0 },
            { X: 1.01, Y: 0.05 },
            { X: 0.94, Y: 0.04 },
          ],
        },
      },
      {
        BlockType: "WORD",
        Id: "w2",
        Text: "bb",
        Geometry: { BoundingBox: { Left: 0.1, Top: 0.2, Width: 0.1, Height: 0.05 } },
      },
      { BlockType: "WORD", Id: "w3", Text: "ingen geometri" },
      { BlockType: "SELECTION_ELEMENT", Id: "s1", SelectionStatus: "SELECTED" },
      {
        BlockType: "LINE",
        Id: "l1",
        Text: "kant bb",
        Confidence: 50,
        Geometry: { BoundingBox: { Left: 0, Top: 0, Width: 1, Height: 0.3 } },
        Relationships: [{ Type: "CHILD", Ids: ["w1", "w2", "s1", "missing"] }],
      },
    ];
    const p = mapTextractBlocks(blocks, 200, 100);
    expect(p.words.map((w) => w.text)).toEqual(["kant", "bb"]);
    const [edge, fallback] = p.words;
    expect(edge?.box).toEqual({ x: 188, y: 0, w: 12, h: 5 });
    expect(edge?.confidence).toBe(1);
    expect(fallback?.box.x).toBeCloseTo(20, 6);
    expect(fallback?.box.y).toBeCloseTo(20, 6);
    expect(fallback?.box.w).toBeCloseTo(20, 6);
    expect(fallback?.box.h).toBeCloseTo(5, 6);
    expect(fallback?.confidence).toBe(0);
    expect(p.lines[0]?.words.map((w) => w.text)).toEqual(["kant", "bb"]);
    expect(p.lines[0]?.confidence).toBe(0.5);
  });
});

describe("TextractOcr", () => {
  it("calls DetectDocumentText with a PNG of the page and maps the answer into its pixels", async () => {
    const response = recorded("employment-application");
    textract.on(DetectDocumentTextCommand).resolves(response);
    const ocr = new TextractOcr(new TextractClient({ region: "eu-north-1" }));
    expect(ocr.name).toBe("textract");

    const image = page(620, 877, 230);
    const result = await ocr.recognize(image);
    expect(result).toEqual(mapTextractBlocks(response.Blocks, 620, 877));
    expect(result.words).toHaveLength(63);

    const calls = textract.commandCalls(DetectDocumentTextCommand);
    expect(calls).toHaveLength(1);
    const sent = calls[0]?.args[0].input.Document?.Bytes;
    if (!sent) throw new Error("no bytes sent");
    expect(Array.from(sent.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const meta = await sharp(sent).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([620, 877, 1]);
    await ocr.close();
  });

  it("keeps only the charset's characters when asked (digits in comb cells)", async () => {
    const blocks: Block[] = [
      { BlockType: "WORD", Id: "a", Text: "19640823-3234", Confidence: 90, Geometry: box(0.1, 0.1) },
      { BlockType: "WORD", Id: "b", Text: "Tolvan", Confidence: 80, Geometry: box(0.3, 0.1) },
      { BlockType: "WORD", Id: "c", Text: "O7", Confidence: 70, Geometry: box(0.5, 0.1) },
      {
        BlockType: "LINE",
        Id: "l",
        Text: "19640823-3234 Tolvan O7",
        Confidence: 80,
        Geometry: box(0.1, 0.1, 0.5),
        Relationships: [{ Type: "CHILD", Ids: ["a", "b", "c"] }],
      },
    ];
    textract.on(DetectDocumentTextCommand).resolves({ Blocks: blocks });
    const ocr = new TextractOcr(new TextractClient({ region: "eu-north-1" }));
    const result = await ocr.recognize(page(100, 100), { charset: "0123456789" });
    expect(result.words.map((w) => w.text)).toEqual(["196408233234", "7"]);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]?.text).toBe("196408233234 7");
    expect(result.lines[0]?.words).toEqual(result.words);
  });

  it("sends a JPEG, scaled down if needed, when the PNG is over the byte budget", async () => {
    const [scan] = await decodeScan(new Uint8Array(readFileSync(`${dir}scans/sample-01.png`)), "sample-01.png");
    if (!scan) throw new Error("no page");
    const budget = 150_000;
    textract.on(DetectDocumentTextCommand).resolves(recorded("test-response"));
    const ocr = new TextractOcr(new TextractClient({ region: "eu-north-1" }), { maxBytes: budget });
    const result = await ocr.recognize(scan);
    // Coordinates are relative: they still land in the original image's pixels.
    expect([result.width, result.height]).toEqual([scan.width, scan.height]);
    expect(result.words.every((w) => w.box.x + w.box.w <= scan.width + 1e-6)).toBe(true);
    const sent = textract.commandCalls(DetectDocumentTextCommand)[0]?.args[0].input.Document?.Bytes;
    if (!sent) throw new Error("no bytes sent");
    expect(sent.byteLength).toBeLessThanOrEqual(budget);
    expect(Array.from(sent.subarray(0, 3))).toEqual([0xff, 0xd8, 0xff]);
    const png = await encodeForTextract(scan);
    expect(Array.from(png.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it.each([
    ["ThrottlingException", () => new ThrottlingException({ $metadata: {}, message: "Rate exceeded" })],
    [
      "ProvisionedThroughputExceededException",
      () => new ProvisionedThroughputExceededException({ $metadata: {}, message: "Slow down" }),
    ],
  ])("%s → OcrThrottledError (retried by the state machine)", async (name, make) => {
    textract.on(DetectDocumentTextCommand).rejects(make());
    const ocr = new TextractOcr(new TextractClient({ region: "eu-north-1" }));
    const error = await ocr.recognize(page(50, 50)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OcrThrottledError);
    expect((error as Error).name).toBe("OcrThrottledError");
    expect((error as Error).message).toContain(name);
  });

  it.each([
    ["InvalidParameterException", () => new InvalidParameterException({ $metadata: {}, message: "bad" })],
    ["UnsupportedDocumentException", () => new UnsupportedDocumentException({ $metadata: {}, message: "format" })],
    ["BadDocumentException", () => new BadDocumentException({ $metadata: {}, message: "corrupt" })],
  ])("%s → UnreadableScanError (final)", async (name, make) => {
    textract.on(DetectDocumentTextCommand).rejects(make());
    const ocr = new TextractOcr(new TextractClient({ region: "eu-north-1" }));
    const error = await ocr.recognize(page(50, 50)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableScanError);
    expect((error as Error).message).toBe(`Textract refused the page image (${name})`);
  });

  it("lets other failures through unchanged (e.g. missing permissions)", async () => {
    const denied = new AccessDeniedException({ $metadata: {}, message: "not allowed" });
    textract.on(DetectDocumentTextCommand).rejects(denied);
    const ocr = new TextractOcr(new TextractClient({ region: "eu-north-1" }));
    const error = await ocr.recognize(page(50, 50)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessDeniedException);
  });

  it("refuses a page image whose pixels do not match its size", async () => {
    const ocr = new TextractOcr(new TextractClient({ region: "eu-north-1" }));
    const broken: PageImage = { width: 10, height: 10, dpi: 300, data: new Uint8Array(50) };
    await expect(ocr.recognize(broken)).rejects.toBeInstanceOf(UnreadableScanError);
    expect(textract.commandCalls(DetectDocumentTextCommand)).toHaveLength(0);
  });
});

function box(left: number, top: number, width = 0.15): NonNullable<Block["Geometry"]> {
  const h = 0.05;
  return {
    BoundingBox: { Left: left, Top: top, Width: width, Height: h },
    Polygon: [
      { X: left, Y: top },
      { X: left + width, Y: top },
      { X: left + width, Y: top + h },
      { X: left, Y: top + h },
    ],
  };
}
