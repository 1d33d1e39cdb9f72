// E-mail fields read by OCR: an address is ASCII without spaces and has exactly one "@". OCR turns the "@" into a
// look-alike ("Q", "&", "©", "®", "(a)"), a dot into a space, and adds diacritics ("é" for "e"). Repair only what
// an address cannot contain; never guess when more than one repair fits.

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
export function repairEmail(text: string): { value: string; repaired: boolean; valid: boolean } {
  const raw = text.trim();
  if (raw === "") return { value: "", repaired: false, valid: false };
  let s = ascii(raw).replace(/\(a\)|\[at\]|\(at\)/gi, "@");
  // A space inside an address is a lost dot (dots are small; "anna svensson@x.se").
  s = s.replace(/\s*\.\s*/g, ".").replace(/\s+/g, ".");
  // Box edges and specks at either end: an address starts and ends with a letter or digit.
  s = s.replace(/^[^a-z0-9]+/i, "").replace(/[^a-z0-9]+$/i, "");
  const lower = s.toLowerCase();
  if (isEmailAddress(lower)) return { value: lower, repaired: lower !== raw.toLowerCase(), valid: true };
  if (!s.includes("@")) {
    // Try each look-alike position as the "@"; take it only if exactly one gives an address.
    const fits = new Set<string>();
    for (let i = 1; i < s.length - 3; i++) {
      if (!AT_LOOKALIKES.includes(s[i] as string)) continue;
      const candidate = `${s.slice(0, i)}@${s.slice(i + 1)}`.toLowerCase();
      if (isEmailAddress(candidate)) fits.add(candidate);
    }
    if (fits.size === 1) return { value: [...fits][0] as string, repaired: true, valid: true };
  }
  return { value: lower, repaired: lower !== raw.toLowerCase(), valid: false };
}
