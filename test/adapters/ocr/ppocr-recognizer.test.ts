// The PP-OCR handwriting reader for real (onnxruntime, the packaged model) on the hand-written dev sample: fields
// cut from the scan as the reader cuts them, judged against the sample's ground truth through the same folding
// and OCR-noise rules the decision uses (the reader is not expected to spell every letter right).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalOcr } from "../../../shared/adapters/local/local-ocr.ts";
import { PpOcrRecognizer } from "../../../shared/adapters/local/ppocr-recognizer.ts";
import { matchName } from "../../../shared/domain/names.ts";
import { fold, ocrDistance, snapToVocabulary } from "../../../shared/domain/vocabulary.ts";
import { handwritingCharset } from "../../../shared/extraction/fields.ts";
import { combDigits, fieldWriting, type LocatedScan, locate, SCANS } from "../../support/scan-surgery.ts";

const truth = JSON.parse(readFileSync(`${SCANS}sample-09.json`, "utf8")) as { fields: Record<string, string> };
const reader = new PpOcrRecognizer();
let scan: LocatedScan;

beforeAll(async () => {
  scan = await locate("sample-09.png");
}, 60_000);
afterAll(() => reader.close());

describe("PpOcrRecognizer on hand-written fields", () => {
  it("reads the surname close enough to match the registry's (and not the guardian's)", async () => {
    const r = await reader.readLine(fieldWriting(scan, "child.surname"), handwritingCharset("child.surname"));
    const given = truth.fields["child.givenName"] as string;
    expect(
      matchName({ given, surname: r.text }, { givenNames: [given], surname: truth.fields["child.surname"] as string }),
    ).toMatchObject({ match: true });
    expect(matchName({ given, surname: r.text }, { givenNames: [given], surname: "Hägglund-Lundin" }).match).toBe(
      false,
    );
    expect(r.confidence).toBeGreaterThan(0.5);
    expect(r.weakest).toBeLessThanOrEqual(r.confidence);
  });

  it("reads the caregiver so that it snaps to the approved name, and nothing else", async () => {
    const r = await reader.readLine(
      fieldWriting(scan, "requester.caregiver"),
      handwritingCharset("requester.caregiver"),
    );
    const vocabulary = ["Västra Götalandsregionen", "Psykiatripartner Göteborg AB", "Psykiatripartner Borås AB"];
    expect(snapToVocabulary(r.text, vocabulary).value).toBe(truth.fields["requester.caregiver"]);
  });

  it("reads the VGR-ID, the date and the phone number within a character or two", async () => {
    for (const f of ["requester.vgrId", "requester.date", "requester.phone"]) {
      const r = await reader.readLine(fieldWriting(scan, f), handwritingCharset(f));
      const want = fold(truth.fields[f] as string).replace(/ /g, "");
      expect(ocrDistance(fold(r.text).replace(/ /g, ""), want), `${f}: ${r.text}`).toBeLessThanOrEqual(2);
    }
  });

  it("keeps to the charset it is given", async () => {
    const r = await reader.readLine(fieldWriting(scan, "child.surname"), "0123456789");
    expect(r.text).toMatch(/^[0-9 ]*$/);
  });

  it("gives a blank line no text and no confidence", async () => {
    const blank = { width: 300, height: 60, dpi: 300, data: new Uint8Array(300 * 60).fill(255) };
    expect(await reader.readLine(blank)).toEqual({ text: "", confidence: 0, weakest: 0 });
  });

  it("scores hand-written comb digits: most cells right on their own, the rest left to the check digit", async () => {
    for (const f of ["child.personnummer", "guardian1.personnummer", "guardian2.personnummer"]) {
      const cells = combDigits(scan, f);
      const scores = await reader.digitScores(cells);
      expect(scores).toHaveLength(cells.length);
      const read = scores.map((s) => (s ? s.indexOf(Math.max(...s)) : -1)).join("");
      const want = truth.fields[f] as string;
      const right = [...want].filter((d, i) => read[i] === d).length;
      expect(right, `${f}: ${read}`).toBeGreaterThanOrEqual(10);
      for (const s of scores) if (s) expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it("scores an empty cell as null", async () => {
    const blank = { width: 40, height: 50, dpi: 300, data: new Uint8Array(40 * 50).fill(255) };
    expect(await reader.digitScores([blank])).toEqual([null]);
    expect(await reader.digitScores([])).toEqual([]);
  });
});

describe("LocalOcr", () => {
  it("offers the handwriting reader beside tesseract (Textract needs none: it reads both)", async () => {
    const ocr = new LocalOcr({ workers: 1 });
    try {
      const r = await ocr.readHandwriting(fieldWriting(scan, "requester.name"), handwritingCharset("requester.name"));
      expect(fold(r.text)).toBe(fold(truth.fields["requester.name"] as string));
    } finally {
      await ocr.close();
    }
  });
});
