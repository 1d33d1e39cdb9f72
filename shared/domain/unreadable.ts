// An unreadable scan stays visible: why it could not be read, in plain Swedish for the handler and the mail
// room (the reader's reasons are English and technical, shared/extraction/decode.ts). Pure: from the case's
// recorded reason only.

/** The prefix ReadForm writes into reviewReason for an unreadable scan (shared/use-cases/read-form.ts). */
const READ_FORM_PREFIX = /^The scan could not be read \((.*)\); check the original file\.$/s;

const TEXTS: ReadonlyArray<[RegExp, string]> = [
  [/empty/i, "Filen är tom."],
  [/encrypted/i, "PDF-filen är krypterad."],
  [
    /not a PNG, JPEG, TIFF or PDF|unrecognised content/i,
    "Filen är inte en bild eller PDF (PNG, JPEG, TIFF eller PDF).",
  ],
  [/at most .* is accepted/i, "Filen är för stor."],
  [/pages; at most/i, "Filen har för många sidor."],
  [/exceeds .* per page/i, "Bilden har för många bildpunkter."],
  [/timed out|took longer/i, "Det tog för lång tid att läsa filen."],
  [
    /PDF .*(damaged|no pages|no scanned image|filter chain)|PDF is damaged/i,
    "PDF-filen är skadad eller saknar skannad bild.",
  ],
  [/corrupt|truncated|no image size|converted to grey/i, "Filen är skadad eller ofullständig."],
];

export const RESCAN_REQUEST = "Skanna blanketten igen och ladda upp den på nytt.";

/** The reader's reason (English) of an unreadable scan, if the case was parked or failed for one. */
export function unreadableCause(c: {
  reviewReason?: string | undefined;
  failure?: { error: string; cause: string } | undefined;
}): string | null {
  const m = c.reviewReason ? READ_FORM_PREFIX.exec(c.reviewReason) : null;
  if (m) return m[1] ?? "";
  if (c.failure?.error === "UnreadableScanError") return c.failure.cause;
  return null;
}

/** Plain Swedish for an unreadable scan's reason (one line, no technical detail). */
export function unreadableText(cause: string): string {
  return TEXTS.find(([re]) => re.test(cause))?.[1] ?? "Filen kunde inte läsas.";
}
