// pdf-lib's StandardFonts use WinAnsi: å ä ö é – are in it, many other characters are not and would throw.
// Text from scans may hold anything, so map to what the font can draw before drawing.
import type { PDFFont } from "pdf-lib";

export function winAnsiSafe(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  let out = "";
  for (const ch of text.normalize("NFC")) {
    const cp = ch.codePointAt(0) ?? 63;
    if (ch === "\t" || ch === "\n" || ch === "\r") out += " ";
    else if (ch === "→") out += "->";
    else if (supported.has(cp)) out += ch;
    else {
      // Decomposed fallback (e.g. "ő" → "o"), else "?".
      const base = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      out += base && [...base].every((c) => supported.has(c.codePointAt(0) ?? 0)) ? base : "?";
    }
  }
  return out;
}

/** Greedy word wrap to a width in points. Very long words are broken. */
export function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
        let n = rest.length - 1;
        while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
        lines.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}
