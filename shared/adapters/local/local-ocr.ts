// The local OCR engine: tesseract.js for print and page layout, the PP-OCR line recogniser for what tesseract
// cannot read with confidence (handwriting). One Ocr to the reader; both run offline.
import type { OcrPage, PageImage } from "../../extraction/document.ts";
import type { HandwritingReading, Ocr, RecognizeOptions } from "../../ports/ocr.ts";
import { PpOcrRecognizer } from "./ppocr-recognizer.ts";
import { TesseractOcr, type TesseractOptions } from "./tesseract-ocr.ts";

export class LocalOcr implements Ocr {
  readonly name = "tesseract+ppocr";
  private readonly print: TesseractOcr;
  private readonly hand = new PpOcrRecognizer();

  constructor(options: TesseractOptions = {}) {
    this.print = new TesseractOcr(options);
  }

  recognize(image: PageImage, options?: RecognizeOptions): Promise<OcrPage> {
    return this.print.recognize(image, options);
  }

  readHandwriting(image: PageImage, charset?: string): Promise<HandwritingReading> {
    return this.hand.readLine(image, charset);
  }

  scoreCandidates(image: PageImage, candidates: readonly string[]): Promise<number[]> {
    return this.hand.scoreCandidates(image, candidates);
  }

  handwrittenDigitScores(glyphs: Array<PageImage | null>): Promise<Array<number[] | null>> {
    return this.hand.digitScores(glyphs);
  }

  async close(): Promise<void> {
    await Promise.all([this.print.close(), this.hand.close()]);
  }
}
