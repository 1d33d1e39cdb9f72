// ParkForReview: the case waits in DynamoDB for a handler; the execution ends (park and resume, DESIGN.md).
import type { CaseRecord } from "../domain/case.ts";
import type { PipelineReasonCode } from "../domain/forms.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import { type CaseLogger, FINISHED_STATUSES, loadCase, pipelineLogger, saveTransition } from "./case-history.ts";
import type { TaskResult } from "./contracts.ts";
import { orderReasons } from "./validate-case.ts";

export interface ParkCaseInput {
  caseId: string;
  /** A pipeline reason from a Catch, e.g. REGISTRY_UNAVAILABLE when the registry stayed down after the retries. */
  reason?: PipelineReasonCode | undefined;
}

export interface ParkCaseDeps {
  cases: CaseStore;
  clock: Clock;
  logger?: CaseLogger;
}

const STEP = "ParkForReview";

/** Statuses the pipeline may park from: the rest is either in a handler's hands or finished. */
const PARKABLE = new Set<CaseRecord["status"]>(["RECEIVED", "READ", "IN_REVIEW", "APPROVED", "FAILED"]);

export async function parkCase(input: ParkCaseInput, deps: ParkCaseDeps): Promise<TaskResult> {
  const log = deps.logger ?? pipelineLogger();
  const record = await loadCase(deps.cases, input.caseId);
  if (FINISHED_STATUSES.has(record.status) || !PARKABLE.has(record.status)) {
    log.info("case not parked: status does not allow it", { caseId: record.caseId, step: STEP, status: record.status });
    return { caseId: record.caseId, route: "DONE", status: record.status };
  }
  const reasons = input.reason ? orderReasons([...record.reasons, input.reason]) : record.reasons;
  const unchanged = record.status === "IN_REVIEW" && reasons.length === record.reasons.length;
  if (unchanged) return { caseId: record.caseId, route: "REVIEW", status: record.status };

  const changes: Partial<CaseRecord> = { status: "IN_REVIEW", reasons };
  // A handler's approval was given on the case as it was; a resumed case that comes back here needs a new look.
  if (record.status === "APPROVED") changes.decision = "REVIEW";
  if (input.reason && record.decision !== "RETURN") changes.decision = "REVIEW";
  await saveTransition(deps.cases, record, changes, {
    at: deps.clock.now(),
    by: STEP,
    what: input.reason ? `parked for review (${input.reason})` : "parked for review",
  });
  log.info("case parked for review", { caseId: record.caseId, step: STEP, reason: input.reason ?? null });
  return { caseId: record.caseId, route: "REVIEW", status: "IN_REVIEW" };
}
