// Every state change of a case goes through `transition`: it appends one history entry and bumps the version,
// so CaseStore.put's optimistic lock (stored version = record.version - 1) catches concurrent writers.
import { Logger } from "@aws-lambda-powertools/logger";
import type { CaseRecord, CaseStatus } from "../domain/case.ts";
import { CaseNotFoundError } from "../domain/errors.ts";
import type { CaseStore } from "../ports/case-store.ts";

/** Logs case ids, steps and statuses only: never a personnummer, a name or a field value. */
export type CaseLogger = Pick<Logger, "info" | "warn" | "error">;

let defaultLogger: Logger | undefined;
export function pipelineLogger(): CaseLogger {
  defaultLogger ??= new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "lockdesk" });
  return defaultLogger;
}

/** Statuses a case can still be worked on in (a newer case for the same subject must wait for them). */
export const OPEN_STATUSES: ReadonlySet<CaseStatus> = new Set<CaseStatus>([
  "IN_REVIEW",
  "APPROVED",
  "EXECUTING",
  "AWAITING_MANUAL_EXECUTION",
]);

/** Statuses after which the pipeline has nothing more to do for a delivery or a resume. */
export const FINISHED_STATUSES: ReadonlySet<CaseStatus> = new Set<CaseStatus>(["EXECUTED", "RETURNED", "CLOSED"]);

export interface TransitionOptions {
  at: Date;
  /** Step name ("ReadForm") or a user id ("handler:anna"). */
  by: string;
  /** Human-readable, never personal data. */
  what: string;
}

/** Returns the next version of `record` with `changes` applied, one history entry appended, version bumped. */
export function transition(record: CaseRecord, changes: Partial<CaseRecord>, options: TransitionOptions): CaseRecord {
  const at = options.at.toISOString();
  const status = changes.status ?? record.status;
  const what =
    status !== record.status
      ? `status ${record.status} → ${status}${options.what ? `: ${options.what}` : ""}`
      : options.what;
  return {
    ...record,
    ...changes,
    caseId: record.caseId,
    version: record.version + 1,
    history: [...record.history, { at, by: options.by, what }],
    updatedAt: at,
  };
}

export async function loadCase(cases: Pick<CaseStore, "get">, caseId: string): Promise<CaseRecord> {
  const record = await cases.get(caseId);
  if (!record) throw new CaseNotFoundError(`case ${caseId} not found`);
  return record;
}

/** Applies a transition and writes it with the optimistic lock; returns the stored record. */
export async function saveTransition(
  cases: CaseStore,
  record: CaseRecord,
  changes: Partial<CaseRecord>,
  options: TransitionOptions,
): Promise<CaseRecord> {
  const next = transition(record, changes, options);
  await cases.put(next);
  return next;
}
