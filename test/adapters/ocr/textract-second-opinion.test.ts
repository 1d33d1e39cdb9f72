// Textract as a second opinion to the local reader: asked only for a page with a doubted field, once per page;
// its words are a third reading under the two-reader rules and never overrule a confident local reading alone.
// The rules on their own (thirdReading), then the real reader on real samples with Textract mocked
// (aws-sdk-client-mock) answering with a recorded DetectDocumentText-style response (test/fixtures/textract).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Block, DetectDocumentTextCommand, TextractClient, ThrottlingException } from "@aws-sdk/client-textract";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TextractOcr } from "../../../shared/adapters/aws/textract-ocr.ts";
import { LocalOcr } from "../../../shared/adapters/local/local-ocr.ts";
import { ocrFromEnv, SecondOpinionOcr } from "../../../shared/composition/ocr.ts";
import { parseEnv } from "../../../shared/config/env.ts";
import type { FieldReading } from "../../../shared/domain/forms.ts";
import { decodeScan } from "../../../shared/extraction/decode.ts";
import { type ReadResult, readScan } from "../../../shared/extraction/reader.ts";
import { DOUBT_BELOW, doubtedFields, thirdReading } from "../../../shared/extraction/second-opinion.ts";
import type { FieldDef } from "../../../shared/extraction/templates.ts";

const fixtures = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const recorded = JSON.parse(readFileSync(`${fixtures}textract/test-response.json`, "utf8")) as { Blocks: Block[] };

const def = (name: string, type: FieldDef["type"] = "text"): FieldDef => ({
  name,
  type,
  label: name,
  box: { x: 0, y: 0, w: 10, h: 10 },
});

describe("thirdReading: Textract's words as a third reading", () => {
  const doubtful: FieldReading = { value: "Hägglund-BergJund", confidence: 0.45, alternatives: ["Hagglund-Berglund"] };

  it("never touches a confident local reading", () => {
    const sure: FieldReading = { value: "Anna", confidence: 0.93 };
    expect(thirdReading(def("citizen.givenName"), sure, "Hanna")).toBe(sure);
    expect(thirdReading(def("citizen.givenName"), { ...sure, confidence: DOUBT_BELOW }, "Hanna").value).toBe("Anna");
  });

  it("agreeing with the local value makes it confident (two readers agree)", () => {
    const r = thirdReading(
      def("requester.caregiver"),
      { value: "Psykiatripartner AB", confidence: 0.45 },
      "Psykiatripartner AB",
    );
    expect(r).toMatchObject({ value: "Psykiatripartner AB", confidence: 0.9 });
  });

  it("agreeing with the other local reader's reading takes it (two of three), keeping the outvoted one", () => {
    const r = thirdReading(def("child.surname"), doubtful, "Hägglund-Berglund");
    expect(r.value).toBe("Hagglund-Berglund");
    expect(r.confidence).toBe(0.9);
    expect(r.alternatives).toEqual(["Hägglund-BergJund"]);
  });

  it("disagreeing with both changes neither value nor confidence; on a list-checked field it is one more reading", () => {
    const r = thirdReading(def("child.surname"), doubtful, "Hogglund");
    expect(r.value).toBe(doubtful.value);
    expect(r.confidence).toBe(doubtful.confidence);
    expect(r.alternatives).toEqual(["Hagglund-Berglund", "Hogglund"]);
    const email: FieldReading = { value: "siv.wallin@p.sykiatripartner.se", confidence: 0.36 };
    expect(thirdReading(def("requester.email"), email, "siv.wallin@psykiatripartner.se")).toEqual(email);
  });

  it("compares a personnummer by its digits and an address after repair", () => {
    const pnr: FieldReading = { value: "19640823-3234", confidence: 0.3 };
    expect(thirdReading(def("citizen.personnummer", "personnummer"), pnr, "196408233234").confidence).toBe(0.9);
    const email: FieldReading = { value: "anna@example.se", confidence: 0.4 };
    expect(thirdReading(def("requester.email"), email, "Anna@example.se").confidence).toBe(0.9);
  });

  it("doubted fields are written values below the doubt line, not ticks or signatures", () => {
    const template = { fields: [def("a"), def("b", "checkbox"), def("c", "personnummer"), def("d")] };
    const fields: Record<string, FieldReading> = {
      a: { value: "x", confidence: 0.2 },
      b: { value: false, confidence: 0.1 },
      c: { value: "1", confidence: 0.4 },
      d: { value: "y", confidence: 0.8 },
    };
    expect(doubtedFields(template, fields).map((f) => f.name)).toEqual(["a", "c"]);
  });
});

describe("the local reader with Textract as second opinion (Textract mocked, real reader)", () => {
  const textract = mockClient(TextractClient);
  const local = new LocalOcr({ workers: 1 });
  const ocr = new SecondOpinionOcr(local, new TextractOcr(new TextractClient({ region: "eu-north-1" })));
  const scan = (file: string) => readFileSync(`${fixtures}scans/${file}`);
  let alone: ReadResult;

  beforeAll(async () => {
    alone = await readScan({ bytes: scan("sample-09.png"), fileName: "sample-09.png" }, { ocr: local });
  }, 120_000);
  beforeEach(() => textract.reset());
  afterAll(async () => {
    textract.restore();
    await local.close();
  });

  /** The recorded response, with Textract's words for some fields placed in their boxes (the others removed). */
  async function responseWith(words: Record<string, string>): Promise<{ Blocks: Block[] }> {
    const [page] = await decodeScan(scan("sample-09.png"), "sample-09.png");
    if (!page) throw new Error("no page");
    const boxes = Object.entries(words).map(([name, text]) => {
      const b = alone.form.fields[name]?.box;
      if (!b) throw new Error(`${name}: no box`);
      return { text, b };
    });
    const inside = (x: number, y: number) =>
      boxes.some(({ b }) => x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h);
    const kept = recorded.Blocks.filter((blk) => {
      const bb = blk.Geometry?.BoundingBox;
      if (blk.BlockType !== "WORD" || !bb) return true;
      return !inside(
        ((bb.Left ?? 0) + (bb.Width ?? 0) / 2) * page.width,
        ((bb.Top ?? 0) + (bb.Height ?? 0) / 2) * page.height,
      );
    });
    const placed: Block[] = boxes.map(({ text, b }, i) => {
      // In the value part of the box (below the printed label), as Textract reports a word: page ratios.
      const Left = (b.x + b.w * 0.05) / page.width;
      const Top = (b.y + b.h * 0.6) / page.height;
      const Width = (b.w * 0.8) / page.width;
      const Height = (b.h * 0.3) / page.height;
      const Polygon = [
        { X: Left, Y: Top },
        { X: Left + Width, Y: Top },
        { X: Left + Width, Y: Top + Height },
        { X: Left, Y: Top + Height },
      ];
      return {
        BlockType: "WORD",
        Id: `placed-${i}`,
        Text: text,
        Confidence: 99,
        Geometry: { BoundingBox: { Left, Top, Width, Height }, Polygon },
      };
    });
    return { Blocks: [...kept, ...placed] };
  }

  it("a page the local reader is sure of is never sent to Textract", async () => {
    textract.on(DetectDocumentTextCommand).resolves(recorded);
    const r = await readScan({ bytes: scan("sample-01.png"), fileName: "sample-01.png" }, { ocr });
    expect(textract.commandCalls(DetectDocumentTextCommand)).toHaveLength(0);
    expect(r.form.formCode).toBe("1177-EGEN");
  }, 60_000);

  it("a page with doubted fields is sent once; Textract's words are a third reading, never an overrule", async () => {
    const doubted = Object.entries(alone.form.fields)
      .filter(([, f]) => typeof f.value === "string" && f.confidence < DOUBT_BELOW)
      .map(([k]) => k);
    expect(doubted).toEqual(expect.arrayContaining(["child.surname", "requester.caregiver", "requester.email"]));
    const caregiver = String(alone.form.fields["requester.caregiver"]?.value);
    textract.on(DetectDocumentTextCommand).resolves(
      await responseWith({
        "child.surname": "Hägglund-Berglund",
        "requester.caregiver": caregiver,
        "requester.email": "siv.wallin@psykiatripartner.se",
      }),
    );
    const r = await readScan({ bytes: scan("sample-09.png"), fileName: "sample-09.png" }, { ocr });
    expect(textract.commandCalls(DetectDocumentTextCommand)).toHaveLength(1);
    const f = r.form.fields;
    // Agrees with the local value: confident now.
    expect(f["requester.caregiver"]).toMatchObject({ value: caregiver, confidence: 0.9 });
    // Disagrees with both local readings: the local value stays, as doubtful; the name travels as another reading.
    expect(f["child.surname"]?.value).toBe(alone.form.fields["child.surname"]?.value);
    expect(f["child.surname"]?.confidence).toBe(alone.form.fields["child.surname"]?.confidence);
    expect(f["child.surname"]?.alternatives).toContain("Hägglund-Berglund");
    expect(f["requester.email"]).toEqual(alone.form.fields["requester.email"]);
    // Every field the local reader was sure of is exactly as it read it.
    for (const [name, field] of Object.entries(alone.form.fields)) {
      if (field.confidence >= DOUBT_BELOW) expect(f[name], name).toEqual(field);
    }
  }, 60_000);

  it("a failing Textract changes nothing and leaves a warning", async () => {
    textract.on(DetectDocumentTextCommand).rejects(new ThrottlingException({ message: "slow down", $metadata: {} }));
    const r = await readScan({ bytes: scan("sample-09.png"), fileName: "sample-09.png" }, { ocr });
    expect(textract.commandCalls(DetectDocumentTextCommand)).toHaveLength(1);
    expect(r.form.fields).toEqual(alone.form.fields);
    expect(r.form.warnings.join(" ")).toMatch(/second opinion unavailable \(OcrThrottledError\)/);
  }, 60_000);
});

describe("ocrFromEnv: the engine ReadForm gets", () => {
  const base = { CASES_TABLE: "c", AWS_REGION: "eu-north-1", LOCKDESK_OCR_WORKERS: "1" };

  it("the local reader by default; with TEXTRACT_SECOND_OPINION=1 it asks Textract; textract alone on request", async () => {
    const plain = await ocrFromEnv(parseEnv(base));
    const second = await ocrFromEnv(parseEnv({ ...base, TEXTRACT_SECOND_OPINION: "1" }));
    const alone = await ocrFromEnv(parseEnv({ ...base, OCR_ENGINE: "textract" }));
    try {
      expect(plain.name).toBe("tesseract+ppocr");
      expect(plain.secondOpinion).toBeUndefined();
      expect(second).toBeInstanceOf(SecondOpinionOcr);
      expect(typeof second.secondOpinion).toBe("function");
      expect(typeof second.readHandwriting).toBe("function");
      expect(alone).toBeInstanceOf(TextractOcr);
    } finally {
      await Promise.all([plain.close(), second.close(), alone.close()]);
    }
  }, 60_000);
});
