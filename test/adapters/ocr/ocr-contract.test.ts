// The Ocr contract run against both adapters: tesseract.js for real, Textract through a mocked client that answers
// with a Textract-shaped DetectDocumentText response for the same image.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Block, DetectDocumentTextCommand, TextractClient } from "@aws-sdk/client-textract";
import { mockClient } from "aws-sdk-client-mock";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { TextractOcr } from "../../../shared/adapters/aws/textract-ocr.ts";
import { LocalOcr } from "../../../shared/adapters/local/local-ocr.ts";
import { TesseractOcr } from "../../../shared/adapters/local/tesseract-ocr.ts";
import type { PageImage } from "../../../shared/extraction/document.ts";
import { ocrContract } from "./ocr.contract.ts";

const scan = fileURLToPath(new URL("../../fixtures/scans/sample-01.png", import.meta.url));

/** The letterhead of a real sample: "Västra Götalandsregionen / Spärr- och loggservice 1177". */
async function letterhead(): Promise<PageImage> {
  const { data, info } = await sharp(readFileSync(scan))
    .extract({ left: 360, top: 100, width: 760, height: 140 })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, dpi: 300, data: new Uint8Array(data) };
}

const EXPECT = ["Götalandsregionen", "loggservice"];

describe("TesseractOcr", () => {
  ocrContract("tesseract", async () => new TesseractOcr({ workers: 1 }), {
    image: letterhead,
    expectWords: EXPECT,
    expectDigits: "1177",
  });

  it("closed with work under way: the job on the worker finishes, the queued ones are refused, nothing hangs", async () => {
    const ocr = new TesseractOcr({ workers: 1 });
    const image = await letterhead();
    const first = await ocr.recognize(image); // the worker is up
    expect(first.words.length).toBeGreaterThan(0);
    const settled = Promise.allSettled([ocr.recognize(image), ocr.recognize(image)]);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first is on the worker, the second waits
    await ocr.close();
    const [a, b] = await settled;
    expect(a.status).toBe("fulfilled");
    expect(b).toMatchObject({ status: "rejected", reason: { message: "TesseractOcr is closed" } });
    await expect(ocr.recognize(image)).rejects.toThrow("TesseractOcr is closed");
  }, 60_000);
});

describe("LocalOcr (tesseract for print, PP-OCR for handwriting)", () => {
  ocrContract("tesseract+ppocr", async () => new LocalOcr({ workers: 1 }), {
    image: letterhead,
    expectWords: EXPECT,
    expectDigits: "1177",
  });
});

/** What Textract returns for the letterhead: LINE blocks with WORD children, geometry relative to the page. */
function textractAnswer(): Block[] {
  const words = [
    { id: "w1", text: "Västra", box: [0.02, 0.1, 0.2, 0.3] },
    { id: "w2", text: "Götalandsregionen", box: [0.24, 0.1, 0.45, 0.3] },
    { id: "w3", text: "Spärr-", box: [0.02, 0.6, 0.1, 0.2] },
    { id: "w4", text: "och", box: [0.13, 0.6, 0.05, 0.2] },
    { id: "w5", text: "loggservice", box: [0.19, 0.6, 0.18, 0.2] },
    { id: "w6", text: "1177", box: [0.39, 0.6, 0.07, 0.2] },
  ];
  const geometry = ([l, t, w, h]: number[]) => ({
    BoundingBox: { Left: l, Top: t, Width: w, Height: h },
    Polygon: [
      { X: l, Y: t },
      { X: (l ?? 0) + (w ?? 0), Y: t },
      { X: (l ?? 0) + (w ?? 0), Y: (t ?? 0) + (h ?? 0) },
      { X: l, Y: (t ?? 0) + (h ?? 0) },
    ],
  });
  const wordBlocks: Block[] = words.map((w) => ({
    BlockType: "WORD",
    Id: w.id,
    Text: w.text,
    Confidence: 98.5,
    Geometry: geometry(w.box),
  }));
  return [
    {
      BlockType: "PAGE",
      Id: "p",
      Geometry: geometry([0, 0, 1, 1]),
      Relationships: [{ Type: "CHILD", Ids: ["l1", "l2"] }],
    },
    {
      BlockType: "LINE",
      Id: "l1",
      Text: "Västra Götalandsregionen",
      Confidence: 98.5,
      Geometry: geometry([0.02, 0.1, 0.67, 0.3]),
      Relationships: [{ Type: "CHILD", Ids: ["w1", "w2"] }],
    },
    {
      BlockType: "LINE",
      Id: "l2",
      Text: "Spärr- och loggservice 1177",
      Confidence: 98.5,
      Geometry: geometry([0.02, 0.6, 0.44, 0.2]),
      Relationships: [{ Type: "CHILD", Ids: ["w3", "w4", "w5", "w6"] }],
    },
    ...wordBlocks,
  ];
}

describe("TextractOcr", () => {
  const textract = mockClient(TextractClient);
  textract.on(DetectDocumentTextCommand).resolves({ Blocks: textractAnswer(), DocumentMetadata: { Pages: 1 } });
  afterAll(() => textract.restore());
  ocrContract("textract", async () => new TextractOcr(new TextractClient({ region: "eu-north-1" })), {
    image: letterhead,
    expectWords: EXPECT,
    expectDigits: "1177",
  });
});
