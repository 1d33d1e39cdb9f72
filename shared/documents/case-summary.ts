// One-page case summary archived beside the scan: what was decided and why, and the case history.
// Masked personnummer only; for a protected person no personnummer and no name at all. In Swedish: statuses,
// actions, decisions and the history (translated, Stockholm time), as a person reads it in the archive.
import { PDFDocument, rgb, StandardFonts } from "pdf-lib";
import type { CaseRecord } from "../domain/case.ts";
import { maskPersonnummer } from "../domain/case.ts";
import { FORM_TITLES } from "../domain/forms.ts";
import { ACTION_SV, DECISIONS, historyText, localTime, personName, RESULTS, STATUS_SV } from "../i18n/history-sv.ts";
import { scrubPersonnummer } from "../mail/render.ts";
import { REASON_TEXTS } from "../mail/templates/sv.ts";
import { winAnsiSafe, wrap } from "./pdf-text.ts";

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;

export async function renderCaseSummaryPdf(record: CaseRecord, generatedAt: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Ärendesammanfattning ${record.caseId}`);
  doc.setCreationDate(new Date(generatedAt));
  doc.setModificationDate(new Date(generatedAt));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage(A4);
  const width = A4[0] - 2 * MARGIN;
  let y = A4[1] - MARGIN;
  const bottom = MARGIN + 14;

  /** Draws wrapped text; returns false when the page is full (the summary is one page by design). */
  const draw = (text: string, f = font, size = 10, gap = 3): boolean => {
    for (const line of wrap(f, size, winAnsiSafe(f, text), width)) {
      if (y - size < bottom) return false;
      page.drawText(line, { x: MARGIN, y: y - size, size, font: f, color: rgb(0, 0, 0) });
      y -= size + gap;
    }
    return true;
  };

  const protectedPerson = record.registry?.protectedIdentity === true;
  draw(`Ärendesammanfattning – ${record.caseId}`, bold, 14, 8);
  draw("Spärr- och loggservice, 1177 e-tjänster", font, 9, 10);
  const rows: Array<[string, string]> = [
    ["Ärende", record.caseId],
    [
      "Blankett",
      record.formCode
        ? `${record.formCode} ${record.formVersion ?? ""} – ${FORM_TITLES[record.formCode]}`
        : "okänt dokument",
    ],
    ["Åtgärd", record.action ? (ACTION_SV[record.action] ?? record.action) : "ingen"],
    ["Inkom", record.receivedDate],
    ["Beslut", record.decision ? (DECISIONS[record.decision] ?? record.decision) : "inget"],
    ["Skäl", record.reasons.length > 0 ? record.reasons.map((r) => REASON_TEXTS[r] ?? r).join(" ") : "inga"],
    [
      "Personnummer",
      protectedPerson ? "skyddad identitet – visas inte" : maskPersonnummer(record.subjectPersonnummer) || "saknas",
    ],
    ["Status", STATUS_SV[record.status] ?? record.status],
  ];
  if (record.handlerDecision)
    rows.push([
      "Handläggarbeslut",
      `${DECISIONS[record.handlerDecision.decision] ?? record.handlerDecision.decision} (${personName(record.handlerDecision.by)}, ${localTime(record.handlerDecision.at)})`,
    ]);
  if (record.execution) {
    rows.push([
      "Utförande",
      `${RESULTS[record.execution.result] ?? record.execution.result} ${localTime(record.execution.at)}`,
    ]);
  }
  const kind = (k: string) => (k === "CONFIRMATION" ? "Bekräftelse" : "Returbesked");
  for (const m of record.mails ?? [])
    rows.push(["E-post", `${kind(m.kind)} ${localTime(m.at)} (${m.to.length} mottagare)`]);
  for (const l of record.letters ?? []) rows.push(["Brev", `${kind(l.kind)} ${localTime(l.at)}`]);
  for (const [k, v] of rows) draw(`${k}: ${v}`);
  y -= 8;
  draw("Historik", bold, 11, 5);
  const history = record.history;
  for (let i = 0; i < history.length; i++) {
    const h = history[i];
    if (!h) continue;
    // Keep room for the "more entries" line so the summary stays one page.
    if (y - 2 * 13 < bottom && i < history.length - 1) {
      draw(`… ytterligare ${history.length - i} händelser finns i ärendet`);
      break;
    }
    const line = `${localTime(h.at)}  ${personName(h.by)}: ${historyText(h.what)}`;
    if (!draw(scrubPersonnummer(line), font, 8, 2)) break;
  }
  return doc.save();
}
