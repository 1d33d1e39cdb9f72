// A closed vocabulary read against the writing itself: the caregiver box may only hold the region or a listed
// caregiver for the form to go through, and a messy hand that neither reader spells out may still fit one of those
// names far better than any other. The handwriting model scores each name against the line (CTC likelihood); a
// name that fits nearly as well as the model's own reading, and clearly better than every other name, is offered as
// another reading of the field. Only for a field read with doubt: a confident reading stands as read.
import type { Ocr } from "../ports/ocr.ts";
import { cleanWriting, FIELD_PX_PER_MM, type InkMask } from "./ink.ts";
import type { Gray } from "./raster.ts";

/**
 * Log-likelihood per character, relative to the model's best reading, a name must reach. On the field samples the
 * written name scores −0.1 … −1.6 and every other name −4.2 or less (a caregiver not on the list: −7.7 at best).
 */
export const VOCABULARY_MIN_SCORE = -2.0;
/** How much better (per character) than the next name the best must fit. */
export const VOCABULARY_MARGIN = 2.0;

/** The vocabulary entry the writing fits, or null when none fits clearly. */
export async function vocabularyReading(
  region: Gray,
  ink: InkMask,
  ocr: Ocr,
  vocabulary: readonly string[],
): Promise<string | null> {
  if (!ocr.scoreCandidates || vocabulary.length === 0) return null;
  const clean = cleanWriting(region, ink);
  if (!clean) return null;
  const names = [...new Set(vocabulary)];
  const scores = await ocr.scoreCandidates({ ...clean, dpi: Math.round(FIELD_PX_PER_MM * 25.4) }, names);
  const ranked = names.map((n, i) => ({ n, s: scores[i] ?? Number.NEGATIVE_INFINITY })).sort((a, b) => b.s - a.s);
  const [best, next] = ranked;
  if (!best || best.s < VOCABULARY_MIN_SCORE) return null;
  if (next && best.s - next.s < VOCABULARY_MARGIN) return null;
  return best.n;
}
