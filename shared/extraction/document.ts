// The document model: independent of the OCR engine (Tesseract locally, Textract on AWS).

/** An axis-aligned box in pixels of the page image it belongs to. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Word {
  text: string;
  /** 0..1 */
  confidence: number;
  box: Box;
}

export interface Line {
  text: string;
  confidence: number;
  box: Box;
  words: Word[];
}

/** What an OCR engine returns for one page image. */
export interface OcrPage {
  width: number;
  height: number;
  words: Word[];
  lines: Line[];
}

/** A decoded page: 8-bit grey pixels, row-major, one byte per pixel. */
export interface PageImage {
  width: number;
  height: number;
  /** dots per inch as recorded in the file, or estimated from the page size (A4). */
  dpi: number;
  data: Uint8Array;
}

export interface Page {
  index: number;
  image: PageImage;
  ocr?: OcrPage;
}

export interface ScanDocument {
  fileName: string;
  pages: Page[];
}
