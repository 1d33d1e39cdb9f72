// A personnummer's comb read from its cells' crops: tesseract on the typed line, the MNIST nearest-neighbour reader
// and (where the engine has one) a handwriting digit reader, decoded under the birth date and the check digit.
import { isValidPersonnummer12 } from "../domain/personnummer.ts";
import { classifyVector, decodeDigits, normaliseGlyph } from "./digits.ts";
import type { PageImage } from "./document.ts";
import type { FieldReaderDeps } from "./fields.ts";
import { cleanWriting, FIELD_PX_PER_MM, fieldImage, insetBox, writtenInk } from "./ink.ts";
import { type Gray, warpRegion } from "./raster.ts";
import type { Registration } from "./register.ts";
import type { FieldDef } from "./templates.ts";

const DIGITS = "0123456789";
/** Tesseract's confidence above which a valid typed personnummer is taken as read. */
const TYPED_DIGITS_SURE = 0.75;
/** A personnummer read at least this surely lends its glyphs to the second pass over the form's other digits. */
const EXEMPLAR_MIN_CONFIDENCE = 0.7;

/** Each comb cell's digit, cleaned of the cell lines and the dropout colour; null for an empty cell. */
export function combGlyphs(scan: PageImage, reg: Registration, field: FieldDef): Array<Gray | null> {
  return (field.combCells ?? []).map((cell) => {
    const box = insetBox(cell, 0.35);
    const region = warpRegion(scan, reg.map, box, FIELD_PX_PER_MM);
    const ink = writtenInk(region, box, reg.template, 0.08);
    return ink.areaMm2 < 0.4 ? null : cleanWriting(region, ink, 0);
  });
}

/** Comb cells from their crops: each cell cleaned of its dropout lines, one digit per cell. */
export async function readCombCells(
  scan: PageImage,
  reg: Registration,
  field: FieldDef,
  deps: FieldReaderDeps,
): Promise<{ value: string; confidence: number }> {
  const cells = field.combCells ?? [];
  const cleaned = combGlyphs(scan, reg, field);
  const written = cleaned.filter((c): c is Gray => c !== null);
  if (written.length === 0) return { value: "", confidence: 0.9 };
  // 1. Tesseract on one line of digits: reliable for typed digits.
  let typed: { value: string; confidence: number } | null = null;
  const line = await deps.ocr.recognize(fieldImage(stripOf(written)), { mode: "line", charset: DIGITS });
  const chars = line.words.flatMap((w) => [...w.text.replace(/\D/g, "")].map((c) => ({ c, conf: w.confidence })));
  if (chars.length === written.length) {
    let k = 0;
    const digits = cleaned.map((c) => (c === null ? "" : (chars[k++] as { c: string }).c)).join("");
    typed = { value: digits, confidence: Math.min(...chars.map((c) => c.conf)) };
  }
  if (!typed) {
    // The line split the digits differently: read each cell on its own.
    const each = await Promise.all(
      written.map(async (g) => {
        const res = await deps.ocr.recognize(fieldImage(stripOf([g])), { mode: "char", charset: DIGITS });
        const text = res.words
          .map((w) => w.text)
          .join("")
          .replace(/\D/g, "");
        return { c: text, conf: res.words.length > 0 ? Math.min(...res.words.map((w) => w.confidence)) : 0 };
      }),
    );
    if (each.every((e) => e.c.length === 1)) {
      let k = 0;
      const digits = cleaned.map((c) => (c === null ? "" : (each[k++] as { c: string }).c)).join("");
      typed = { value: digits, confidence: Math.min(...each.map((e) => e.conf)) };
    }
  }
  // A confident typed reading stands, valid or not: an invalid number as written is PNR_INVALID, not a puzzle.
  const vectors = cleaned.map((c) => (c === null ? null : normaliseGlyph(c)));
  // Only a number that can be someone's lends its glyphs: a misread digit would teach the second pass the misreading.
  const keep = (r: { value: string; confidence: number }) => {
    const lends = cells.length !== 12 || plausiblePersonnummer(r.value);
    if (lends && r.confidence >= EXEMPLAR_MIN_CONFIDENCE && deps.exemplarSink && r.value.length === vectors.length) {
      vectors.forEach((v, i) => {
        if (v) deps.exemplarSink?.push({ vector: v, digit: Number(r.value[i]) });
      });
    }
    return r;
  };
  if (typed && typed.confidence >= TYPED_DIGITS_SURE) {
    if (cells.length !== 12 || plausiblePersonnummer(typed.value)) return keep(typed);
    // Tesseract sure of a number nobody can have (its confidence is optimistic on a hand it misreads: a cursive 1
    // as 7). The handwriting readers alone may read a valid number as their own best reading; a slip of the
    // writer's pen (a wrong check digit, two digits swapped) they read as written, and nothing valid comes out.
    // Their number is a doubtful reading: the registry must confirm it by the written name (rules.ts).
    const own = decodeDigits(await cellScores(vectors, written, deps, null), plausiblePersonnummer);
    if (own && own.probability / own.unconstrained >= HANDWRITING_OWN_READING) {
      return { value: own.value, confidence: Math.min(typed.confidence, TWO_READINGS) };
    }
    return typed;
  }
  // 2. Handwriting: per-cell scores from the MNIST nearest-neighbour reader (mixed with tesseract's digits as far as
  //    tesseract was sure) and the engine's handwriting digit reader, decoded under a plausible birth date and the
  //    check digit. Only a clear winner among the valid strings is taken with confidence.
  const scores = await cellScores(vectors, written, deps, typed);
  const decoded = cells.length === 12 ? decodeDigits(scores, plausiblePersonnummer) : null;
  if (decoded) {
    if (typed && typed.value === decoded.value) {
      return keep({ value: decoded.value, confidence: Math.max(typed.confidence, Math.min(0.95, decoded.share)) });
    }
    if (typed && isValidPersonnummer12(typed.value)) {
      // Two different valid numbers: doubtful either way (only the registry can confirm it: the subject's by the
      // written name, a guardian's by being the child's registered guardian). With the handwriting reader in the
      // vote, the decoded number is the better estimate (it already weighs tesseract's digits); else tesseract's.
      const value = deps.ocr.handwrittenDigitScores ? decoded.value : typed.value;
      return { value, confidence: Math.min(typed.confidence, TWO_READINGS) };
    }
    return keep({ value: decoded.value, confidence: Math.min(0.95, decoded.share) });
  }
  // Nothing valid: the best reading as it stands (it will not pass the personnummer check).
  if (typed) return { value: typed.value, confidence: Math.min(typed.confidence, 0.4) };
  const guess = scores.map((sc) => (sc ? String(sc.indexOf(Math.max(...sc))) : "")).join("");
  return { value: guess, confidence: 0.2 };
}

/** Floor under each digit reader's probability when they are multiplied. */
const HAND_FLOOR = 0.02;
/** Two readers, two numbers: doubtful (below the rules' doubt line), for the registry to confirm or not. */
const TWO_READINGS = 0.3;
/**
 * The handwriting readers' valid number must be (nearly) their own best reading of the cells: at least this share
 * of the probability of their unconstrained best. On the field samples the cursive 1 read as 7 by tesseract scores
 * 1.0 (the readers' own best); a wrong check digit as written finds no valid number at all.
 */
const HANDWRITING_OWN_READING = 0.5;

/**
 * Each cell's digit probabilities: the MNIST nearest-neighbour reader, mixed with tesseract's digit for the cell as
 * far as tesseract was sure (null: without tesseract), and multiplied with the engine's handwriting digit reader
 * where it has one (a product of experts, each floored so that no one reader can veto a digit on its own).
 */
async function cellScores(
  vectors: Array<Float32Array | null>,
  written: Gray[],
  deps: FieldReaderDeps,
  typed: { value: string; confidence: number } | null,
): Promise<Array<number[] | null>> {
  const typedDigits = typed ? [...typed.value] : null;
  let t = 0;
  const scores = vectors.map((v) => {
    if (v === null) return null;
    const knn = classifyVector(v, deps.exemplars ?? []).scores;
    const said = typedDigits ? Number(typedDigits[t++]) : Number.NaN;
    if (!typed || Number.isNaN(said)) return knn;
    // A mixture, not a product: where the MNIST reader is sure of a wrong digit (typed fonts are not handwriting),
    // tesseract's digit keeps the weight of tesseract's confidence.
    // Tesseract's confidence is optimistic on handwriting (0.5–0.6 for a garbled line): only what is above 0.5 counts.
    const w = Math.max(0, Math.min(1, (typed.confidence - 0.5) * 2));
    return knn.map((p, d) => (1 - w) * p + (d === said ? w : 0));
  });
  if (deps.ocr.handwrittenDigitScores) {
    const hand = await deps.ocr.handwrittenDigitScores(written.map(fieldImage));
    let h = 0;
    scores.forEach((sc, i) => {
      if (!sc) return;
      const hp = hand[h++];
      if (!hp) return;
      const product = sc.map((p, d) => (p + HAND_FLOOR) * ((hp[d] as number) + HAND_FLOOR));
      const total = product.reduce((a, b) => a + b, 0);
      scores[i] = product.map((x) => x / total);
    });
  }
  return scores;
}

/** A valid personnummer of someone born between 1880 and this year: a decoded reading must be a real person's. */
export function plausiblePersonnummer(s: string): boolean {
  if (!isValidPersonnummer12(s)) return false;
  const year = Number(s.slice(0, 4));
  return year >= 1880 && year <= new Date().getFullYear();
}

/** Digits side by side on white, each centred in an equal slot, with a margin. */
function stripOf(glyphs: Gray[]): Gray {
  const slotW = Math.max(...glyphs.map((g) => g.width)) + 18;
  const h = Math.max(...glyphs.map((g) => g.height)) + 40;
  const w = slotW * glyphs.length + 40;
  const out = new Uint8Array(w * h).fill(255);
  glyphs.forEach((g, i) => {
    const ox = 20 + i * slotW + Math.floor((slotW - g.width) / 2);
    const oy = Math.floor((h - g.height) / 2);
    for (let r = 0; r < g.height; r++) out.set(g.data.subarray(r * g.width, (r + 1) * g.width), (oy + r) * w + ox);
  });
  return { width: w, height: h, data: out };
}
