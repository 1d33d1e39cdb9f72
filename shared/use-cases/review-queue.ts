// The handlers' lists: the queue (cases waiting for a person, oldest first, with counts per reason), the cases
// the pipeline is still working on (so a stuck one is seen), and urgent actions waiting for their paper.
// Every case that is not final is in one of them. List items carry the masked personnummer only, never names.
import type { CaseRecord, CaseStatus } from "../domain/case.ts";
import { maskPersonnummer } from "../domain/case.ts";
import { namesInHistory } from "../domain/case-record.ts";
import type { Action, FormCode, ReasonCode } from "../domain/forms.ts";
import { FOUR_EYES_PARKED } from "../domain/four-eyes.ts";
import { unreadableCause, unreadableText } from "../domain/unreadable.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import { swedishDate } from "./urgent-case.ts";

export interface QueueItem {
  caseId: string;
  version: number;
  status: CaseStatus;
  receivedAt: string;
  receivedDate: string;
  formCode: FormCode | null;
  action: Action | null;
  reasons: ReasonCode[];
  maskedPersonnummer: string;
  claimedBy: string | null;
  manual: boolean;
  /** AWAITING_SECOND_APPROVAL: who proposed the approval (a different handler must approve it). */
  proposedBy: string | null;
  /** An urgent protective action run on one handler's word, waiting for its paper form. */
  followUp: boolean;
  /** Why the case waits when no reason code says it (an unreadable file, four eyes), in Swedish; else null. */
  note: string | null;
  /** Urgent: created by phone, followed up, or a scanned form with "Brådskande" (field `urgent`) ticked. */
  urgent: boolean;
  /** Whole days since the receipt date (Europe/Stockholm calendar); null without a clock. */
  waitingDays: number | null;
  /** The scan's file name (the mail room's name for it), "" for a case without a scan. */
  fileName: string;
  /** The names, as their sign-in gave them, of the handler holding the case and the proposer (user id → name). */
  people: Record<string, string>;
}

export interface QueueFilter {
  reason?: string | undefined;
  status?: string | undefined;
  form?: string | undefined;
  /** Only the cases claimed by this actor ("user:anna"): "Mina ärenden". */
  claimedBy?: string | undefined;
}

export interface ReviewQueue {
  items: QueueItem[];
  /**
   * Cases per reason over the whole queue (before the reason filter); FAILED cases count under "FAILED", cases
   * waiting for a manual account action under "AWAITING_MANUAL_EXECUTION" (both also work as the reason filter).
   */
  counts: Record<string, number>;
  total: number;
  /** Not final and not waiting for a person: the pipeline works on them (received, read, approved, executing). */
  inProgress: QueueItem[];
  /** Urgent LOCK/BLOCK cases acted on by phone whose paper form has not been linked yet. */
  followUp: QueueItem[];
}

/**
 * A case waits for a person when it is parked (and no handler decision is about to be carried out), failed,
 * waiting for a second handler's approval, or waiting for its account action to be done by hand (manual mode).
 * A case parked again after an approval (the approval did not suffice) waits for a person again.
 */
export function isWaitingForHandler(c: CaseRecord): boolean {
  if (c.status === "FAILED" || c.status === "AWAITING_MANUAL_EXECUTION") return true;
  if (c.status === "AWAITING_SECOND_APPROVAL") return true;
  return c.status === "IN_REVIEW" && (c.handlerDecision === undefined || c.handlerDecision.decision === "APPROVE");
}

/** Statuses whose cases are not sorted by reason: they count (and filter) under the status itself. */
const STATUS_KEYS: ReadonlySet<CaseStatus> = new Set<CaseStatus>([
  "FAILED",
  "AWAITING_MANUAL_EXECUTION",
  "AWAITING_SECOND_APPROVAL",
]);

/** Statuses of the queue; the other non-final ones are the pipeline's (in progress). */
const QUEUE_STATUSES: readonly CaseStatus[] = [
  "IN_REVIEW",
  "FAILED",
  "AWAITING_MANUAL_EXECUTION",
  "AWAITING_SECOND_APPROVAL",
];
const PIPELINE_STATUSES: readonly CaseStatus[] = ["RECEIVED", "READ", "APPROVED", "EXECUTING"];

const byAge = (a: CaseRecord, b: CaseRecord) =>
  a.receivedAt.localeCompare(b.receivedAt) || a.caseId.localeCompare(b.caseId);

/** A ticked box, read or corrected by a handler. */
function ticked(c: CaseRecord, field: string): boolean {
  const corrected = c.corrections[field];
  if (corrected !== undefined) return corrected === true || corrected === "true";
  return c.fields[field]?.value === true;
}

/** Urgent first: a case created by phone, one being followed up, or a form with "Brådskande" ticked. */
export function isUrgent(c: CaseRecord): boolean {
  return c.manual === true || c.followUp !== undefined || ticked(c, "urgent");
}

/** The queue's order: urgent first, then by receipt date (the date on the stamp), then arrival time and id. */
export const byQueueOrder = (a: CaseRecord, b: CaseRecord) =>
  Number(isUrgent(b)) - Number(isUrgent(a)) || a.receivedDate.localeCompare(b.receivedDate) || byAge(a, b);

const DAY_MS = 24 * 3600 * 1000;
/** Whole calendar days between the receipt date and today (both Swedish calendar dates). */
export function waitingDays(receivedDate: string, now: Date): number {
  const days = Math.round((Date.parse(swedishDate(now)) - Date.parse(receivedDate)) / DAY_MS);
  return Number.isFinite(days) ? Math.max(0, days) : 0;
}

function matches(c: CaseRecord, f: QueueFilter): boolean {
  if (f.reason !== undefined) {
    const hit = STATUS_KEYS.has(f.reason as CaseStatus)
      ? c.status === f.reason
      : f.reason === "NONE"
        ? c.reasons.length === 0 && !STATUS_KEYS.has(c.status)
        : (c.reasons as string[]).includes(f.reason);
    if (!hit) return false;
  }
  if (f.status !== undefined && c.status !== f.status) return false;
  if (f.form !== undefined && c.formCode !== f.form) return false;
  if (f.claimedBy !== undefined && c.claimedBy !== f.claimedBy) return false;
  return true;
}

/** All cases waiting for a person, in queue order (the "next case" helper walks this list). */
export async function waitingCases(deps: { cases: CaseStore }): Promise<CaseRecord[]> {
  const lists = await Promise.all(QUEUE_STATUSES.map((st) => deps.cases.listByStatus(st)));
  return lists.flat().filter(isWaitingForHandler).sort(byQueueOrder);
}

export async function getReviewQueue(
  input: QueueFilter,
  deps: { cases: CaseStore; clock?: Clock },
): Promise<ReviewQueue> {
  const lists = await Promise.all(
    [...QUEUE_STATUSES, ...PIPELINE_STATUSES, "EXECUTED" as const].map((st) => deps.cases.listByStatus(st)),
  );
  const queued = lists.slice(0, QUEUE_STATUSES.length).flat();
  const waiting = queued.filter(isWaitingForHandler).sort(byQueueOrder);
  const pending = queued.filter((c) => !isWaitingForHandler(c));
  const inProgress = [...lists.slice(QUEUE_STATUSES.length, -1).flat(), ...pending].sort(byAge);
  const followUp = [...queued, ...inProgress, ...(lists.at(-1) ?? [])]
    .filter((c) => c.followUp !== undefined && !c.links?.scanCaseId)
    .sort(byAge);

  const counts: Record<string, number> = {};
  for (const c of waiting) {
    const keys = STATUS_KEYS.has(c.status) ? [c.status] : c.reasons.length > 0 ? c.reasons : ["NONE"];
    for (const k of new Set(keys)) counts[k] = (counts[k] ?? 0) + 1;
  }
  const filtered = waiting.filter((c) => matches(c, input));
  const item = (c: CaseRecord) => toQueueItem(c, deps.clock?.now());
  return {
    items: filtered.map(item),
    counts,
    total: waiting.length,
    inProgress: inProgress.map(item),
    followUp: [...new Map(followUp.map((c) => [c.caseId, c])).values()].map(item),
  };
}

/** The names (from the case's history) of the people a queue row shows: who holds it, who proposed it. */
function peopleOf(c: CaseRecord): Record<string, string> {
  const known = namesInHistory(c.history);
  const people: Record<string, string> = {};
  for (const by of [c.claimedBy, c.proposal?.by]) {
    const id = by?.startsWith("user:") ? by.slice(5) : undefined;
    if (id && known[id]) people[id] = known[id];
  }
  return people;
}

export function toQueueItem(c: CaseRecord, now?: Date): QueueItem {
  return {
    caseId: c.caseId,
    version: c.version,
    status: c.status,
    receivedAt: c.receivedAt,
    receivedDate: c.receivedDate,
    formCode: c.formCode,
    action: c.action,
    reasons: c.reasons,
    maskedPersonnummer: maskPersonnummer(c.subjectPersonnummer),
    claimedBy: c.claimedBy ?? null,
    manual: c.manual === true,
    proposedBy: c.proposal?.by ?? null,
    followUp: c.followUp !== undefined && !c.links?.scanCaseId,
    note: queueNote(c),
    urgent: isUrgent(c),
    waitingDays: now === undefined ? null : waitingDays(c.receivedDate, now),
    fileName: c.scan?.fileName ?? "",
    people: peopleOf(c),
  };
}

function queueNote(c: CaseRecord): string | null {
  const cause = unreadableCause(c);
  if (cause !== null) return `Filen kunde inte läsas: ${unreadableText(cause)}`;
  return Object.values(FOUR_EYES_PARKED).find((t) => t === c.reviewReason) ?? null;
}
