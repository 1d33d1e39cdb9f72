// One contract for every Ocr adapter: words with text, a box inside the image and a 0..1 confidence; lines that
// hold their words; the known text of the test image found.
import { expect, it } from "vitest";
import type { PageImage } from "../../../shared/extraction/document.ts";
import type { Ocr } from "../../../shared/ports/ocr.ts";

export interface OcrContractCase {
  image: () => Promise<PageImage>;
  /** words the engine must find (case-insensitive) */
  expectWords: string[];
  /** a number printed in the image that a digits-only read must find */
  expectDigits: string;
}

export function ocrContract(name: string, make: () => Promise<Ocr>, c: OcrContractCase): void {
  it(`${name}: finds the known words with boxes inside the image and confidence in 0..1`, async () => {
    const ocr = await make();
    try {
      const image = await c.image();
      const page = await ocr.recognize(image);
      expect(page.width).toBe(image.width);
      expect(page.height).toBe(image.height);
      expect(page.words.length).toBeGreaterThan(0);
      for (const w of page.words) {
        expect(w.text.trim()).not.toBe("");
        expect(w.confidence).toBeGreaterThanOrEqual(0);
        expect(w.confidence).toBeLessThanOrEqual(1);
        expect(w.box.x).toBeGreaterThanOrEqual(-1);
        expect(w.box.y).toBeGreaterThanOrEqual(-1);
        expect(w.box.x + w.box.w).toBeLessThanOrEqual(image.width + 1);
        expect(w.box.y + w.box.h).toBeLessThanOrEqual(image.height + 1);
      }
      const text = page.words.map((w) => w.text.toLowerCase());
      for (const expected of c.expectWords) expect(text).toContain(expected.toLowerCase());
      const inLines = page.lines.flatMap((l) => l.words);
      expect(inLines.length).toBe(page.words.length);
    } finally {
      await ocr.close();
    }
  });

  it(`${name}: digits only when asked for a digit charset`, async () => {
    const ocr = await make();
    try {
      const page = await ocr.recognize(await c.image(), { charset: "0123456789" });
      // Not on nothing: the printed number must come back, and nothing but digits.
      expect(page.words.map((w) => w.text)).toContain(c.expectDigits);
      for (const w of page.words) expect(w.text).toMatch(/^\d*$/);
    } finally {
      await ocr.close();
    }
  });
}
