// Everything that comes from a scan (OCR) or a handler is untrusted text: escape it before it goes into HTML.

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** For the text part: drop control characters (a hostile scan could carry them) and collapse whitespace. */
export function plainText(value: string): string {
  let out = "";
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    out += cp < 0x20 || cp === 0x7f ? " " : ch;
  }
  return out.replace(/\s+/g, " ").trim();
}
