// Putting back the letters the handwriting model cannot write. The PP-OCR dictionary has "ä" but no "å" or "ö",
// so where its reading wins over tesseract's it says "Boras" for "Borås". Tesseract's reading of the same line
// knows the Swedish letters: where the two readings align on the same base letter, tesseract's accented form is
// taken. Nothing else of tesseract's reading is used (where they differ, the winning reading stays as it is).

/** The letter without its accents, lower case ("Å" → "a"). */
function base(c: string): string {
  return c
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

const accented = (c: string): boolean => c.normalize("NFD") !== c;

/** Same case as `like` (a capital stays a capital). */
function inCaseOf(c: string, like: string): string {
  return like === like.toUpperCase() && like !== like.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
}

/**
 * `winner` with the accents of `other` where they align on the same base letter and `winner` has none there.
 * Alignment: a Levenshtein alignment on base letters.
 */
export function restoreDiacritics(winner: string, other: string): string {
  const a = [...winner];
  const b = [...other];
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return winner;
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) =>
    Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const sub = base(a[i - 1] as string) === base(b[j - 1] as string) ? 0 : 1;
      (d[i] as number[])[j] = Math.min(
        (d[i - 1]?.[j] as number) + 1,
        (d[i]?.[j - 1] as number) + 1,
        (d[i - 1]?.[j - 1] as number) + sub,
      );
    }
  }
  const out = [...a];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const ca = a[i - 1] as string;
    const cb = b[j - 1] as string;
    const here = d[i]?.[j] as number;
    if (base(ca) === base(cb) && here === d[i - 1]?.[j - 1]) {
      // Same letter: tesseract's accent when the winner has none.
      if (!accented(ca) && accented(cb)) out[i - 1] = inCaseOf(cb, ca);
      i--;
      j--;
    } else if (here === (d[i - 1]?.[j - 1] as number) + 1) {
      i--;
      j--;
    } else if (here === (d[i - 1]?.[j] as number) + 1) {
      i--;
    } else {
      j--;
    }
  }
  return out.join("");
}
