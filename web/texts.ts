// Swedish texts for reason codes, statuses and decisions shown to handlers.
import { ACTION_SV, STATUS_SV } from "../shared/i18n/history-sv.ts";

export const REASON_TEXTS: Record<string, string> = {
  NOT_VIDIMATED: "Ej vidimerad (namn eller underskrift saknas)",
  ACTION_MISSING: "Åtgärd saknas eller båda rutorna ikryssade",
  CITIZEN_SIGNATURE_MISSING: "Invånarens underskrift saknas",
  AGE_NOT_ELIGIBLE: "Åldern stämmer inte med blanketten",
  THREAT_CHECK_MISSING: "Verksamhetschefens kontroll av hotbild saknas",
  CAREGIVER_NOT_APPROVED: "Vårdgivaren är inte godkänd",
  PNR_INVALID: "Ogiltigt personnummer",
  PERSON_NOT_FOUND: "Personen finns inte i folkbokföringen",
  NAME_MISMATCH: "Namnet stämmer inte med folkbokföringen",
  PHONE_VERIFICATION: "VGR-ID saknas – verifiera per telefon",
  PROTECTED_IDENTITY: "Skyddad identitet",
  GUARDIAN_MISMATCH: "Vårdnadshavare stämmer inte med folkbokföringen",
  STAFF_NOT_VERIFIED: "Vidimerande personal kunde inte bekräftas i personalkatalogen",
  DUPLICATE_SCAN: "Samma blankett har redan kommit in (dubblett)",
  LATER_CASE_EXISTS: "Ett senare ärende med motsatt åtgärd finns",
  UNRECOGNIZED_DOCUMENT: "Okänd handling (inte en av blanketterna)",
  LOW_CONFIDENCE: "Osäker tolkning av ett avgörande fält",
  PRIOR_OPEN_CASE: "Det finns ett tidigare öppet ärende",
  REGISTRY_UNAVAILABLE: "Folkbokföringen kunde inte nås",
  CHILD_PROTECTED_NO_BLOCK_NEEDED: "Barnet har skyddad identitet",
  FAILED: "Tekniskt fel i flödet",
  // Queue filters by status (shared/use-cases/review-queue.ts STATUS_KEYS).
  AWAITING_MANUAL_EXECUTION: "Väntar på manuell åtgärd",
  AWAITING_SECOND_APPROVAL: "Väntar på andra handläggare",
  NONE: "Ingen orsak angiven",
};

// Statuses and actions: the one Swedish list the summary PDF and the history translation use too.
export const STATUS_TEXTS: Record<string, string> = STATUS_SV;
export const ACTION_TEXTS: Record<string, string> = ACTION_SV;

export function reasonText(code: string): string {
  return REASON_TEXTS[code] ?? code;
}
export function statusText(code: string): string {
  return STATUS_TEXTS[code] ?? code;
}
