// The receipt date is the system's: the arrival time of the upload, in Swedish time. The mail room may set an
// earlier date (the envelope's stamp) only within a window: not in the future, not more than 14 days back. (Not
// before the form's vouching date either: that is checked once the form is read, see ValidateCase.)
import { isRealDate } from "./personnummer.ts";

/** How far back the mail room may date a paper's arrival. */
export const RECEIPT_DATE_WINDOW_DAYS = 14;

export type ReceiptDateProblem = "NOT_A_DATE" | "IN_THE_FUTURE" | "TOO_OLD";

/** A real calendar date in YYYY-MM-DD form. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** `date` (YYYY-MM-DD) moved by `days`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Null when `claimed` may stand as the receipt date of a paper that arrived on `arrival` (both YYYY-MM-DD). */
export function receiptDateProblem(claimed: string, arrival: string): ReceiptDateProblem | null {
  if (!isIsoDate(claimed)) return "NOT_A_DATE";
  if (claimed > arrival) return "IN_THE_FUTURE";
  if (claimed < addDays(arrival, -RECEIPT_DATE_WINDOW_DAYS)) return "TOO_OLD";
  return null;
}

/** The mail room's message (Swedish) for a refused date. */
export function receiptDateMessage(problem: ReceiptDateProblem, claimed: string, arrival: string): string {
  if (problem === "NOT_A_DATE") return `Ankomstdatumet "${claimed}" är inte ett giltigt datum (ÅÅÅÅ-MM-DD).`;
  if (problem === "IN_THE_FUTURE")
    return `Ankomstdatumet ${claimed} ligger i framtiden: ange dagens datum (${arrival}) eller tidigare.`;
  return `Ankomstdatumet ${claimed} är mer än ${RECEIPT_DATE_WINDOW_DAYS} dagar gammalt: det tidigaste som går att ange är ${addDays(arrival, -RECEIPT_DATE_WINDOW_DAYS)}.`;
}
