// A printable A4 letter for a case without any e-mail address on the form: the same text as the mail,
// printed by the mail room and posted to the vouching clinic.
import { PDFDocument, rgb, StandardFonts } from "pdf-lib";
import { winAnsiSafe, wrap } from "./pdf-text.ts";

export interface LetterInput {
  caseId: string;
  /** YYYY-MM-DD */
  date: string;
  /** Recipient lines (clinic, caregiver) as written on the form; may be empty. */
  recipient: string[];
  subject: string;
  /** Body as plain text (the mail's text part); blank lines separate paragraphs. */
  body: string;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

export async function renderLetterPdf(input: LetterInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Ärende ${input.caseId}`);
  doc.setAuthor("Spärr- och loggservice, 1177 e-tjänster");
  doc.setCreationDate(new Date(`${input.date}T00:00:00Z`));
  doc.setModificationDate(new Date(`${input.date}T00:00:00Z`));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const width = A4[0] - 2 * MARGIN;
  let page = doc.addPage(A4);
  let y = A4[1] - MARGIN;

  const draw = (text: string, f = font, size = 11, gap = 4) => {
    for (const line of wrap(f, size, winAnsiSafe(f, text), width)) {
      if (y < MARGIN + size) {
        page = doc.addPage(A4);
        y = A4[1] - MARGIN;
      }
      page.drawText(line, { x: MARGIN, y: y - size, size, font: f, color: rgb(0, 0, 0) });
      y -= size + gap;
    }
  };

  draw("Spärr- och loggservice, 1177 e-tjänster", bold, 12);
  draw("Västra Götalandsregionen", font, 10);
  y -= 24;
  for (const line of input.recipient.filter((l) => l.trim())) draw(line);
  y -= 12;
  draw(`Datum: ${input.date}`, font, 10);
  draw(`Ärende: ${input.caseId}`, font, 10);
  y -= 16;
  draw(input.subject, bold, 12);
  y -= 8;
  for (const paragraph of input.body.split(/\n{2,}/)) {
    draw(paragraph.trim());
    y -= 8;
  }
  return doc.save();
}
