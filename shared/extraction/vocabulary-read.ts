// A closed vocabulary read against the writing itself: the caregiver box may only hold the region or a listed
// caregiver for the form to go through, and a messy hand that neither reader spells out may still fit one of those
// names far better than any other. The handwriting model scores each name against the line (CTC likelihood); a
// name that fits nearly as well as the model's own reading, and clearly better than every other name, is offered as
// another reading of the field; when no name fits at all, the writing is some other caregiver's name, and the
// reading is sure enough for the rules to say so. Only for a field read with doubt: a confident reading stands.
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

/**
 * Below this (per character) even the best-fitting name does not fit at all: the writing is some other name. On the
 * field samples the written name never scored below −1.6; a caregiver not on the list scored −7.7 at best.
 */
export const NOTHING_FITS_BELOW = -5.0;

/**
 * The vocabulary entry the writing fits (`fits`), or null when none fits clearly; `none` when no entry fits at all
 * (the writing names something else).
 */
export async function vocabularyReading(
  region: Gray,
  ink: InkMask,
  ocr: Ocr,
  vocabulary: readonly string[],
): Promise<{ fits: string | null; none: boolean }> {
  const nothing = { fits: null, none: false };
  if (!ocr.scoreCandidates || vocabulary.length === 0) return nothing;
  const clean = cleanWriting(region, ink);
  if (!clean) return nothing;
  const names = [...new Set(vocabulary)];
  const scores = await ocr.scoreCandidates({ ...clean, dpi: Math.round(FIELD_PX_PER_MM * 25.4) }, names);
  const ranked = names.map((n, i) => ({ n, s: scores[i] ?? Number.NEGATIVE_INFINITY })).sort((a, b) => b.s - a.s);
  const [best, next] = ranked;
  if (!best || !Number.isFinite(best.s)) return nothing;
  if (best.s < NOTHING_FITS_BELOW) return { fits: null, none: true };
  if (best.s < VOCABULARY_MIN_SCORE) return nothing;
  if (next && best.s - next.s < VOCABULARY_MARGIN) return nothing;
  return { fits: best.n, none: false };
}
