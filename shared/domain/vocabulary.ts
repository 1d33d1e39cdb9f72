// Comparing OCR text with known values: folding, an OCR-aware edit distance, and snapping a read to a
// closed vocabulary only when it is clearly nearest. Used for names (names.ts) and caregivers (caregivers.ts).
//
// Thresholds (why these numbers):
// - The distance is a Levenshtein distance where a substitution of two glyphs OCR engines confuse
//   (o/0, l/1/i, rn/m, c/e, u/v, …) costs 0.5 and any other edit costs 1. Transpositions are NOT cheap:
//   OCR does not swap letters, people's names do ("Kristina" / "Kristian" costs 2).
// - A word of n folded characters tolerates: n ≤ 5 → 0.5 (one look-alike glyph only: "Karin" ≠ "Katrin"),
//   6 ≤ n ≤ 8 → 1, n ≥ 9 → 1.5. The brief's suggestion (1 edit up to 6 chars, 2 beyond) would let "Kristina" and
//   "Kristian", or "Christina" and "Christian", pass as the same name; these tolerances do not.
// - Multi-word values are compared word by word (each word within its own tolerance), so a whole word
//   that differs ("Väst" / "Öst") is never noise however long the rest of the name is.

/** Lower case, diacritics stripped (å/ä → a, ö → o, é → e …), hyphens, any punctuation and symbol (also typographic
 *  quotes an OCR puts into a name) as spaces, spaces collapsed. */
export function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[æ]/g, "ae")
    .replace(/[ø]/g, "o")
    .replace(/ß/g, "ss")
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Case-insensitive, extra spaces ignored, diacritics kept (the contract's caregiver comparison). */
export function normaliseSpacesAndCase(s: string): string {
  return s.replace(/\s+/g, " ").trim().toLocaleLowerCase("sv-SE");
}

// Pairs of glyph sequences OCR engines confuse on printed and hand-written Latin text (after folding).
const CONFUSABLE_PAIRS: Array<[string, string]> = [
  ["o", "0"],
  ["l", "1"],
  ["i", "1"],
  ["i", "l"],
  ["i", "j"],
  ["s", "5"],
  ["b", "8"],
  ["b", "6"],
  ["z", "2"],
  ["g", "9"],
  ["q", "9"],
  ["g", "q"],
  ["c", "e"],
  ["e", "o"],
  ["a", "o"],
  ["u", "v"],
  ["n", "h"],
  ["n", "r"],
  ["t", "f"],
  ["rn", "m"],
  ["vv", "w"],
  ["cl", "d"],
  ["ri", "n"],
  ["in", "m"],
];
const CONFUSION_COST = 0.5;
const confusable = new Map<string, string[]>();
for (const [a, b] of CONFUSABLE_PAIRS) {
  confusable.set(a, [...(confusable.get(a) ?? []), b]);
  confusable.set(b, [...(confusable.get(b) ?? []), a]);
}

/** OCR-aware edit distance between two (already folded) strings. */
export function ocrDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  const d: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i <= n; i++) (d[i] as number[])[0] = i;
  for (let j = 0; j <= m; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= n; i++) {
    const row = d[i] as number[];
    for (let j = 1; j <= m; j++) {
      const ca = a[i - 1] as string;
      const cb = b[j - 1] as string;
      let sub = 1;
      if (ca === cb) sub = 0;
      else if (confusable.get(ca)?.includes(cb)) sub = CONFUSION_COST;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + sub);
      // Multi-glyph confusions (rn ↔ m, …): one or two glyphs on either side.
      for (const [la, lb] of [
        [2, 1],
        [1, 2],
        [2, 2],
      ] as const) {
        if (i >= la && j >= lb) {
          const sa = a.slice(i - la, i);
          const sb = b.slice(j - lb, j);
          if (confusable.get(sa)?.includes(sb)) best = Math.min(best, at(i - la, j - lb) + CONFUSION_COST);
        }
      }
      row[j] = best;
    }
  }
  return at(n, m);
}

/** How much OCR noise a word of this many folded characters may carry and still be that word. */
export function wordTolerance(length: number): number {
  if (length <= 5) return 0.5;
  if (length <= 8) return 1;
  return 1.5;
}

export interface PhraseDistance {
  /** Sum of the word distances (or of the whole phrase when word counts differ). */
  distance: number;
  /** Whether every word is within its tolerance (see wordTolerance). */
  withinNoise: boolean;
  /** Sum of the tolerances that applied: distance / tolerance is the normalised distance. */
  tolerance: number;
}

/**
 * Distance between two folded phrases, word by word when they have as many words; otherwise (OCR merged or
 * split words) over the phrase without spaces, with the tolerance of one word of that length.
 */
export function phraseDistance(readFolded: string, knownFolded: string): PhraseDistance {
  const rw = readFolded.split(" ").filter(Boolean);
  const kw = knownFolded.split(" ").filter(Boolean);
  if (rw.length === kw.length && rw.length > 0) {
    let distance = 0;
    let tolerance = 0;
    let withinNoise = true;
    for (let i = 0; i < rw.length; i++) {
      const r = rw[i] as string;
      const k = kw[i] as string;
      const dist = ocrDistance(r, k);
      const tol = wordTolerance(k.length);
      distance += dist;
      tolerance += tol;
      if (dist > tol) withinNoise = false;
    }
    return { distance, withinNoise, tolerance };
  }
  const r = rw.join("");
  const k = kw.join("");
  const distance = ocrDistance(r, k);
  const tolerance = wordTolerance(Math.min(k.length, 8));
  return { distance, withinNoise: distance <= tolerance, tolerance };
}

/** Confidence of a read that is `distance` away from a known value with this tolerance: 1 exact, ≥ 0.6 within noise. */
export function confidenceFromDistance(distance: number, tolerance: number): number {
  if (distance === 0) return 1;
  if (tolerance <= 0 || distance > tolerance) return 0;
  return Math.round((1 - 0.4 * (distance / tolerance)) * 1000) / 1000;
}

export interface SnapResult {
  /** The known value the text is clearly nearest to, or null. */
  value: string | null;
  /** Distance to the nearest known value (Infinity for an empty vocabulary). */
  distance: number;
  /** 1 for an exact (folded) match, 0.6–1 for a snap within OCR noise, 0 when not snapped. */
  confidence: number;
  /** Distance to the second-nearest known value (Infinity when there is none). */
  runnerUpDistance: number;
  /** The nearest known value even when not snapped (for messages to handlers), or null. */
  nearest: string | null;
}

/** The runner-up must be at least this much farther than the nearest, and itself beyond noise. */
export const SNAP_MARGIN = 1;

/**
 * Snap OCR text to a closed vocabulary: only when it is within OCR noise of one value (word by word) AND the
 * runner-up is clearly farther (≥ SNAP_MARGIN and not itself within noise). Values that fold to the same
 * string count as one. "Kvinnohälsan Öst AB" never snaps to "Kvinnohälsan Väst AB" (the word "ost" is
 * 1.5 from "vast", beyond a 4-letter word's 0.5).
 */
export function snapToVocabulary(text: string, vocabulary: readonly string[]): SnapResult {
  const read = fold(text);
  const scored = new Map<string, { value: string; d: PhraseDistance }>();
  for (const value of vocabulary) {
    const key = fold(value);
    if (!key || scored.has(key)) continue;
    scored.set(key, { value, d: phraseDistance(read, key) });
  }
  const ranked = [...scored.values()].sort((x, y) => x.d.distance - y.d.distance);
  const best = ranked[0];
  const second = ranked[1];
  const runnerUpDistance = second ? second.d.distance : Number.POSITIVE_INFINITY;
  if (!best || !read) {
    return {
      value: null,
      distance: best ? best.d.distance : Number.POSITIVE_INFINITY,
      confidence: 0,
      runnerUpDistance,
      nearest: best?.value ?? null,
    };
  }
  const clearMargin = !second || (runnerUpDistance - best.d.distance >= SNAP_MARGIN && !second.d.withinNoise);
  const snapped = best.d.distance === 0 || (best.d.withinNoise && clearMargin);
  return {
    value: snapped ? best.value : null,
    distance: best.d.distance,
    confidence: snapped ? confidenceFromDistance(best.d.distance, best.d.tolerance) : 0,
    runnerUpDistance,
    nearest: best.value,
  };
}
