// Textract as a second opinion (optional, `lockdesk:textractSecondOpinion`): after the local readers (tesseract +
// PP-OCR + the comb decoder) have read a page, a page with a field they doubt — a text or personnummer field below
// the rules' doubt line — is sent ONCE to the engine's secondOpinion (Textract DetectDocumentText), and its words in
// each doubted field's box are a third reading under the same two-reader rules:
// - it agrees with the local value: two independent readers agree, the read becomes confident;
// - it agrees with the other local reader's reading (an alternative): two of three agree, that reading is taken;
// - it agrees with neither: nothing changes — the field stays doubtful (on a field matched against a list, its text
//   goes along as one more reading to match with; it can never make a mismatch on its own).
// A confident local reading is never looked at, so Textract alone can never overrule one. A failed call changes
// nothing (the opinion is optional) and is reported as a warning.
import type { FieldReading } from "../domain/forms.ts";
import { DEFAULT_MIN_CONFIDENCE } from "../domain/rules.ts";
import { fold } from "../domain/vocabulary.ts";
import type { Ocr } from "../ports/ocr.ts";
import type { OcrPage, PageImage } from "./document.ts";
import { repairEmail } from "./email.ts";
import { CHECKED_AGAINST_A_LIST, EMAIL_FIELD, READERS_AGREE } from "./fields.ts";
import { wordsInBox } from "./page-words.ts";
import type { Registration } from "./register.ts";
import type { FieldDef } from "./templates.ts";

/** The rules' doubt line (their default MIN_CONFIDENCE): below it a deciding field sends the case to REVIEW. */
export const DOUBT_BELOW = DEFAULT_MIN_CONFIDENCE;

/** Fields worth a second opinion: written values (text, personnummer) the local readers doubt. */
export function doubtedFields(template: { fields: FieldDef[] }, fields: Record<string, FieldReading>): FieldDef[] {
  return template.fields.filter((f) => {
    const r = fields[f.name];
    return (f.type === "text" || f.type === "personnummer") && r !== undefined && r.confidence < DOUBT_BELOW;
  });
}

function key(fieldName: string, type: FieldDef["type"], text: string): string {
  if (type === "personnummer") return text.replace(/\D/g, "");
  if (EMAIL_FIELD.test(fieldName)) return repairEmail(text.toLowerCase()).value;
  return fold(text).replace(/[^a-z0-9@.]/g, "");
}

/** The local reading of one doubted field and Textract's words in its box, as one reading (rules above). */
export function thirdReading(field: FieldDef, local: FieldReading, textract: string): FieldReading {
  if (local.confidence >= DOUBT_BELOW || typeof local.value !== "string") return local;
  const theirs = key(field.name, field.type, textract);
  if (theirs === "") return local;
  if (key(field.name, field.type, local.value) === theirs) {
    return { ...local, confidence: Math.max(local.confidence, READERS_AGREE) };
  }
  const agreeing = (local.alternatives ?? []).find((a) => key(field.name, field.type, a) === theirs);
  if (agreeing !== undefined) {
    const others = [local.value, ...(local.alternatives ?? []).filter((a) => a !== agreeing)].filter((a) => a !== "");
    return { ...local, value: agreeing, confidence: READERS_AGREE, ...(others.length ? { alternatives: others } : {}) };
  }
  if (CHECKED_AGAINST_A_LIST.test(field.name)) {
    return { ...local, alternatives: [...(local.alternatives ?? []), textract.trim()] };
  }
  return local;
}

/**
 * Asks the engine's second opinion about the page when a field is doubted, and folds its words into the doubted
 * fields. Returns the fields (changed ones replaced), whether it asked, and a warning when the call failed.
 */
export async function applySecondOpinion(
  page: PageImage,
  reg: Registration,
  fields: Record<string, FieldReading>,
  ocr: Ocr,
): Promise<{ fields: Record<string, FieldReading>; asked: boolean; warning?: string }> {
  const doubted = ocr.secondOpinion ? doubtedFields(reg.template, fields) : [];
  if (!ocr.secondOpinion || doubted.length === 0) return { fields, asked: false };
  let words: OcrPage;
  try {
    words = await ocr.secondOpinion(page);
  } catch (err) {
    return { fields, asked: true, warning: `second opinion unavailable (${(err as Error).name})` };
  }
  const out = { ...fields };
  for (const f of doubted) {
    const local = out[f.name] as FieldReading;
    out[f.name] = thirdReading(f, local, wordsInBox(words, reg, f.box).value);
  }
  return { fields: out, asked: true };
}
