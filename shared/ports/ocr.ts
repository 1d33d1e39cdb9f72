import type { OcrPage, PageImage } from "../extraction/document.ts";

export interface RecognizeOptions {
  /** Only these characters (e.g. "0123456789" for comb cells). Engines that cannot restrict ignore it. */
  charset?: string;
  /** "page": whole page layout; "line": one line of text; "char": one character. */
  mode?: "page" | "block" | "line" | "char";
}

/** OCR engine: turns a page image into words with boxes in that image's pixel coordinates. */
export interface Ocr {
  readonly name: string;
  /**
   * True when every call is billed per page (Textract): the reader then recognises the form page once and assigns
   * its words to the fields, instead of asking for each field's crop.
   */
  readonly readsWholePages?: boolean;
  recognize(image: PageImage, options?: RecognizeOptions): Promise<OcrPage>;
  close(): Promise<void>;
}
