// The form reader: scan bytes → form code, action, fields with confidence. Engine-independent.
import type { ExtractedForm } from "../domain/forms.ts";
import type { Ocr } from "../ports/ocr.ts";

export interface ReadInput {
  bytes: Uint8Array;
  fileName: string;
}

export interface ReadDeps {
  ocr: Ocr;
}

export interface ReadResult {
  form: ExtractedForm;
  pageCount: number;
  /** Index of the page that holds the form (0 for most scans). */
  formPage: number;
  timings: { decodeMs: number; ocrMs: number; totalMs: number };
}

/** Work in progress (issue 2): implemented in this module by the form-reader work. */
export async function readScan(_input: ReadInput, _deps: ReadDeps): Promise<ReadResult> {
  throw new Error("readScan: not implemented yet");
}
