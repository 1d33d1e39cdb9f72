// ReadForm: scan bytes → form code, action and fields (with confidence) on the case.
// An unreadable file parks the case for a handler instead of failing it: a paper request is never lost.
import type { CaseRecord } from "../domain/case.ts";
import { UnreadableScanError, ValidationError } from "../domain/errors.ts";
import { type ReadDeps, type ReadInput, type ReadResult, readScan } from "../extraction/reader.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { Ocr } from "../ports/ocr.ts";
import type { ScanStore } from "../ports/scan-store.ts";
import { type CaseLogger, FINISHED_STATUSES, loadCase, pipelineLogger, saveTransition } from "./case-history.ts";
import type { CaseRef, TaskResult } from "./contracts.ts";

export type ReadScanFn = (input: ReadInput, deps: ReadDeps) => Promise<ReadResult>;

export interface ReadFormDeps {
  cases: CaseStore;
  scans: ScanStore;
  ocr: Ocr;
  clock: Clock;
  /** The form reader; tests inject a fake. Defaults to shared/extraction/reader.ts. */
  read?: ReadScanFn;
  logger?: CaseLogger;
}

const STEP = "ReadForm";

export async function readFormForCase(input: CaseRef, deps: ReadFormDeps): Promise<TaskResult> {
  const log = deps.logger ?? pipelineLogger();
  const record = await loadCase(deps.cases, input.caseId);
  const done = alreadyHandled(record);
  if (done) {
    log.info("case already read: nothing to do", { caseId: record.caseId, step: STEP, status: record.status });
    return done;
  }
  if (!record.scan) throw new ValidationError(`case ${record.caseId} has no scan to read`);

  const stored = await deps.scans.get(record.scan.bucket, record.scan.key);
  const read = deps.read ?? readScan;
  let result: ReadResult;
  try {
    result = await read({ bytes: stored.bytes, fileName: record.scan.fileName }, { ocr: deps.ocr });
  } catch (err) {
    if (!(err instanceof UnreadableScanError)) throw err; // transient (OcrThrottledError) or a bug: Retry/Catch
    const reviewReason = `The scan could not be read (${err.message}); check the original file.`;
    await saveTransition(
      deps.cases,
      record,
      { status: "IN_REVIEW", decision: "REVIEW", reviewReason },
      { at: deps.clock.now(), by: STEP, what: "unreadable scan, parked for a handler" },
    );
    log.warn("unreadable scan: case parked for review", { caseId: record.caseId, step: STEP });
    return { caseId: record.caseId, route: "REVIEW", status: "IN_REVIEW" };
  }

  const { form } = result;
  const fieldCount = Object.keys(form.fields).length;
  const lowest = Math.min(1, ...Object.values(form.fields).map((f) => f.confidence));
  await saveTransition(
    deps.cases,
    record,
    {
      status: "READ",
      formCode: form.formCode,
      formVersion: form.formVersion,
      action: form.action,
      fields: form.fields,
      scanLayout: {
        pageCount: result.pageCount,
        formPage: result.formPage,
        upsideDown: result.registration?.upsideDown === true,
      },
    },
    {
      at: deps.clock.now(),
      by: STEP,
      what:
        `read with ${deps.ocr.name}: form ${form.formCode ?? "not recognised"}, ${fieldCount} fields, ` +
        `${result.formPage === null ? "no form page" : `page ${result.formPage + 1}`} of ${result.pageCount}, lowest confidence ${lowest.toFixed(2)}` +
        (form.warnings.length > 0 ? `; ${form.warnings.join("; ")}` : ""),
    },
  );
  log.info("form read", {
    caseId: record.caseId,
    step: STEP,
    formCode: form.formCode,
    fieldCount,
    ms: result.timings.totalMs,
  });
  return { caseId: record.caseId, status: "READ" };
}

/** A retried or duplicate ReadForm must not read again (and must not overwrite a handler's work). */
function alreadyHandled(record: CaseRecord): TaskResult | null {
  if (record.status === "RECEIVED") return null;
  if (record.status === "READ") return { caseId: record.caseId, status: record.status };
  if (record.status === "IN_REVIEW" && Object.keys(record.fields).length === 0 && record.formCode === null) {
    return { caseId: record.caseId, route: "REVIEW", status: record.status };
  }
  if (FINISHED_STATUSES.has(record.status)) return { caseId: record.caseId, route: "DONE", status: record.status };
  return { caseId: record.caseId, status: record.status };
}
