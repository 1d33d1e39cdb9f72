// The OCR engine is chosen once per page: an engine billed per page (Textract) is asked for the page once and every
// field takes the words inside its box; any other engine gets the crop reader and no whole-page call.
import { describe, expect, it } from "vitest";
import type { OcrPage, PageImage } from "../../../shared/extraction/document.ts";
import { fieldTextReaderFor } from "../../../shared/extraction/field-text.ts";
import { cropReader } from "../../../shared/extraction/fields.ts";
import type { Homography } from "../../../shared/extraction/homography.ts";
import type { Registration } from "../../../shared/extraction/register.ts";
import type { FieldDef } from "../../../shared/extraction/templates.ts";
import type { Ocr } from "../../../shared/ports/ocr.ts";

const PAGE: PageImage = { width: 100, height: 100, dpi: 300, data: new Uint8Array(100 * 100).fill(255) };
/** Template millimetres are scan pixels here (identity map). */
const IDENTITY: Homography = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const REG = { map: IDENTITY } as unknown as Registration;

function word(text: string, x: number, y: number, confidence = 0.9) {
  return { text, confidence, box: { x, y, w: 4, h: 4 } };
}

function engine(readsWholePages: boolean, words: OcrPage["words"]): Ocr & { calls: number } {
  const ocr = {
    name: readsWholePages ? "per-page" : "per-crop",
    readsWholePages,
    calls: 0,
    async recognize() {
      ocr.calls++;
      return { width: 100, height: 100, words, lines: [] };
    },
    async close() {},
  };
  return ocr;
}

const field = (name: string, type: FieldDef["type"]): FieldDef =>
  ({ name, type, box: { x: 10, y: 10, w: 60, h: 20 } }) as unknown as FieldDef;

describe("fieldTextReaderFor", () => {
  it("an engine billed per crop: the crop reader, no whole-page call", async () => {
    const ocr = engine(false, []);
    expect(await fieldTextReaderFor(ocr, PAGE)).toBe(cropReader);
    expect(ocr.calls).toBe(0);
  });

  it("an engine billed per page: one call, then each field's words inside its box (below its label)", async () => {
    const ocr = engine(true, [
      word("Nilsson", 20, 20),
      word("Anna", 40, 20),
      word("label", 20, 10),
      word("far", 90, 90),
    ]);
    const reader = await fieldTextReaderFor(ocr, PAGE);
    expect(reader.kind).toBe("page-words");
    expect(ocr.calls).toBe(1);
    const deps = { ocr };
    const ink = undefined as never;
    const region = undefined as never;
    const text = await reader.text({ reg: REG, field: field("citizen.surname", "text"), region, ink }, deps);
    expect(text).toEqual({ value: "Nilsson Anna", confidence: 0.9 });
    expect(ocr.calls).toBe(1);
  });

  it("page words for a personnummer: all twelve digits keep their confidence, fewer are doubtful", async () => {
    const full = await fieldTextReaderFor(engine(true, [word("18900101-9802", 20, 20, 0.8)]), PAGE);
    const f = field("citizen.personnummer", "personnummer");
    expect(await full.digits({ scan: PAGE, reg: REG, field: f }, { ocr: engine(true, []) })).toEqual({
      value: "189001019802",
      confidence: 0.8,
    });
    const short = await fieldTextReaderFor(engine(true, [word("1890010", 20, 20, 0.8)]), PAGE);
    expect(await short.digits({ scan: PAGE, reg: REG, field: f }, { ocr: engine(true, []) })).toEqual({
      value: "1890010",
      confidence: 0.3,
    });
  });
});
