// MarkFailed: the state machine's Catch. The case records which error stopped it, so a handler sees it in the
// FAILED queue. When RegisterCase itself failed there is no case yet: one is created from the scan reference,
// so a delivered paper request is never lost.
import { type CaseRecord, newCase } from "../domain/case.ts";
import { CaseVersionConflictError, ValidationError } from "../domain/errors.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import { type CaseLogger, pipelineLogger, saveTransition } from "./case-history.ts";
import type { MarkFailedInput, ScanArrived, TaskResult } from "./contracts.ts";
import { caseIdForScan } from "./register-case.ts";

export interface MarkFailedDeps {
  cases: CaseStore;
  clock: Clock;
  logger?: CaseLogger;
}

const STEP = "MarkFailed";
/** Causes are stack traces and SDK messages: keep enough to diagnose, not unbounded item growth. */
const MAX_CAUSE = 2000;

export async function markFailed(input: MarkFailedInput, deps: MarkFailedDeps): Promise<TaskResult> {
  const log = deps.logger ?? pipelineLogger();
  const caseId = input.caseId ?? (input.scan ? caseIdForScan(input.scan) : undefined);
  if (!caseId) throw new ValidationError("MarkFailed needs a caseId or a scan reference");
  const now = deps.clock.now();
  const failure = {
    error: input.error.Error,
    cause: (input.error.Cause ?? "").slice(0, MAX_CAUSE),
    at: now.toISOString(),
  };

  for (let attempt = 0; attempt < 3; attempt++) {
    let record = await deps.cases.get(caseId);
    if (!record) {
      if (!input.scan) throw new ValidationError(`case ${caseId} not found and no scan reference to create it from`);
      if (!(await deps.cases.create(failedCase(caseId, input.scan, failure, now)))) continue; // created meanwhile
      log.error("pipeline failed before the case was registered: case created as FAILED", {
        caseId,
        step: STEP,
        error: failure.error,
      });
      return { caseId, status: "FAILED" };
    }
    if (record.status === "FAILED" && record.failure?.error === failure.error) return { caseId, status: "FAILED" };
    try {
      record = await saveTransition(
        deps.cases,
        record,
        { status: "FAILED", failure },
        { at: now, by: STEP, what: `failed with ${failure.error}` },
      );
    } catch (err) {
      if (err instanceof CaseVersionConflictError) continue; // re-read and retry
      throw err;
    }
    log.error("case marked failed", { caseId, step: STEP, error: failure.error });
    return { caseId, status: "FAILED" };
  }
  throw new ValidationError(`case ${caseId}: could not mark failed after repeated version conflicts`);
}

function failedCase(
  caseId: string,
  scan: ScanArrived,
  failure: NonNullable<CaseRecord["failure"]>,
  now: Date,
): CaseRecord {
  const at = now.toISOString();
  const eventTime = new Date(scan.eventTime);
  const receivedAt = Number.isNaN(eventTime.getTime()) ? at : eventTime.toISOString();
  return {
    ...newCase({
      caseId,
      status: "FAILED",
      scan: {
        bucket: scan.bucket,
        key: scan.key,
        ...(scan.versionId ? { versionId: scan.versionId } : {}),
        ...(scan.size !== undefined ? { size: scan.size } : {}),
        fileName: scan.key.split("/").pop() || scan.key,
      },
      receivedAt,
      // The mail room's stamp could not be read (the failure may be the scan itself): the arrival day; a handler checks.
      receivedDate: new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm" }).format(new Date(receivedAt)),
      at,
      by: STEP,
      what: `created as FAILED: ${failure.error} before registration`,
    }),
    failure,
  };
}
