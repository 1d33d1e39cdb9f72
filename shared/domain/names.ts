// Name matching of the subject (contract §5 "Name matching"), tolerant of OCR noise but not of other names.
//
// The check exists to catch a misread personnummer: the registry entry it points at belongs to someone with
// an entirely different name. So:
// - folding per the contract (case, diacritics, hyphen = space, extra spaces);
// - the surname must equal the registry surname; every written given name must be one of the registry's given
//   names (one, several or all, any order); a hyphenated registry name ("Britt-Marie") is one name and may be
//   written "Britt Marie" or "BrittMarie";
// - OCR noise: a word within vocabulary.ts' word tolerance (look-alike glyph 0.5, other edit 1; ≤ 5 letters:
//   0.5, 6–8: 1, ≥ 9: 1.5) still counts as that word, with confidence 1 − 0.4·distance/tolerance (≥ 0.6);
//   each further noisy word multiplies the confidence by 0.85. "Kristina" / "Kristian" (a swap = 2 edits),
//   "Karin" / "Katrin", "Christina" / "Christian" are different names, never noise.
import { confidenceFromDistance, fold, ocrDistance, wordTolerance } from "./vocabulary.ts";

export interface WrittenName {
  given: string;
  surname: string;
}

export interface RegistryName {
  givenNames: string[];
  surname: string;
}

export interface NameMatch {
  match: boolean;
  /** True when every written word equals a registry word after folding. */
  exact: boolean;
  /** 1 exact; 0.6–1 within OCR noise; 0 for a mismatch. */
  confidence: number;
}

const MISMATCH: NameMatch = { match: false, exact: false, confidence: 0 };
const EXTRA_NOISY_WORD_FACTOR = 0.85;

const compact = (s: string): string => fold(s).replace(/ /g, "");

interface WordScore {
  distance: number;
  tolerance: number;
}

function wordScore(read: string, known: string): WordScore | null {
  const distance = ocrDistance(read, known);
  const tolerance = wordTolerance(known.length);
  return distance <= tolerance ? { distance, tolerance } : null;
}

/** Best cover of the written given-name words by registry given names (DP over word boundaries). */
function matchGivenNames(written: string[], registry: string[]): WordScore[] | null {
  const n = written.length;
  // best[i]: the cheapest cover of written[0..i) as a list of word scores, or null.
  const best: Array<WordScore[] | null> = new Array(n + 1).fill(null);
  best[0] = [];
  const cost = (ws: WordScore[]): number => ws.reduce((s, w) => s + w.distance, 0);
  for (let i = 0; i < n; i++) {
    const prefix = best[i];
    if (!prefix) continue;
    // A registry name may span up to 3 written words ("Britt Marie" for "Britt-Marie").
    for (let j = i + 1; j <= Math.min(n, i + 3); j++) {
      const segment = written.slice(i, j).join("");
      let bestHere: WordScore | null = null;
      for (const g of registry) {
        const s = wordScore(segment, g);
        if (s && (!bestHere || s.distance < bestHere.distance)) bestHere = s;
      }
      if (!bestHere) continue;
      const candidate = [...prefix, bestHere];
      const current = best[j];
      if (!current || cost(candidate) < cost(current)) best[j] = candidate;
    }
  }
  return best[n] ?? null;
}

export function matchName(written: WrittenName, registry: RegistryName): NameMatch {
  const writtenGiven = fold(written.given).split(" ").filter(Boolean);
  const registryGiven = registry.givenNames.map(compact).filter(Boolean);
  const writtenSurname = compact(written.surname);
  const registrySurname = compact(registry.surname);
  if (writtenGiven.length === 0 || registryGiven.length === 0 || !writtenSurname || !registrySurname) return MISMATCH;

  const surname = wordScore(writtenSurname, registrySurname);
  if (!surname) return MISMATCH;
  const given = matchGivenNames(writtenGiven, registryGiven);
  if (!given) return MISMATCH;

  const scores = [surname, ...given];
  const noisy = scores.filter((s) => s.distance > 0);
  if (noisy.length === 0) return { match: true, exact: true, confidence: 1 };
  let confidence = Math.min(...noisy.map((s) => confidenceFromDistance(s.distance, s.tolerance)));
  confidence *= EXTRA_NOISY_WORD_FACTOR ** (noisy.length - 1);
  return { match: true, exact: false, confidence: Math.round(confidence * 1000) / 1000 };
}
