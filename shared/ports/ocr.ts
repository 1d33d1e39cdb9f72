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
  recognize(image: PageImage, options?: RecognizeOptions): Promise<OcrPage>;
  close(): Promise<void>;
}
