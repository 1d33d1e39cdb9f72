// Rules that compare a paper with the cases before it (pure: the use case hands in the earlier cases).
// - DUPLICATE_SCAN: the same bytes (sha256), or the same form content (form code, action, subject, vouching staff
//   member, vouching date), as an earlier case: a rescan must never act or mail a second time.
// - LATER_CASE_EXISTS: a paper vouched for before the latest executed case with the opposite action for the same
//   subject is stale (an old LOCK rescanned after a later UNLOCK must not lock again).
import type { CaseStatus } from "./case.ts";
import { type Action, FORM_ROLES, type FormCode } from "./forms.ts";
import { isRealDate } from "./personnummer.ts";
import { fold } from "./vocabulary.ts";

export const OPPOSITE_ACTION: Record<Action, Action> = {
  LOCK: "UNLOCK",
  UNLOCK: "LOCK",
  BLOCK: "UNBLOCK",
  UNBLOCK: "BLOCK",
};

/** A real calendar date as YYYY-MM-DD, or null. */
function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2999 || !isRealDate(year, month, day)) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * A date as people write it on the forms: `2025-03-14`, `2025.03.14`, `2025/3/14`, `20250314`, `14/3 2025`,
 * `14/3-2025`, `14.3.2025`; a place before it ("Göteborg 2025-03-14") is ignored. Null when no real date is found
 * (then the caller falls back to the receipt date).
 */
export function parseWrittenDate(text: string | undefined | null): string | null {
  if (!text) return null;
  const s = text.trim();
  const ymd = /(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?!\d)/.exec(s);
  if (ymd) return isoDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const dmy = /(?<!\d)(\d{1,2})\s*[-./]\s*(\d{1,2})\s*[-./\s]\s*(\d{4})(?!\d)/.exec(s);
  if (dmy) return isoDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  const compact = /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/.exec(s);
  if (compact) return isoDate(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  return null;
}

/** The field holding the vouching staff member's date on each form. */
export function vouchingDateField(formCode: FormCode): string {
  return `${FORM_ROLES[formCode].voucher}.date`;
}

/** Letters and digits only, lower case, diacritics folded: "Åsa  Berg-Lind" and "asa berglind" are one person. */
function folded(s: string): string {
  return fold(s).replace(/[^a-z0-9]/g, "");
}

export interface PaperContent {
  formCode: FormCode | null;
  action: Action | null;
  /** 12 digits, or "" when not read. */
  subject: string;
  voucherVgrId: string;
  voucherName: string;
  /** As written on the form. */
  voucherDate: string;
}

/**
 * What makes two papers the same request: form, action, subject, vouching staff member (VGR-ID, else the name) and
 * the vouching date. Null when the paper lacks what identifies it (no form, action, subject, staff member or date):
 * such a paper cannot be matched by content (its bytes still can).
 */
export function contentFingerprint(p: PaperContent): string | null {
  if (!p.formCode || !p.action || p.subject.length !== 12) return null;
  const staff = folded(p.voucherVgrId)
    ? `id:${folded(p.voucherVgrId)}`
    : folded(p.voucherName)
      ? `name:${folded(p.voucherName)}`
      : "";
  const date = parseWrittenDate(p.voucherDate) ?? (folded(p.voucherDate) || "");
  if (!staff || !date) return null;
  return [p.formCode, p.action, p.subject, staff, date].join("|");
}

/** What the rules need to know about an earlier case (the use case builds it from the case record). */
export interface EarlierPaper {
  caseId: string;
  receivedAt: string;
  status: CaseStatus;
  action: Action | null;
  sha256?: string | undefined;
  fingerprint?: string | undefined;
  /** The paper's vouching date (YYYY-MM-DD) or, unreadable, its receipt date. */
  vouchedOn: string;
  /** Itself a duplicate of another case: never counted as the original. */
  duplicateOf?: string | undefined;
  /** The account action was carried out. */
  executed: boolean;
}

export interface CurrentPaper {
  caseId: string;
  sha256?: string | undefined;
  fingerprint?: string | null | undefined;
  action: Action | null;
  vouchedOn: string;
}

/**
 * The earlier case this paper duplicates, or null. Same bytes always count. Same content counts unless the earlier
 * case was RETURNED: a paper sent back for completion and sent in again, completed, is the routine working (it is
 * validated in full again); its byte-identical rescan still counts. Cases that are duplicates themselves are
 * skipped (the original is named), and the earliest original wins.
 */
export function findDuplicate(current: CurrentPaper, earlier: readonly EarlierPaper[]): string | null {
  const originals = earlier
    .filter((e) => e.caseId !== current.caseId && !e.duplicateOf)
    .sort((a, b) =>
      a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.caseId.localeCompare(b.caseId),
    );
  for (const e of originals) {
    if (current.sha256 && e.sha256 === current.sha256) return e.caseId;
    if (current.fingerprint && e.fingerprint === current.fingerprint && e.status !== "RETURNED") return e.caseId;
  }
  return null;
}

/**
 * The latest executed case with the opposite action whose paper was vouched for on or after this paper's date, or
 * null. "On" counts too: two opposite requests vouched for on the same day cannot be ordered from the papers, so a
 * handler decides (the safe side).
 */
export function findLaterCase(current: CurrentPaper, earlier: readonly EarlierPaper[]): string | null {
  if (!current.action) return null;
  const opposite = OPPOSITE_ACTION[current.action];
  const later = earlier
    .filter(
      (e) => e.caseId !== current.caseId && e.executed && e.action === opposite && e.vouchedOn >= current.vouchedOn,
    )
    .sort((a, b) =>
      a.vouchedOn < b.vouchedOn ? 1 : a.vouchedOn > b.vouchedOn ? -1 : b.receivedAt.localeCompare(a.receivedAt),
    );
  return later[0]?.caseId ?? null;
}
