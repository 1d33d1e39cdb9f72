// Engines that read whole pages (Textract): the page's words are assigned to a field by where they lie on the form.
import type { Box, OcrPage, Word } from "./document.ts";
import type { FieldTextReader } from "./field-text.ts";
import { tidyText } from "./fields.ts";
import type { Point } from "./geometry.ts";
import { applyH, invertH } from "./homography.ts";
import type { Registration } from "./register.ts";

/** Whole-page OCR words whose centre lies in the field box below its printed label, in reading order. */
export function wordsInBox(page: OcrPage, reg: Registration, b: Box): { value: string; confidence: number } {
  const valueArea = { x: b.x, y: b.y + 3.2, w: b.w, h: b.h - 3.2 };
  const inv = invert(reg);
  const hits: Array<{ w: Word; p: Point }> = [];
  for (const w of page.words) {
    const p = inv({ x: w.box.x + w.box.w / 2, y: w.box.y + w.box.h / 2 });
    if (
      p.x >= valueArea.x &&
      p.x <= valueArea.x + valueArea.w &&
      p.y >= valueArea.y &&
      p.y <= valueArea.y + valueArea.h
    ) {
      hits.push({ w, p });
    }
  }
  hits.sort((a, c) => (Math.abs(a.p.y - c.p.y) > 3 ? a.p.y - c.p.y : a.p.x - c.p.x));
  const value = tidyText(hits.map((h) => h.w.text).join(" "));
  if (value === "") return { value: "", confidence: 0.2 };
  return { value, confidence: hits.reduce((s, h) => s + h.w.confidence, 0) / hits.length };
}

function invert(reg: Registration): (p: Point) => Point {
  const inverse = invertH(reg.map);
  return (p) => applyH(inverse, p);
}

/** The page-words reader: every field takes the words of the one whole-page OCR inside its box. */
export function pageWordsReader(page: OcrPage): FieldTextReader {
  return {
    kind: "page-words",
    text: async ({ reg, field }) => wordsInBox(page, reg, field.box),
    digits: async ({ reg, field }) => {
      const r = wordsInBox(page, reg, field.box);
      const digits = r.value.replace(/\D/g, "");
      return { value: digits, confidence: digits.length === 12 ? r.confidence : Math.min(r.confidence, 0.3) };
    },
  };
}
