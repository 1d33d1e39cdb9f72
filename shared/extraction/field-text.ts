// How a field's writing becomes text: one small interface, two readers, chosen once per page for the OCR engine.
// Engines billed per page (Textract) read the form page once and hand each field the words inside its box
// (page-words.ts); the others read each field's cleaned crop (fields.ts cropReader, comb.ts for the digits).
import type { Ocr } from "../ports/ocr.ts";
import type { PageImage } from "./document.ts";
import { cropReader, type FieldReaderDeps } from "./fields.ts";
import type { InkMask } from "./ink.ts";
import { pageWordsReader } from "./page-words.ts";
import type { Gray } from "./raster.ts";
import type { Registration } from "./register.ts";
import type { FieldDef } from "./templates.ts";

export interface TextRead {
  value: string;
  confidence: number;
  alternatives?: string[];
}

export interface FieldTextReader {
  readonly kind: "page-words" | "crop";
  /** A text field: its region resampled from the scan and the writing in it (fields.ts fieldInk). */
  text(
    input: { reg: Registration; field: FieldDef; region: Gray; ink: InkMask },
    deps: FieldReaderDeps,
  ): Promise<TextRead>;
  /** A comb field's digits (a personnummer). */
  digits(
    input: { scan: PageImage; reg: Registration; field: FieldDef },
    deps: FieldReaderDeps,
  ): Promise<{ value: string; confidence: number }>;
}

/** The reader for this engine and page: the only place that asks how the engine is billed. */
export async function fieldTextReaderFor(ocr: Ocr, page: PageImage): Promise<FieldTextReader> {
  return ocr.readsWholePages ? pageWordsReader(await ocr.recognize(page)) : cropReader;
}
