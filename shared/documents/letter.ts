// A printable A4 letter for a mail that could not be e-mailed (no address, or one read with doubt). The mail room
// prints it and posts it in a window envelope (C5 folded once, or C4 flat): the recipient's address sits where the
// Swedish window envelope shows it — 20 mm from the left edge, from 45 mm below the top edge (SS 31 41 for
// window envelopes; a window of about 90 × 40 mm). Above it the sender, to the right date and case reference.
// A letter with no known postal address is still produced and says "ADRESS SAKNAS" in the window, so the mail room
// cannot post it by mistake.
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { winAnsiSafe, wrap } from "./pdf-text.ts";

export interface LetterInput {
  caseId: string;
  /** YYYY-MM-DD */
  date: string;
  /** The address block: recipient (name or unit) first, then street, then "NNN NN City". */
  address: string[];
  /** No postal address known: the window says so (the lines in `address` still name the recipient). */
  addressMissing: boolean;
  subject: string;
  /** Body as plain text (the mail's text part); blank lines separate paragraphs. */
  body: string;
}

const MM = 72 / 25.4;
const A4: [number, number] = [595.28, 841.89];
/** Where the envelope's window is, in millimetres from the page's top-left corner. */
export const LETTER_WINDOW = { left: 20, top: 45, width: 90, height: 40 } as const;
const SENDER_TOP = 15;
const META_LEFT = 120;
const BODY_TOP = 100;
const MARGIN_LEFT = 20;
const MARGIN_RIGHT = 20;
const MARGIN_BOTTOM = 20;

export const LETTER_SENDER = ["Västra Götalandsregionen", "Spärr- och loggservice, 1177 e-tjänster"] as const;
export const ADDRESS_MISSING_TEXT = "ADRESS SAKNAS";
export const ADDRESS_MISSING_NOTE = "Postöppningen: skriv eller klistra på adressen innan brevet skickas.";

interface Pen {
  page: PDFPage;
  font: PDFFont;
  bold: PDFFont;
}

/** Draws one line with its top at `topMm` millimetres below the page's top edge; returns the next line's top. */
function line(pen: Pen, text: string, leftMm: number, topMm: number, size: number, f: PDFFont = pen.font): number {
  const y = A4[1] - topMm * MM - size;
  pen.page.drawText(winAnsiSafe(f, text), { x: leftMm * MM, y, size, font: f, color: rgb(0, 0, 0) });
  return topMm + (size * 1.3) / MM;
}

function addressBlock(pen: Pen, input: LetterInput): void {
  const { left, top, width } = LETTER_WINDOW;
  const size = 11;
  let at = top + 2;
  const widthPt = (width - 4) * MM;
  if (input.addressMissing) at = line(pen, ADDRESS_MISSING_TEXT, left + 2, at, 12, pen.bold);
  for (const raw of input.address.map((l) => l.trim()).filter(Boolean)) {
    // A line too long for the window is wrapped, never drawn outside it.
    for (const part of wrap(pen.font, size, winAnsiSafe(pen.font, raw), widthPt))
      at = line(pen, part, left + 2, at, size);
  }
  if (input.addressMissing) {
    for (const part of wrap(pen.font, 8, ADDRESS_MISSING_NOTE, widthPt)) at = line(pen, part, left + 2, at, 8);
  }
}

export async function renderLetterPdf(input: LetterInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Ärende ${input.caseId}`);
  doc.setAuthor("Spärr- och loggservice, 1177 e-tjänster");
  doc.setCreationDate(new Date(`${input.date}T00:00:00Z`));
  doc.setModificationDate(new Date(`${input.date}T00:00:00Z`));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const pen: Pen = { page: doc.addPage(A4), font, bold };

  let top = SENDER_TOP;
  top = line(pen, LETTER_SENDER[0], MARGIN_LEFT, top, 11, bold);
  line(pen, LETTER_SENDER[1], MARGIN_LEFT, top, 10);
  let meta = SENDER_TOP;
  meta = line(pen, `Datum: ${input.date}`, META_LEFT, meta, 10);
  line(pen, `Ärende: ${input.caseId}`, META_LEFT, meta, 10);
  addressBlock(pen, input);

  const width = A4[0] - (MARGIN_LEFT + MARGIN_RIGHT) * MM;
  let y = BODY_TOP;
  const draw = (text: string, f: PDFFont, size: number) => {
    // Line by line: the text's own line breaks (the case rows) are kept, long lines wrapped.
    for (const textLine of text.split("\n")) {
      for (const part of wrap(f, size, winAnsiSafe(f, textLine), width)) {
        if (A4[1] - y * MM - size < MARGIN_BOTTOM * MM) {
          pen.page = doc.addPage(A4);
          y = SENDER_TOP;
        }
        y = line(pen, part, MARGIN_LEFT, y, size, f);
      }
    }
  };
  draw(input.subject, bold, 12);
  y += 3;
  for (const paragraph of input.body.split(/\n{2,}/)) {
    draw(paragraph.trim(), font, 11);
    y += 3;
  }
  return doc.save();
}
