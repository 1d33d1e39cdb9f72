// Field reading by template: every field is resampled from the registered scan, its written ink separated from
// the form's print; checkboxes and signatures are decided from the ink, text and digits are read by the OCR port.
import type { FieldReading } from "../domain/forms.ts";
import { fold } from "../domain/vocabulary.ts";
import type { HandwritingReading, Ocr } from "../ports/ocr.ts";
import { addressReading } from "./address-ink.ts";
import { readCombCells } from "./comb.ts";
import { restoreDiacritics } from "./diacritics.ts";
import type { Exemplar } from "./digits.ts";
import type { Box, PageImage } from "./document.ts";
import { repairEmail } from "./email.ts";
import type { FieldTextReader } from "./field-text.ts";
import { applyH } from "./homography.ts";
import { cleanWriting, FIELD_PX_PER_MM, fieldImage, type InkMask, insetBox, writtenInk } from "./ink.ts";
import { localRegistration } from "./local-fit.ts";
import { type Gray, warpRegion } from "./raster.ts";
import type { Registration } from "./register.ts";
import { withoutStruckWords } from "./strike.ts";
import type { FieldDef } from "./templates.ts";
import { vocabularyReading } from "./vocabulary-read.ts";

/** Ink areas (mm²) that separate a mark from nothing; see README "How the reader decides". */
export const CHECKBOX_MIN_MM2 = 1.0;
export const SIGNATURE_MIN_MM2 = 8.0;
export const TEXT_MIN_MM2 = 1.5;
/** Fields holding an e-mail address, and fields holding a person's name. */
export const EMAIL_FIELD = /(^|\.)email2?$/;
const NAME_FIELD = /(givenName|surname|\.name)$/;
const EMAIL_CHARSET = "abcdefghijklmnopqrstuvwxyz0123456789@._-+";
/** Tesseract's confidence in a text line above which it is taken as print read well (no handwriting pass). */
const PRINT_SURE = 0.75;
/** Below PRINT_SURE, tesseract's differing read is still kept down to this confidence. */
const PRINT_KEPT = 0.5;

export interface FieldReaderDeps {
  ocr: Ocr;
  /** Digits of this form already read with certainty, to read the same hand's other digits (second pass). */
  exemplars?: Exemplar[];
  /** Where a personnummer read with certainty leaves its glyphs for the second pass. */
  exemplarSink?: Exemplar[];
  /**
   * How text and comb fields are read, chosen once per page for the engine (field-text.ts): the page's words
   * (Textract) or each field's cleaned crop (the default).
   */
  textReader?: FieldTextReader;
  /** The names a caregiver box may hold for the form to go through (the region and the approved list). */
  caregiverVocabulary?: readonly string[];
}

/** Below this a read is doubtful to the rules (their default minimum confidence). */
const DOUBTFUL_BELOW = 0.5;
/** A caregiver no vocabulary name fits at all: sure enough (just above the doubt line) that it is not listed. */
const NOT_LISTED = 0.6;

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
      return { ...(await (deps.textReader ?? cropReader).digits({ scan, reg, field }, deps)), ...base };
    case "text": {
      if (ink.areaMm2 < TEXT_MIN_MM2)
        return { value: "", confidence: presenceConfidence(ink.areaMm2, TEXT_MIN_MM2), ...base };
      const read = await (deps.textReader ?? cropReader).text({ reg, field, region, ink }, deps);
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

export { combGlyphs, plausiblePersonnummer } from "./comb.ts";

/** A field's box resampled from the scan, and the writing in it (the form's print and dust removed). */
export function fieldInk(scan: PageImage, reg: Registration, field: FieldDef): { region: Gray; ink: InkMask } {
  const box = insetBox(field.box, field.type === "checkbox" ? 0.4 : 0.6);
  const region = warpRegion(scan, reg.map, box, FIELD_PX_PER_MM);
  const isEmail = EMAIL_FIELD.test(field.name);
  const ink = writtenInk(region, box, reg.template, 0.12, isEmail ? 0.8 : 0.3);
  // A word struck through is not the value (the right one follows it): its ink goes before the text is read.
  return { region, ink: field.type === "text" ? withoutStruckWords(ink).ink : ink };
}

/**
 * A field's cleaned writing where the field lies on this page (its local registration), as the handwriting model
 * scores candidate texts against it; null when the box is empty.
 */
export function fieldWriting(scan: PageImage, reg: Registration, field: FieldDef): PageImage | null {
  const { region, ink } = fieldInk(scan, localRegistration(scan, reg, field.box), field);
  const clean = cleanWriting(region, ink);
  return clean ? { ...clean, dpi: Math.round(FIELD_PX_PER_MM * 25.4) } : null;
}

/** The crop reader: each field's cleaned region to the OCR port (engines billed per call, not per page). */
export const cropReader: FieldTextReader = {
  kind: "crop",
  text: ({ region, ink, field }, deps) =>
    // An address has a small alphabet: telling the OCR so keeps "@" from turning into "Q".
    ocrInk(region, ink, deps.ocr, EMAIL_FIELD.test(field.name) ? EMAIL_CHARSET : undefined, field.name),
  digits: ({ scan, reg, field }, deps) => readCombCells(scan, reg, field, deps),
};

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
  const hand = await ocr.readHandwriting(fieldImage(clean), handwritingCharset(fieldName));
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
  const res = await ocr.recognize(fieldImage(clean), { mode: "line", ...(charset ? { charset } : {}) });
  const words = res.words.filter((w) => tidyText(w.text) !== "");
  const value = tidyText(words.map((w) => w.text).join(" "));
  if (value === "") return { value: "", confidence: 0.1 };
  // The weakest word bounds the field: one garbled word makes the whole value doubtful.
  const conf = Math.min(...words.map((w) => w.confidence));
  return { value, confidence: Math.max(0.01, Math.min(0.99, conf)) };
}
