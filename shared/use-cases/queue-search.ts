// The handlers' search over ALL cases (not only the queue) and the "next case" helper. A search by case id or
// file name is free; a search by personnummer is an exact match only, and every such search is audited (it
// reveals that a person has cases). Results carry the masked personnummer only.
import { z } from "zod";
import { actorId, type Principal } from "../auth/principal.ts";
import type { CaseRecord } from "../domain/case.ts";
import { ValidationError } from "../domain/errors.ts";
import type { AuditLog } from "../ports/audit-log.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import { byQueueOrder, type QueueItem, toQueueItem, waitingCases } from "./review-queue.ts";

/** Audit id of a personnummer search that found no case (the entry needs a case id). */
export const PNR_SEARCH_AUDIT_ID = "personnummer-search";
export const MAX_SEARCH_HITS = 50;

export const SearchQuerySchema = z.object({ q: z.string().trim().min(2).max(100) }).strict();

/** "YYYYMMDDNNNN" or "YYYYMMDD-NNNN" (spaces allowed): an exact personnummer; anything else is text. */
export function asPersonnummer(q: string): string | null {
  const compact = q.replace(/\s/g, "");
  return /^\d{8}-?\d{4}$/.test(compact) ? compact.replace("-", "") : null;
}

export interface SearchResult {
  query: "personnummer" | "text";
  items: QueueItem[];
  truncated: boolean;
}

export async function searchCases(
  input: { q: string; user: Principal },
  deps: { cases: CaseStore; audit: AuditLog; clock: Clock },
): Promise<SearchResult> {
  const q = input.q.trim();
  if (q.length < 2) throw new ValidationError("search needs at least 2 characters");
  const pnr = asPersonnummer(q);
  const now = deps.clock.now();
  let hits: CaseRecord[];
  if (pnr !== null) {
    hits = await deps.cases.listBySubject(pnr);
    const at = now.toISOString();
    const user = actorId(input.user);
    // Never the number itself in the log: the cases it found (or the search id), the user and the time.
    const ids = hits.length > 0 ? hits.map((c) => c.caseId) : [PNR_SEARCH_AUDIT_ID];
    for (const caseId of ids) {
      await deps.audit.append({ at, user, caseId, action: "SEARCH_PERSONNUMMER", detail: `${hits.length} träffar` });
    }
  } else {
    const needle = q.toLowerCase();
    hits = (await deps.cases.listAll()).filter(
      (c) => c.caseId.toLowerCase().includes(needle) || (c.scan?.fileName ?? "").toLowerCase().includes(needle),
    );
  }
  const sorted = hits.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || a.caseId.localeCompare(b.caseId));
  return {
    query: pnr !== null ? "personnummer" : "text",
    items: sorted.slice(0, MAX_SEARCH_HITS).map((c) => toQueueItem(c, now)),
    truncated: sorted.length > MAX_SEARCH_HITS,
  };
}

export const NextQuerySchema = z.object({
  after: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/)
    .optional(),
});

/**
 * The case a handler should take after `after` (typically the one just decided): the next waiting case in queue
 * order that nobody else has claimed and that the handler may act on (not their own four-eyes proposal); wraps
 * around to the start of the queue; null when nothing else waits.
 */
export async function nextCase(
  input: { after?: string | undefined; user: Principal },
  deps: { cases: CaseStore },
): Promise<{ caseId: string | null }> {
  const me = actorId(input.user);
  const waiting = await waitingCases(deps);
  const open = waiting.filter(
    (c) =>
      c.caseId !== input.after &&
      (c.claimedBy === undefined || c.claimedBy === me) &&
      !(c.status === "AWAITING_SECOND_APPROVAL" && c.proposal?.by === me),
  );
  const current = input.after === undefined ? null : await deps.cases.get(input.after);
  const later = current === null ? undefined : open.find((c) => byQueueOrder(current, c) < 0);
  return { caseId: (later ?? open[0])?.caseId ?? null };
}
