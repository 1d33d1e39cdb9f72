import type { OcrPage, PageImage } from "../extraction/document.ts";

export interface RecognizeOptions {
  /** Only these characters (e.g. "0123456789" for comb cells). Engines that cannot restrict ignore it. */
  charset?: string;
  /** "page": whole page layout; "line": one line of text; "char": one character. */
  mode?: "page" | "block" | "line" | "char";
}

/** A hand-written line as a second reader saw it. */
export interface HandwritingReading {
  text: string;
  /** The weakest word's mean character probability, 0..1. */
  confidence: number;
  /** The least probable character's probability, 0..1 (an address is only as good as its weakest character). */
  weakest: number;
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
  /**
   * Engines that read print and handwriting with different models (local) read a field's hand-written line here
   * when the print reader is unsure of it. Engines that read both at once (Textract) leave it out.
   */
  readHandwriting?(image: PageImage, charset?: string): Promise<HandwritingReading>;
  /**
   * Engines with a handwriting model: how well a hand-written line fits each of a closed vocabulary's texts, as the
   * log-likelihood per character relative to the engine's own best reading (0 = as likely; lower = less).
   */
  scoreCandidates?(image: PageImage, candidates: readonly string[]): Promise<number[]>;
  /** Ten digit probabilities per image of one hand-written digit (null for an empty cell). */
  handwrittenDigitScores?(glyphs: Array<PageImage | null>): Promise<Array<number[] | null>>;
  /**
   * Another engine's words for a whole page (Textract), asked only for a page with a field the reader doubts; they
   * are a third reading of the doubted fields (extraction/second-opinion.ts). Absent: no second opinion.
   */
  secondOpinion?(page: PageImage): Promise<OcrPage>;
  close(): Promise<void>;
}
