// ReadForm: scan bytes → form code, action and fields (with confidence) on the case.
// An unreadable file parks the case for a handler instead of failing it: a paper request is never lost.
// A batch file (several forms in one scan) becomes one case per document: the file's case reads the first document
// and registers the others (batch-documents.ts); a later document's case reads only its own pages.
import type { CaseRecord, DocumentRef } from "../domain/case.ts";
import {
  PersonRegistryUnavailableError,
  StaffDirectoryUnavailableError,
  UnreadableScanError,
  ValidationError,
} from "../domain/errors.ts";
import { describePages } from "../extraction/batches.ts";
import {
  type OneDocument,
  type ReadDeps,
  type ReadInput,
  type ReadResult,
  readOneDocument,
} from "../extraction/reader.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { DocumentStarter } from "../ports/document-starter.ts";
import type { Ocr } from "../ports/ocr.ts";
import type { CaregiverList, PersonRegistry } from "../ports/person-registry.ts";
import type { ScanStore } from "../ports/scan-store.ts";
import type { StaffDirectory } from "../ports/staff-directory.ts";
import { registerLaterDocuments } from "./batch-documents.ts";
import { type CaseLogger, FINISHED_STATUSES, loadCase, pipelineLogger, saveTransition } from "./case-history.ts";
import type { CaseRef, TaskResult } from "./contracts.ts";

export type ReadScanFn = (input: ReadInput, deps: ReadDeps) => Promise<ReadResult>;
/** Reads one document of a file (reader.ts readOneDocument): without a span the first, with the file's spans. */
export type ReadDocumentFn = typeof readOneDocument;

export interface ReadFormDeps {
  cases: CaseStore;
  scans: ScanStore;
  ocr: Ocr;
  clock: Clock;
  /** A single-document reader (tests inject a fake): the file is then one document. */
  read?: ReadScanFn;
  /** The document reader; tests inject a fake. Defaults to shared/extraction/reader.ts readOneDocument. */
  readDocument?: ReadDocumentFn;
  /** The person registry: doubtful subject names are also read against its names (as `lockdesk eval` reads). */
  registry?: PersonRegistry;
  /** The approved caregivers: a doubtful hand-written caregiver is also read against them (as `lockdesk eval`). */
  caregivers?: CaregiverList;
  /** The staff directory: a VGR-ID and name that name no member as read are read against it (as `lockdesk eval`). */
  staff?: StaffDirectory;
  /** Starts the executions of a batch file's later documents. */
  startDocuments?: DocumentStarter;
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
  const readDeps = await readerInputs(deps, record.caseId, log);
  const file = { bytes: stored.bytes, fileName: record.scan.fileName };
  let read: OneDocument;
  try {
    read = await readDocumentOf(record, file, readDeps, deps);
  } catch (err) {
    if (!(err instanceof UnreadableScanError)) throw err; // transient (OcrThrottledError) or a bug: Retry/Catch
    return parkUnreadable(record, err, undefined, deps, log);
  }
  // The file's own case of a batch: register the other documents (and start them) before this one moves on, so a
  // crash in between leaves this case RECEIVED and a retry or restart registers them again (idempotently).
  let document: DocumentRef | undefined = record.document;
  if (!document && read.spans.length > 1) {
    document = await registerLaterDocuments(record, read.spans, {
      cases: deps.cases,
      clock: deps.clock,
      logger: log,
      ...(deps.startDocuments ? { startDocuments: deps.startDocuments } : {}),
    });
  }
  if (read.unreadable) return parkUnreadable(record, read.unreadable, document, deps, log);
  const result = read.document.result;

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
      ...(document ? { document } : {}),
    },
    {
      at: deps.clock.now(),
      by: STEP,
      what:
        `read with ${deps.ocr.name}: form ${form.formCode ?? "not recognised"}, ${fieldCount} fields, ` +
        `${result.formPage === null ? "no form page" : `page ${result.formPage + 1}`} of ${result.pageCount}, lowest confidence ${lowest.toFixed(2)}` +
        (document
          ? `; document ${document.index + 1} of ${document.count} (pages ${describePages(document.pages)})`
          : "") +
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

/** An unreadable scan (or document) parks the case for a handler: a paper request is never lost. */
async function parkUnreadable(
  record: CaseRecord,
  err: UnreadableScanError,
  document: DocumentRef | undefined,
  deps: ReadFormDeps,
  log: CaseLogger,
): Promise<TaskResult> {
  const reviewReason = `The scan could not be read (${err.message}); check the original file.`;
  await saveTransition(
    deps.cases,
    record,
    { status: "IN_REVIEW", decision: "REVIEW", reviewReason, ...(document ? { document } : {}) },
    { at: deps.clock.now(), by: STEP, what: "unreadable scan, parked for a handler" },
  );
  log.warn("unreadable scan: case parked for review", { caseId: record.caseId, step: STEP });
  return { caseId: record.caseId, route: "REVIEW", status: "IN_REVIEW" };
}

/** The reader's extra inputs, as `lockdesk eval` gives them (cli/reading.ts); without them when a list is down. */
async function readerInputs(deps: ReadFormDeps, caseId: string, log: CaseLogger): Promise<ReadDeps> {
  const readDeps: ReadDeps = { ocr: deps.ocr };
  const { registry, caregivers } = deps;
  if (caregivers) {
    try {
      readDeps.approvedCaregivers = (await caregivers.current()).names;
    } catch (err) {
      if (!(err instanceof PersonRegistryUnavailableError)) throw err;
      // The list only helps reading; ValidateCase checks against it (and parks when it stays unavailable).
      log.warn("caregiver list unavailable: read without it", { caseId, step: STEP });
    }
  }
  if (deps.staff) readDeps.staff = readingOnly(deps.staff);
  if (registry) {
    readDeps.nameOf = async (pnr) => {
      try {
        return await registry.findByPersonnummer(pnr);
      } catch (err) {
        if (err instanceof PersonRegistryUnavailableError) return null;
        throw err;
      }
    };
  }
  return readDeps;
}

/** The staff directory as a help to reading: down, it knows nobody (ValidateCase checks, and parks on an outage). */
function readingOnly(staff: StaffDirectory): StaffDirectory {
  const unless =
    <T>(fallback: T) =>
    (err: unknown): T => {
      if (err instanceof StaffDirectoryUnavailableError) return fallback;
      throw err;
    };
  const entries = staff.entries?.bind(staff);
  return {
    findByVgrId: (vgrId) => staff.findByVgrId(vgrId).catch(unless(null)),
    ...(entries ? { entries: () => entries().catch(unless([])) } : {}),
  };
}

/** This case's document: the first of the file (with the file's spans), or the document the case records. */
async function readDocumentOf(
  record: CaseRecord,
  input: ReadInput,
  readDeps: ReadDeps,
  deps: ReadFormDeps,
): Promise<OneDocument> {
  if (deps.read && !deps.readDocument) {
    const result = await deps.read(input, readDeps);
    const span = { pages: Array.from({ length: result.pageCount }, (_, i) => i), formPage: result.formPage };
    return { spans: [span], document: { ...span, result } };
  }
  const readOne = deps.readDocument ?? readOneDocument;
  const doc = record.document;
  return doc ? readOne(input, readDeps, { pages: doc.pages, formPage: doc.formPage }) : readOne(input, readDeps);
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
