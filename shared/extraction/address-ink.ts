// Does the ink of an e-mail field account for its reading, letter for letter? A confident OCR reading of an address
// can still be wrong in exactly the characters that matter: the small marks `_ . -` vanish (a faint underscore is
// below the ink threshold, a dot is taken for dust) and the reading looks certain ("gostalindberg@…" for
// "gosta_lindberg@…", someone else's mailbox); a mark the address alphabet has no letter for (the dots of "ö") makes
// the OCR pick a look-alike ("6gonkliniken", "dgonkliniken"). Each check below compares what the ink shows with what
// the reading claims; a mismatch makes the address doubtful (never mailed: a letter instead).
// - marks below the line: every descending mark (g j p q y _) must be a descending letter of the reading;
// - small marks above the line: only i and j carry a dot in an address (an umlaut or accent has no letter);
// - faint marks: writing lighter than the ink threshold on the line, away from the kept ink (a faint `_ . -`).
import { isNearMissDomain, repairEmail } from "./email.ts";
import { FIELD_PX_PER_MM, INK_THRESHOLD, type InkMask } from "./ink.ts";
import { connectedComponents, type Gray } from "./raster.ts";

/** Letters of an address that reach below the line (the "@" of some fonts may, or not). */
const DESCENDING = new Set(["g", "j", "p", "q", "y", "_"]);
const MAY_DESCEND = new Set(["@", "f"]);
/** Letters that carry a dot above the line (it may also touch the stem: then it is no mark of its own). */
const DOTTED = new Set(["i", "j"]);
/** Smaller marks above the line are dust the ink cleaning kept beside the writing (an i-dot or umlaut dot is larger). */
const DOT_MIN_MM2 = 0.1;
/** Grey levels between this and INK_THRESHOLD are faint writing (paper and the dropout print are lighter). */
const FAINT_THRESHOLD = 228;
/** A faint mark at least this large (mm²) that no kept ink explains: a faint `_`, `-` or `.` (dust is smaller). */
const FAINT_MARK_MM2 = 0.06;
/** Faint pixels this close (px) to kept ink are its anti-aliased edge, not a mark of their own. */
const EDGE_PX = 3;

/** An address that is valid but not certain letter for letter, and one that is no address: below the mail line. */
const ADDRESS_NOT_CERTAIN = 0.45;
const ADDRESS_INVALID = 0.3;

/**
 * An e-mail field's reading as the reader hands it on. An address has rules the OCR does not know: repair what it
 * cannot contain (email.ts); doubt what stays invalid, a repair that guessed a character, a domain one letter from a
 * well-known one, and a reading the ink does not bear out letter for letter — such an address is never mailed.
 */
export function addressReading(
  read: { value: string; confidence: number },
  region: Gray,
  ink: InkMask,
): { value: string; confidence: number } {
  const email = repairEmail(read.value);
  const certain =
    email.valid &&
    !email.guessed &&
    !isNearMissDomain(email.value) &&
    addressInkDoubts(email.value, region, ink).length === 0;
  if (certain) return { value: email.value, confidence: read.confidence };
  return {
    value: email.value,
    confidence: Math.min(read.confidence, email.valid ? ADDRESS_NOT_CERTAIN : ADDRESS_INVALID),
  };
}

export type AddressInkDoubt = "UNREAD_DESCENDER" | "UNREAD_MARK_ABOVE" | "FAINT_MARK";

interface Blob {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  px: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/**
 * What in the field's ink the reading does not account for (empty: the ink agrees). `region` is the field's
 * resampled crop and `ink` its written-ink mask (fields.ts fieldInk).
 */
export function addressInkDoubts(reading: string, region: Gray, ink: InkMask): AddressInkDoubt[] {
  const text = reading.toLowerCase();
  if (text === "" || !ink.bounds) return [];
  const { width: w, height: h } = ink;
  const blobs: Blob[] = connectedComponents(ink.mask, w, h, true).map((c) => ({ ...c, px: c.px.length }));
  const mm2 = FIELD_PX_PER_MM * FIELD_PX_PER_MM;
  const letters = blobs.filter((b) => b.px >= 0.12 * mm2);
  if (letters.length < 3) return [];
  // The line: most letters sit on the baseline and most reach the x-height.
  const baseline = median(letters.map((b) => b.y1));
  const top = median(letters.map((b) => b.y0));
  const xHeight = Math.max(1, baseline - top);
  const doubts: AddressInkDoubt[] = [];

  // Marks below the line: a letter (or underscore) reaching below it by a quarter of the x-height.
  const below = blobs.filter((b) => b.px >= 0.1 * mm2 && b.y1 > baseline + 0.25 * xHeight && b.y0 < baseline + xHeight);
  const chars = [...text];
  const sure = chars.filter((c) => DESCENDING.has(c)).length;
  const maybe = chars.filter((c) => MAY_DESCEND.has(c)).length;
  if (below.length > sure + maybe) doubts.push("UNREAD_DESCENDER");

  // Small marks above the line, clear of the letters. Over a narrow letter it is the dot of an i or j; over a wide
  // short letter two dots (or one as wide as half the letter) are an umlaut — an address has no letter for it, the
  // OCR picks a look-alike ("6gonkliniken"); a single speck over a wide letter is dust.
  const marks = blobs.filter(
    (b) => b.px >= DOT_MIN_MM2 * mm2 && b.px < 0.5 * mm2 && b.y1 < top + 0.25 * xHeight && b.y0 < top,
  );
  const marksOver = new Map<Blob, Blob[]>();
  for (const m of marks) {
    const under = letters.find((b) => b !== m && b.x0 <= m.x1 + 1 && b.x1 >= m.x0 - 1 && b.y0 > m.y1);
    // Over a tall letter (d, l, t) it is no dot at all.
    if (!under || under.y0 < top - 0.3 * xHeight) continue;
    marksOver.set(under, [...(marksOver.get(under) ?? []), m]);
  }
  let dots = 0;
  let umlaut = false;
  for (const [letter, over] of marksOver) {
    const width = letter.x1 - letter.x0 + 1;
    if (width <= 0.6 * xHeight) dots++;
    else if (over.length >= 2 || over.some((m) => m.x1 - m.x0 + 1 >= 0.6 * width)) umlaut = true;
  }
  const dotted = [...text].filter((c) => DOTTED.has(c)).length;
  if (umlaut || dots > dotted) doubts.push("UNREAD_MARK_ABOVE");

  // Faint marks on the line (between the ascender and the descender zone), away from the kept ink.
  const { x0, x1 } = ink.bounds;
  const yTop = Math.max(0, Math.floor(top - 0.8 * xHeight));
  const yBottom = Math.min(h - 1, Math.ceil(baseline + 0.8 * xHeight));
  const faint = new Uint8Array(w * h);
  for (let y = yTop; y <= yBottom; y++) {
    for (let x = Math.max(0, x0 - EDGE_PX); x <= Math.min(w - 1, x1 + EDGE_PX); x++) {
      const v = region.data[y * region.width + x] as number;
      if (v < INK_THRESHOLD || v >= FAINT_THRESHOLD || nearInk(ink, x, y)) continue;
      faint[y * w + x] = 1;
    }
  }
  if (connectedComponents(faint, w, h, true).some((c) => c.px.length >= FAINT_MARK_MM2 * mm2)) {
    doubts.push("FAINT_MARK");
  }
  return doubts;
}

function nearInk(ink: InkMask, x: number, y: number): boolean {
  for (let dy = -EDGE_PX; dy <= EDGE_PX; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= ink.height) continue;
    for (let dx = -EDGE_PX; dx <= EDGE_PX; dx++) {
      const xx = x + dx;
      if (xx >= 0 && xx < ink.width && ink.mask[yy * ink.width + xx]) return true;
    }
  }
  return false;
}
