// Every state change of a case goes through `transition`: it appends one history entry and bumps the version,
// so CaseStore.put's optimistic lock (stored version = record.version - 1) catches concurrent writers.
import type { CaseRecord, CaseStatus } from "../domain/case.ts";
import { type TransitionOptions, transition } from "../domain/case-record.ts";
import { CaseNotFoundError, CaseVersionConflictError } from "../domain/errors.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { CaseLogger, LogAttributes } from "../ports/logger.ts";

export type { CaseLogger } from "../ports/logger.ts";

/** One JSON line per entry on stdout/stderr, for callers that wire no logger (tests, the CLI). */
function jsonLine(level: "INFO" | "WARN" | "ERROR", message: string, attributes?: LogAttributes): string {
  return JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...attributes });
}
const jsonLineLogger: CaseLogger = {
  info: (message, attributes) => console.log(jsonLine("INFO", message, attributes)),
  warn: (message, attributes) => console.warn(jsonLine("WARN", message, attributes)),
  error: (message, attributes) => console.error(jsonLine("ERROR", message, attributes)),
};

/** The logger a use case uses when its deps carry none (the composition roots pass Powertools' Logger on AWS). */
export function pipelineLogger(): CaseLogger {
  return jsonLineLogger;
}

/** Statuses a case can still be worked on in (a newer case for the same subject must wait for them). */
export const OPEN_STATUSES: ReadonlySet<CaseStatus> = new Set<CaseStatus>([
  "IN_REVIEW",
  "AWAITING_SECOND_APPROVAL",
  "APPROVED",
  "EXECUTING",
  "AWAITING_MANUAL_EXECUTION",
]);

/** Statuses after which the pipeline has nothing more to do for a delivery or a resume. */
export const FINISHED_STATUSES: ReadonlySet<CaseStatus> = new Set<CaseStatus>(["EXECUTED", "RETURNED", "CLOSED"]);

// The pure part lives in the domain (shared/domain/case-record.ts); re-exported so call sites keep working.
export { type TransitionOptions, transition } from "../domain/case-record.ts";

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

/**
 * Write what an outside effect did (an account action, a sent mail) onto the newest version of the case: a
 * concurrent edit (a handler opening it) must not lose it, or a retry would act twice. On a version conflict the
 * case is read again and `apply` re-applied, a few times.
 */
export async function saveOnLatest(
  cases: CaseStore,
  record: CaseRecord,
  apply: (latest: CaseRecord) => CaseRecord,
): Promise<CaseRecord> {
  let latest = record;
  for (let attempt = 0; ; attempt++) {
    const next = apply(latest);
    try {
      await cases.put(next);
      return next;
    } catch (err) {
      if (!(err instanceof CaseVersionConflictError) || attempt >= 4) throw err;
      const fresh = await cases.get(record.caseId);
      if (!fresh) throw err;
      latest = fresh;
    }
  }
}
