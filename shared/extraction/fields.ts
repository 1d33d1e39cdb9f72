// Field reading by template: every field is resampled from the registered scan, its written ink separated from
// the form's print; checkboxes and signatures are decided from the ink, text and digits are read by the OCR port.
import type { FieldReading } from "../domain/forms.ts";
import { isValidPersonnummer12 } from "../domain/personnummer.ts";
import { fold } from "../domain/vocabulary.ts";
import type { HandwritingReading, Ocr } from "../ports/ocr.ts";
import { addressReading } from "./address-ink.ts";
import { restoreDiacritics } from "./diacritics.ts";
import { classifyVector, decodeDigits, type Exemplar, normaliseGlyph } from "./digits.ts";
import type { Box, OcrPage, PageImage } from "./document.ts";
import { repairEmail } from "./email.ts";
import { applyH } from "./homography.ts";
import { cleanWriting, FIELD_PX_PER_MM, type InkMask, writtenInk } from "./ink.ts";
import { localRegistration } from "./local-fit.ts";
import { wordsInBox } from "./page-words.ts";
import { type Gray, warpRegion } from "./raster.ts";
import type { Registration } from "./register.ts";
import { withoutStruckWords } from "./strike.ts";
import type { FieldDef } from "./templates.ts";
import { vocabularyReading } from "./vocabulary-read.ts";

/** Ink areas (mm²) that separate a mark from nothing; see README "How the reader decides". */
export const CHECKBOX_MIN_MM2 = 1.0;
export const SIGNATURE_MIN_MM2 = 8.0;
export const TEXT_MIN_MM2 = 1.5;
const DIGITS = "0123456789";
/** Fields holding an e-mail address, and fields holding a person's name. */
export const EMAIL_FIELD = /(^|\.)email2?$/;
const NAME_FIELD = /(givenName|surname|\.name)$/;
const EMAIL_CHARSET = "abcdefghijklmnopqrstuvwxyz0123456789@._-+";
/** Tesseract's confidence above which a valid typed personnummer is taken as read. */
const TYPED_DIGITS_SURE = 0.75;
/** Tesseract's confidence in a text line above which it is taken as print read well (no handwriting pass). */
const PRINT_SURE = 0.75;
/** Below PRINT_SURE, tesseract's differing read is still kept down to this confidence. */
const PRINT_KEPT = 0.5;
/** A personnummer read at least this surely lends its glyphs to the second pass over the form's other digits. */
const EXEMPLAR_MIN_CONFIDENCE = 0.7;

export interface FieldReaderDeps {
  ocr: Ocr;
  /** Digits of this form already read with certainty, to read the same hand's other digits (second pass). */
  exemplars?: Exemplar[];
  /** Where a personnummer read with certainty leaves its glyphs for the second pass. */
  exemplarSink?: Exemplar[];
  /** Whole-page OCR words (in scan pixels) when the engine reads pages, not regions (Textract). */
  pageWords?: OcrPage;
  /** The names a caregiver box may hold for the form to go through (the region and the approved list). */
  caregiverVocabulary?: readonly string[];
}

/** Below this a read is doubtful to the rules (their default minimum confidence). */
const DOUBTFUL_BELOW = 0.5;
/** A caregiver no vocabulary name fits at all: sure enough (just above the doubt line) that it is not listed. */
const NOT_LISTED = 0.6;

function inset(b: Box, d: number): Box {
  return { x: b.x + d, y: b.y + d, w: b.w - 2 * d, h: b.h - 2 * d };
}

/** The field's box on the scan, as an axis-aligned pixel box (for the handler UI). */
export function scanBox(reg: Registration, b: Box, page: number): FieldReading["box"] {
  const pts = [
    { x: b.x, y: b.y },
    { x: b.x + b.w, y: b.y },
    { x: b.x, y: b.y + b.h },
    { x: b.x + b.w, y: b.y + b.h },
  ].map((p) => applyH(reg.map, p));
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return {
    page,
    x: Math.round(x),
    y: Math.round(y),
    w: Math.round(Math.max(...xs) - x),
    h: Math.round(Math.max(...ys) - y),
  };
}

/** Confidence of a presence decision from how far the ink area is from the threshold (log scale). */
function presenceConfidence(area: number, threshold: number): number {
  if (area === 0) return 0.99;
  const r = Math.abs(Math.log((area + 0.05) / threshold));
  return Math.min(0.99, 0.5 + r / 3);
}

function asPage(g: Gray): PageImage {
  return { width: g.width, height: g.height, dpi: Math.round(FIELD_PX_PER_MM * 25.4), data: g.data };
}

/** Text cleanup: OCR of a field never carries line breaks, box rules or leading/trailing punctuation noise. */
export function tidyText(s: string): string {
  return s
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[|¦]+/g, " ")
    .replace(/\s+/g, " ")
    .replace(/^[\s.,:;'"`´‘’“”~—–-]+/, "")
    .replace(/[\s,:;'"`´‘’“”~—–]+$/, "")
    .trim();
}

export async function readField(
  scan: PageImage,
  global: Registration,
  field: FieldDef,
  pageIndex: number,
  deps: FieldReaderDeps,
): Promise<FieldReading> {
  // Folded paper lies off by up to a millimetre below a crease: the field's own print places it locally.
  const reg = localRegistration(scan, global, field.box);
  const outer = scanBox(reg, field.box, pageIndex);
  const isEmail = EMAIL_FIELD.test(field.name);
  const { region, ink } = fieldInk(scan, reg, field);
  const base = outer ? { box: outer } : {};
  switch (field.type) {
    case "checkbox":
      return {
        value: ink.areaMm2 >= CHECKBOX_MIN_MM2,
        confidence: presenceConfidence(ink.areaMm2, CHECKBOX_MIN_MM2),
        ...base,
      };
    case "signature":
      return {
        value: ink.areaMm2 >= SIGNATURE_MIN_MM2,
        confidence: presenceConfidence(ink.areaMm2, SIGNATURE_MIN_MM2),
        ...base,
      };
    case "personnummer":
      if (ink.areaMm2 < TEXT_MIN_MM2)
        return { value: "", confidence: presenceConfidence(ink.areaMm2, TEXT_MIN_MM2), ...base };
      return { ...(await readComb(scan, reg, field, deps)), ...base };
    case "text": {
      if (ink.areaMm2 < TEXT_MIN_MM2)
        return { value: "", confidence: presenceConfidence(ink.areaMm2, TEXT_MIN_MM2), ...base };
      // An address has a small alphabet: telling the OCR so keeps "@" from turning into "Q".
      const read: { value: string; confidence: number; alternatives?: string[] } = deps.pageWords
        ? wordsInBox(deps.pageWords, reg, field.box)
        : await ocrInk(region, ink, deps.ocr, isEmail ? EMAIL_CHARSET : undefined, field.name);
      if (isEmail) return { ...addressReading(read, region, ink), ...base };
      if (/\.vgrId$/.test(field.name)) return { ...read, value: normaliseVgrId(read.value), ...base };
      if (/\.caregiver$/.test(field.name) && read.confidence < DOUBTFUL_BELOW && deps.caregiverVocabulary) {
        // A doubtful caregiver: does the writing fit one of the names the box may hold? Offered as another reading.
        const { fits, none } = await vocabularyReading(region, ink, deps.ocr, deps.caregiverVocabulary);
        if (fits && fits !== read.value && !read.alternatives?.includes(fits)) {
          return { ...read, alternatives: [...(read.alternatives ?? []), fits], ...base };
        }
        // No name the box may hold fits the writing at all: whatever its spelling, it is another caregiver.
        if (none && read.value !== "") return { ...read, confidence: Math.max(read.confidence, NOT_LISTED), ...base };
      }
      if (NAME_FIELD.test(field.name)) {
        // A name has letters, spaces, hyphens and apostrophes; a dot or colon beside it is dust.
        const tidyName = (t: string) => tidyText(t.replace(/[.:;,]/g, " "));
        const alternatives = read.alternatives?.map(tidyName);
        return { ...read, value: tidyName(read.value), ...(alternatives ? { alternatives } : {}), ...base };
      }
      return { ...read, ...base };
    }
  }
}

/** A field's box resampled from the scan, and the writing in it (the form's print and dust removed). */
export function fieldInk(scan: PageImage, reg: Registration, field: FieldDef): { region: Gray; ink: InkMask } {
  const box = inset(field.box, field.type === "checkbox" ? 0.4 : 0.6);
  const region = warpRegion(scan, reg.map, box, FIELD_PX_PER_MM);
  const isEmail = EMAIL_FIELD.test(field.name);
  const ink = writtenInk(region, box, reg.template, 0.12, isEmail ? 0.8 : 0.3);
  // A word struck through is not the value (the right one follows it): its ink goes before the text is read.
  return { region, ink: field.type === "text" ? withoutStruckWords(ink).ink : ink };
}

/** Each comb cell's digit, cleaned of the cell lines and the dropout colour; null for an empty cell. */
export function combGlyphs(scan: PageImage, reg: Registration, field: FieldDef): Array<Gray | null> {
  return (field.combCells ?? []).map((cell) => {
    const box = inset(cell, 0.35);
    const region = warpRegion(scan, reg.map, box, FIELD_PX_PER_MM);
    const ink = writtenInk(region, box, reg.template, 0.08);
    return ink.areaMm2 < 0.4 ? null : cleanWriting(region, ink, 0);
  });
}

async function ocrInk(
  region: Gray,
  ink: InkMask,
  ocr: Ocr,
  charset: string | undefined,
  fieldName: string,
): Promise<{ value: string; confidence: number; alternatives?: string[] }> {
  const clean = cleanWriting(region, ink);
  if (!clean) return { value: "", confidence: 0.9 };
  const printed = await ocrPrint(clean, ocr, charset);
  const listChecked = CHECKED_AGAINST_A_LIST.test(fieldName);
  const bothReaders = listChecked || MATCHED_AGAINST_THE_DIRECTORY.test(fieldName);
  if (!ocr.readHandwriting || (printed.confidence >= PRINT_SURE && !bothReaders)) return printed;
  // Print reader unsure (most likely handwriting), or a field matched against a list: the handwriting reader
  // reads the line too.
  const hand = await ocr.readHandwriting(asPage(clean), handwritingCharset(fieldName));
  if (printed.confidence >= PRINT_SURE) {
    // A sure print read stands; a different reading is kept only as another reading to match the list with.
    const other = tidyText(hand.text);
    return other !== "" && !sameText(other, printed.value) ? { ...printed, alternatives: [other] } : printed;
  }
  return combineReadings(printed, hand, charset === EMAIL_CHARSET, listChecked, bothReaders);
}

/** The same text up to case, diacritics, punctuation and spacing. */
function sameText(a: string, b: string): boolean {
  return fold(a).replace(/ /g, "") === fold(b).replace(/ /g, "");
}

/**
 * Fields the rules compare with a known value (the subject's registry name, the caregiver list). A match with the
 * known value is evidence of its own; a claim that they differ (NAME_MISMATCH, CAREGIVER_NOT_APPROVED) needs a
 * read more than one reader stands behind.
 */
export const CHECKED_AGAINST_A_LIST = /(givenName|surname|\.caregiver)$/;
/** The vouching staff member's name, matched with the staff directory (domain/staff.ts): both readers, not capped. */
const MATCHED_AGAINST_THE_DIRECTORY = /^(verifier|requester)\.name$/;

/** Two independent readers that read the same text: each one's own confidence undersells it. */
export const READERS_AGREE = 0.9;
/** One reader against the other on a field checked against a list: just below the rules' doubt line (0.5). */
const ONE_READER = 0.45;
/** Two readers that read an address differently: at most this sure (below the mail threshold). */
const READERS_DISAGREE = 0.5;

/**
 * Tesseract's reading of a line it was unsure of, and the handwriting reader's, as one reading:
 * - agreeing (up to diacritics and spacing, which the handwriting model's alphabet lacks or loses; an address
 *   letter for letter): two independent readers seldom make the same mistake, so tesseract's text with at least
 *   READERS_AGREE;
 * - differing: tesseract keeps a read it half trusts (typed text it reads well even then); below that the
 *   handwriting reader's text when it is surer — on a field checked against a list, either as a doubtful read
 *   (it can match the known value, it cannot claim a mismatch against the other reader's word).
 * An address must agree letter for letter (after repair); two readers' different addresses are doubtful; an
 * address only the handwriting reader could read is as sure as its least sure character.
 */
export function combineReadings(
  printed: { value: string; confidence: number },
  hand: HandwritingReading,
  isEmail: boolean,
  checkedAgainstList = false,
  keepOtherReading = checkedAgainstList,
): { value: string; confidence: number; alternatives?: string[] } {
  const text = tidyText(isEmail ? hand.text.toLowerCase() : hand.text);
  if (text === "") return printed;
  const handConfidence = Math.max(0.01, Math.min(0.99, isEmail ? hand.weakest : hand.confidence));
  if (isEmail) {
    const mine = repairEmail(printed.value);
    if (mine.value === repairEmail(text).value) {
      return { value: printed.value, confidence: Math.max(printed.confidence, handConfidence, READERS_AGREE) };
    }
    // Two readers, two addresses (a dust speck read as a dot by one of them): never sure enough to mail.
    // Tesseract's when it is an address at all (typed addresses it reads letter-perfect), else the other's.
    if (mine.valid) return { value: printed.value, confidence: Math.min(printed.confidence, READERS_DISAGREE) };
    return { value: text, confidence: handConfidence };
  }
  if (sameText(text, printed.value)) {
    return { value: printed.value, confidence: Math.max(printed.confidence, handConfidence, READERS_AGREE) };
  }
  // Two readers that differ: on a field checked against a list, whichever reading is kept is enough to match the
  // known value but not to claim a mismatch on its own (a misread caregiver must not RETURN a form), and the other
  // reading goes along to be matched too.
  const cap = (c: number) => (checkedAgainstList ? Math.min(c, ONE_READER) : c);
  const other = (t: string) => (keepOtherReading && t !== "" ? { alternatives: [t] } : {});
  if (printed.confidence >= PRINT_KEPT || handConfidence <= printed.confidence) {
    return { value: printed.value, confidence: cap(printed.confidence), ...other(text) };
  }
  // The handwriting reader's text. Its model has no å/ö: tesseract's reading lends its accents where the two align
  // on the same letter.
  return {
    value: restoreDiacritics(text, printed.value),
    confidence: cap(handConfidence),
    ...other(printed.value),
  };
}

/**
 * A VGR-ID is five lower-case letters and two or three digits (contract §5). A read of that shape is written so:
 * an accent or a capital on it is the OCR's or the hand's ("mätjo761", "Sivwa34"). Anything else stays as read.
 */
export function normaliseVgrId(s: string): string {
  const ascii = s
    .replace(/\s+/g, "")
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
  return /^[a-z]{5}\d{2,3}$/.test(ascii) ? ascii : s;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyzåäöéüABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖÉÜ";

/**
 * What a hand-written field may hold, for the handwriting reader (it reads any script: the charset keeps it to
 * the field's alphabet). An address allows capitals (a hand-written capital is still that letter; lower-cased).
 */
export function handwritingCharset(fieldName: string): string {
  if (NAME_FIELD.test(fieldName)) return `${LETTERS} -'`;
  if (EMAIL_FIELD.test(fieldName)) return `${EMAIL_CHARSET}${EMAIL_CHARSET.toUpperCase()}`;
  if (/\.phone$/.test(fieldName)) return "0123456789 -+";
  if (/\.date$/.test(fieldName)) return "0123456789 .-/";
  if (/\.vgrId$/.test(fieldName)) return `${LETTERS}0123456789`;
  return `${LETTERS}0123456789 -.,&'()/`;
}

async function ocrPrint(clean: Gray, ocr: Ocr, charset?: string): Promise<{ value: string; confidence: number }> {
  const res = await ocr.recognize(asPage(clean), { mode: "line", ...(charset ? { charset } : {}) });
  const words = res.words.filter((w) => tidyText(w.text) !== "");
  const value = tidyText(words.map((w) => w.text).join(" "));
  if (value === "") return { value: "", confidence: 0.1 };
  // The weakest word bounds the field: one garbled word makes the whole value doubtful.
  const conf = Math.min(...words.map((w) => w.confidence));
  return { value, confidence: Math.max(0.01, Math.min(0.99, conf)) };
}

/** Comb cells: each cell cleaned of its dropout lines, one digit per cell. */
async function readComb(
  scan: PageImage,
  reg: Registration,
  field: FieldDef,
  deps: FieldReaderDeps,
): Promise<{ value: string; confidence: number }> {
  const cells = field.combCells ?? [];
  if (deps.pageWords) {
    const r = wordsInBox(deps.pageWords, reg, field.box);
    const digits = r.value.replace(/\D/g, "");
    return { value: digits, confidence: digits.length === 12 ? r.confidence : Math.min(r.confidence, 0.3) };
  }
  const cleaned = combGlyphs(scan, reg, field);
  const written = cleaned.filter((c): c is Gray => c !== null);
  if (written.length === 0) return { value: "", confidence: 0.9 };
  // 1. Tesseract on one line of digits: reliable for typed digits.
  let typed: { value: string; confidence: number } | null = null;
  const line = await deps.ocr.recognize(asPage(stripOf(written)), { mode: "line", charset: DIGITS });
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
        const res = await deps.ocr.recognize(asPage(stripOf([g])), { mode: "char", charset: DIGITS });
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
  const keep = (r: { value: string; confidence: number }) => {
    if (r.confidence >= EXEMPLAR_MIN_CONFIDENCE && deps.exemplarSink && r.value.length === vectors.length) {
      vectors.forEach((v, i) => {
        if (v) deps.exemplarSink?.push({ vector: v, digit: Number(r.value[i]) });
      });
    }
    return r;
  };
  if (typed && typed.confidence >= TYPED_DIGITS_SURE) return keep(typed);
  // 2. Handwriting: per-cell scores from the MNIST nearest-neighbour reader, decoded under the personnummer's
  //    date and check digit. Only a clear winner among the valid strings is taken with confidence.
  // Two readers as one: the MNIST scores of each cell mixed with tesseract's digit for that cell, as far as
  // tesseract was sure. Decoded under a plausible birth date and the check digit.
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
  // 3. A third reader where the engine has one for handwriting: its digit probabilities multiply in (independent
  //    evidence: a product of experts, each floored so that no one reader can veto a digit on its own).
  if (deps.ocr.handwrittenDigitScores) {
    const hand = await deps.ocr.handwrittenDigitScores(written.map(asPage));
    let h = 0;
    scores.forEach((sc, i) => {
      if (!sc) return;
      const hp = hand[h++];
      if (!hp) return;
      const product = sc.map((p, d) => (p + HAND_FLOOR) * ((hp[d] as number) + HAND_FLOOR));
      const total = product.reduce((a, b) => a + b, 0);
      scores[i] = product.map((v) => v / total);
    });
  }
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
      return { value, confidence: Math.min(typed.confidence, 0.3) };
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
