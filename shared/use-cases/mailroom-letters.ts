// The mail room posts the letters (shared/use-cases/letters.ts): a list of letters waiting to be printed, each
// letter's PDF, and "posted" (audited; the case history says "Brev skickat <datum> av <namn>").
// The list carries no personal data: case reference, kind, date, recipient type and whether the address is missing —
// the letter itself holds the address, and it goes in a window envelope as printed.
import { z } from "zod";
import { actorId, type Principal } from "../auth/principal.ts";
import type { CaseRecord, CaseStatus, LetterRecipient, LetterRecord } from "../domain/case.ts";
import { transition } from "../domain/case-record.ts";
import { CaseNotFoundError, InvalidCaseStateError } from "../domain/errors.ts";
import type { FormCode } from "../domain/forms.ts";
import type { AuditLog } from "../ports/audit-log.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { ScanStore } from "../ports/scan-store.ts";
import { loadCase, saveOnLatest } from "./case-history.ts";
import { swedishDate } from "./urgent-case.ts";

/** A letter's id within its case: kind and recipient, e.g. "confirmation-staff" (URL-safe). */
export const LetterIdSchema = z.string().regex(/^(confirmation|return-notice)-(citizen|staff)$/);

export interface LetterListItem {
  caseId: string;
  letterId: string;
  kind: LetterRecord["kind"];
  formCode: FormCode | null;
  /** YYYY-MM-DD: when the letter was made. */
  date: string;
  recipient: LetterRecipient;
  addressMissing: boolean;
}

export interface PostedLetter extends LetterListItem {
  posted: NonNullable<LetterRecord["posted"]>;
}

export interface LetterDepsForMailroom {
  cases: CaseStore;
  scans: ScanStore;
  audit: AuditLog;
  clock: Clock;
}

/** Letters written before they had a recipient went to the vouching staff member's unit. */
function recipientOf(l: LetterRecord): LetterRecipient {
  return l.recipient ?? "STAFF";
}

export function letterId(l: LetterRecord): string {
  return `${l.kind.toLowerCase().replace("_", "-")}-${recipientOf(l).toLowerCase()}`;
}

function item(c: CaseRecord, l: LetterRecord): LetterListItem {
  return {
    caseId: c.caseId,
    letterId: letterId(l),
    kind: l.kind,
    formCode: c.formCode,
    date: l.at.slice(0, 10),
    recipient: recipientOf(l),
    addressMissing: l.addressMissing === true,
  };
}

/** Statuses a case with a letter can be in (a letter is written by SendMail; a mail in doubt parks the case). */
const LETTER_STATUSES: CaseStatus[] = ["EXECUTED", "RETURNED", "IN_REVIEW", "CLOSED"];

/** Letters waiting to be printed and posted, oldest first; and the ones posted today. */
export async function listLetters(deps: Pick<LetterDepsForMailroom, "cases" | "clock">): Promise<{
  waiting: LetterListItem[];
  postedToday: PostedLetter[];
}> {
  const lists = await Promise.all(LETTER_STATUSES.map((s) => deps.cases.listByStatus(s)));
  const today = swedishDate(deps.clock.now());
  const waiting: LetterListItem[] = [];
  const postedToday: PostedLetter[] = [];
  for (const c of lists.flat()) {
    for (const l of c.letters ?? []) {
      if (!l.posted) waiting.push(item(c, l));
      else if (swedishDate(new Date(l.posted.at)) === today) postedToday.push({ ...item(c, l), posted: l.posted });
    }
  }
  const order = (a: LetterListItem, b: LetterListItem) =>
    a.date.localeCompare(b.date) || a.caseId.localeCompare(b.caseId) || a.letterId.localeCompare(b.letterId);
  waiting.sort(order);
  postedToday.sort(order);
  return { waiting, postedToday };
}

function findLetter(record: CaseRecord, id: string): LetterRecord {
  const letter = record.letters?.find((l) => letterId(l) === id);
  if (!letter) throw new CaseNotFoundError(`case ${record.caseId} has no letter ${id}`);
  return letter;
}

/** The letter's PDF for printing. The letter holds personal data (name, address): the read is audited. */
export async function getLetterPdf(
  input: { caseId: string; letterId: string; user: Principal },
  deps: LetterDepsForMailroom,
): Promise<Uint8Array> {
  const record = await loadCase(deps.cases, input.caseId);
  const letter = findLetter(record, input.letterId);
  await deps.audit.append({
    at: deps.clock.now().toISOString(),
    user: actorId(input.user),
    caseId: record.caseId,
    action: "READ_LETTER",
    detail: input.letterId,
  });
  return (await deps.scans.get(letter.bucket, letter.key)).bytes;
}

/** "Brev skickat <datum> av <namn>", as the case history and the case page show it. */
export function postedText(posted: NonNullable<LetterRecord["posted"]>): string {
  return `Brev skickat ${swedishDate(new Date(posted.at))} av ${posted.name}`;
}

/** Marks a letter posted: once (a second time is a 409), audited, written to the case history. */
export async function markLetterPosted(
  input: { caseId: string; letterId: string; user: Principal },
  deps: LetterDepsForMailroom,
): Promise<PostedLetter> {
  const record = await loadCase(deps.cases, input.caseId);
  findLetter(record, input.letterId);
  const at = deps.clock.now().toISOString();
  const posted = { at, by: actorId(input.user), name: input.user.displayName };
  const saved = await saveOnLatest(deps.cases, record, (latest) => {
    const letter = findLetter(latest, input.letterId);
    if (letter.posted) {
      throw new InvalidCaseStateError(`letter ${input.letterId} of case ${latest.caseId} is already posted`);
    }
    return transition(
      latest,
      { letters: (latest.letters ?? []).map((l) => (l === letter ? { ...l, posted } : l)) },
      { at, by: posted.by, what: `${postedText(posted)} (${input.letterId})`, name: posted.name },
    );
  });
  await deps.audit.append({
    at,
    user: posted.by,
    caseId: saved.caseId,
    action: "MARK_LETTER_POSTED",
    detail: input.letterId,
  });
  return { ...item(saved, findLetter(saved, input.letterId)), posted };
}
