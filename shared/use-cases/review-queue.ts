// The handlers' queue: cases waiting for a person, oldest first, with counts per reason.
// List items carry the masked personnummer only (YYYYMMDD-****), never names.
import type { CaseRecord, CaseStatus } from "../domain/case.ts";
import { maskPersonnummer } from "../domain/case.ts";
import type { Action, FormCode, ReasonCode } from "../domain/forms.ts";
import type { CaseStore } from "../ports/case-store.ts";

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
}

export interface ReviewQueue {
  items: QueueItem[];
  /**
   * Cases per reason over the whole queue (before the reason filter); FAILED cases count under "FAILED", cases
   * waiting for a manual account action under "AWAITING_MANUAL_EXECUTION" (both also work as the reason filter).
   */
  counts: Record<string, number>;
  total: number;
}

/**
 * A case waits for a person when it is parked or failed and no handler decision is pending execution, or when
 * its account action waits to be carried out by hand (manual mode: the checklist is in the case detail).
 */
export function isWaitingForHandler(c: CaseRecord): boolean {
  if (c.status === "AWAITING_MANUAL_EXECUTION") return true;
  return (c.status === "IN_REVIEW" || c.status === "FAILED") && c.handlerDecision === undefined;
}

/** Statuses whose cases are not sorted by reason: they count (and filter) under the status itself. */
const STATUS_KEYS: ReadonlySet<CaseStatus> = new Set<CaseStatus>(["FAILED", "AWAITING_MANUAL_EXECUTION"]);

export async function getReviewQueue(
  input: { reason?: string | undefined },
  deps: { cases: CaseStore },
): Promise<ReviewQueue> {
  const [inReview, failed, manual] = await Promise.all([
    deps.cases.listByStatus("IN_REVIEW"),
    deps.cases.listByStatus("FAILED"),
    deps.cases.listByStatus("AWAITING_MANUAL_EXECUTION"),
  ]);
  const waiting = [...inReview, ...failed, ...manual].filter(isWaitingForHandler);
  waiting.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.caseId.localeCompare(b.caseId));

  const counts: Record<string, number> = {};
  for (const c of waiting) {
    const keys = STATUS_KEYS.has(c.status) ? [c.status] : c.reasons.length > 0 ? c.reasons : ["NONE"];
    for (const k of new Set(keys)) counts[k] = (counts[k] ?? 0) + 1;
  }
  const filtered =
    input.reason === undefined
      ? waiting
      : waiting.filter((c) =>
          STATUS_KEYS.has(input.reason as CaseStatus)
            ? c.status === input.reason
            : (c.reasons as string[]).includes(input.reason ?? ""),
        );
  return { items: filtered.map(toQueueItem), counts, total: waiting.length };
}

function toQueueItem(c: CaseRecord): QueueItem {
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
  };
}
