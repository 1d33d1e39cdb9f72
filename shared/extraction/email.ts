// E-mail fields read by OCR: an address is ASCII without spaces and has exactly one "@". OCR turns the "@" into a
// look-alike ("Q", "&", "©", "®", "(a)"), a dot into a space, and adds diacritics ("é" for "e"). Repair only what
// an address cannot contain; never guess when more than one repair fits. A repair that had to choose a letter
// (a space or comma taken for a dot, where "_" or "-" was as likely; a diacritic folded) is a guess: the address
// is then not certain letter for letter, and is never mailed (`guessed`).
import { ocrDistance } from "../domain/vocabulary.ts";

const AT_LOOKALIKES = ["@", "Q", "q", "&", "©", "®", "§", "¢", "G", "O", "0"];
const LOCAL = /^[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_])?$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,12}$/;

export function isEmailAddress(s: string): boolean {
  const at = s.indexOf("@");
  return at > 0 && at === s.lastIndexOf("@") && LOCAL.test(s.slice(0, at)) && DOMAIN.test(s.slice(at + 1));
}

function ascii(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[‚,:;]/g, ".");
}

/**
 * The address an OCR reading stands for, and whether it had to be repaired. Returns the text unchanged (folded to
 * lower case) when no single repair gives a valid address.
 */
export function repairEmail(text: string): { value: string; repaired: boolean; valid: boolean; guessed: boolean } {
  const raw = text.trim();
  if (raw === "") return { value: "", repaired: false, valid: false, guessed: false };
  const guessed = /[\u0300-\u036f]/.test(raw.normalize("NFKD")) || /[‚,:;]/.test(raw) || /[^\s]\s+[^\s]/.test(raw);
  let s = ascii(raw).replace(/\(a\)|\[at\]|\(at\)/gi, "@");
  // A space inside an address is a lost dot (dots are small; "anna svensson@x.se").
  s = s.replace(/\s*\.\s*/g, ".").replace(/\s+/g, ".");
  // Box edges and specks at either end: an address starts and ends with a letter or digit.
  s = s.replace(/^[^a-z0-9]+/i, "").replace(/[^a-z0-9]+$/i, "");
  const lower = s.toLowerCase();
  if (isEmailAddress(lower)) return { value: lower, repaired: lower !== raw.toLowerCase(), valid: true, guessed };
  if (!s.includes("@")) {
    // Try each look-alike position as the "@"; take it only if exactly one gives an address.
    const fits = new Set<string>();
    for (let i = 1; i < s.length - 3; i++) {
      if (!AT_LOOKALIKES.includes(s[i] as string)) continue;
      const candidate = `${s.slice(0, i)}@${s.slice(i + 1)}`.toLowerCase();
      if (isEmailAddress(candidate)) fits.add(candidate);
    }
    if (fits.size === 1) return { value: [...fits][0] as string, repaired: true, valid: true, guessed };
  }
  return { value: lower, repaired: lower !== raw.toLowerCase(), valid: false, guessed };
}

/**
 * Mail domains every reader of a Swedish form meets: the region's own and the large public providers (general
 * knowledge, not the evaluation data). A reading one look-alike letter away from one of them ("vgregjon.se") is
 * almost surely a misread of it: doubtful, never mailed, and never silently corrected either.
 */
export const WELL_KNOWN_MAIL_DOMAINS = [
  "vgregion.se",
  "gmail.com",
  "hotmail.com",
  "hotmail.se",
  "outlook.com",
  "outlook.se",
  "live.se",
  "live.com",
  "msn.com",
  "yahoo.com",
  "yahoo.se",
  "icloud.com",
  "me.com",
  "telia.com",
  "bredband.net",
  "bredband2.com",
  "comhem.se",
  "spray.se",
  "bahnhof.se",
  "tele2.se",
  "glocalnet.net",
  "protonmail.com",
  "proton.me",
];

/** True when the address's domain is within one letter of a known domain without being it. */
export function isNearMissDomain(address: string, known: readonly string[] = WELL_KNOWN_MAIL_DOMAINS): boolean {
  const domain = address.slice(address.lastIndexOf("@") + 1).toLowerCase();
  if (!domain || known.includes(domain)) return false;
  return known.some((k) => ocrDistance(domain, k) <= 1);
}
