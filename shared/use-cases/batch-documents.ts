// A batch file (an envelope stack scanned into one PDF/TIFF) holds several documents (contract §9): each becomes
// its own case. The file's case is the first document; ReadForm of that case registers the others here and starts
// THE state machine for each. Idempotent: the ids derive from the file's case id and the document's index, each
// case is created conditionally, and a start of an execution already started is refused by the starter; so a
// redelivery or a restart never makes a second set.
import { type CaseRecord, type DocumentRef, documentCaseId, newCase } from "../domain/case.ts";
import { ValidationError } from "../domain/errors.ts";
import { type DocumentSpan, describePages } from "../extraction/batches.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { DocumentStarter } from "../ports/document-starter.ts";
import type { CaseLogger } from "./case-history.ts";

export interface BatchDeps {
  cases: CaseStore;
  clock: Clock;
  /** Starts an execution per later document; required once a file holds more than one document. */
  startDocuments?: DocumentStarter;
  logger: CaseLogger;
}

const STEP = "ReadForm";

/** The document references of a file's spans, the file's case being the first. */
export function documentRefs(fileCaseId: string, spans: readonly DocumentSpan[]): DocumentRef[] {
  return spans.map((span, index) => ({
    index,
    count: spans.length,
    pages: [...span.pages],
    formPage: span.formPage,
    fileCaseId,
  }));
}

/**
 * Registers the later documents of the file of `fileCase` (status RECEIVED, the same scan, receipt date and
 * arrival) and starts an execution for each; returns the first document's reference for the file's own case.
 * Cases that exist already (a retry, a restart) are left as they are; those not read yet are started again (the
 * starter refuses a name already started, and ReadForm does not read a case twice).
 */
export async function registerLaterDocuments(
  fileCase: CaseRecord,
  spans: readonly DocumentSpan[],
  deps: BatchDeps,
): Promise<DocumentRef> {
  const refs = documentRefs(fileCase.caseId, spans);
  const later = refs.slice(1);
  if (later.length > 0 && !deps.startDocuments) {
    throw new ValidationError(`case ${fileCase.caseId}: the file holds ${refs.length} documents and no starter is set`);
  }
  const at = deps.clock.now().toISOString();
  const ids: string[] = [];
  for (const ref of later) {
    const caseId = documentCaseId(fileCase.caseId, ref.index);
    const record: CaseRecord = {
      ...newCase({
        caseId,
        status: "RECEIVED",
        ...(fileCase.scan ? { scan: fileCase.scan } : {}),
        receivedAt: fileCase.receivedAt,
        receivedDate: fileCase.receivedDate,
        at,
        by: STEP,
        what:
          `registered as document ${ref.index + 1} of ${ref.count} (pages ${describePages(ref.pages)}) ` +
          `of the file of case ${fileCase.caseId} (receipt date ${fileCase.receivedDate})`,
      }),
      document: ref,
      ...(fileCase.arrivalDate ? { arrivalDate: fileCase.arrivalDate } : {}),
      ...(fileCase.claimedReceivedDate ? { claimedReceivedDate: fileCase.claimedReceivedDate } : {}),
    };
    const created = await deps.cases.create(record);
    deps.logger.info(created ? "document case registered" : "document case exists already", {
      caseId,
      step: STEP,
      fileCaseId: fileCase.caseId,
    });
    // A document already read (its execution ran) is not started again; one still RECEIVED is (a lost start).
    if (created || (await deps.cases.get(caseId))?.status === "RECEIVED") ids.push(caseId);
  }
  if (ids.length > 0) await deps.startDocuments?.(ids);
  return refs[0] as DocumentRef;
}
