// ArchiveScan: copy the scan and a one-page case summary to the archive bucket, verify the copy (read it back,
// compare sha256) and only then delete the original from incoming/. A batch file's documents share one copy of
// the file (under the file's case); the original goes once every document is archived. Safe to retry at any point:
//   - archive recorded on the case → nothing to do;
//   - original already deleted by an earlier attempt → the archived copy is verified against the case's sha256
//     (or, without one, just required to exist) and the attempt completes.
import { createHash } from "node:crypto";
import { renderCaseSummaryPdf } from "../documents/case-summary.ts";
import { type CaseRecord, type DocumentRef, documentCaseId } from "../domain/case.ts";
import { transition } from "../domain/case-record.ts";
import { ArchiveVerificationError, CaseNotFoundError, ScanNotFoundError } from "../domain/errors.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { ScanStore, StoredScan } from "../ports/scan-store.ts";
import type { TaskResult } from "./contracts.ts";
import { archiveYear } from "./send-mail.ts";

export interface ArchiveConfig {
  archiveBucket: string;
  /** How long archived scans are kept (the bucket's lifecycle / object lock enforces it; we stamp it on each object). */
  retentionDays: number;
}

export interface ArchiveScanDeps {
  cases: CaseStore;
  scans: ScanStore;
  clock: Clock;
  config: ArchiveConfig;
}

const STEP = "ArchiveScan";

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function archivePrefix(record: CaseRecord): string {
  return `archive/${archiveYear(record)}/${record.caseId}/`;
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "");
  return cleaned || "scan";
}

/** The object, or null when it does not exist (a get, not a list: the functions have no s3:ListBucket). */
async function tryGet(scans: ScanStore, bucket: string, key: string): Promise<StoredScan | null> {
  try {
    return await scans.get(bucket, key);
  } catch (err) {
    if (err instanceof ScanNotFoundError) return null;
    throw err;
  }
}

/** Only the intake copy of a scan is ever deleted; a scan kept elsewhere stays where it is. */
const INCOMING = /(^|\/)incoming\//;
const ORIGINAL_REMOVED = "original removed from incoming/ after verified archive copy";

/** Every other document of the batch file has its archive record. */
async function othersArchived(cases: CaseStore, batch: DocumentRef): Promise<boolean> {
  for (let k = 0; k < batch.count; k++) {
    if (k === batch.index) continue;
    const other = await cases.get(documentCaseId(batch.fileCaseId, k));
    if (!other?.archive) return false;
  }
  return true;
}

export async function archiveScan(input: { caseId: string }, deps: ArchiveScanDeps): Promise<TaskResult> {
  const record = await deps.cases.get(input.caseId);
  if (!record) throw new CaseNotFoundError(`case ${input.caseId} not found`);
  if (record.archive) {
    // A retry after a crash between this document's archive record and the batch original's removal.
    await removeBatchOriginal(record, deps, false);
    return { caseId: record.caseId, route: "DONE", status: record.status };
  }

  const now = deps.clock.now();
  const at = now.toISOString();
  const bucket = deps.config.archiveBucket;
  const prefix = archivePrefix(record);
  const retainUntil = new Date(now.getTime() + deps.config.retentionDays * 86_400_000).toISOString().slice(0, 10);
  const metadata = {
    "case-id": record.caseId,
    "retention-days": String(deps.config.retentionDays),
    "retain-until": retainUntil,
  };
  const whats: string[] = [];

  let scanKey = "";
  if (record.scan) {
    const original = record.scan;
    // A batch file's documents share one archive copy of the file, under the file's case (the first document).
    const batch = record.document && record.document.count > 1 ? record.document : undefined;
    const filePrefix = batch ? archivePrefix({ ...record, caseId: batch.fileCaseId }) : prefix;
    scanKey = `${filePrefix}scan-${safeFileName(original.fileName)}`;
    const src = await tryGet(deps.scans, original.bucket, original.key);
    if (src) {
      const hash = sha256Hex(src.bytes);
      if (original.sha256 && original.sha256 !== hash) {
        // The object under the key is not the scan this case was made from: keep everything, a human must look.
        throw new ArchiveVerificationError(`case ${record.caseId}: the incoming object changed since registration`);
      }
      // The file is copied once: a sibling document that archived first made the copy.
      const earlier = batch ? await tryGet(deps.scans, bucket, scanKey) : null;
      if (!earlier || sha256Hex(earlier.bytes) !== hash) {
        const fileMetadata = batch ? { ...metadata, "case-id": batch.fileCaseId } : metadata;
        await deps.scans.put(bucket, scanKey, src.bytes, { ...fileMetadata, sha256: hash }, src.contentType);
      }
      const copy = await tryGet(deps.scans, bucket, scanKey);
      if (!copy || sha256Hex(copy.bytes) !== hash) {
        throw new ArchiveVerificationError(`case ${record.caseId}: archive copy does not match the original`);
      }
      // Only the intake copy is ever deleted (a scan kept elsewhere stays where it is); a batch file's goes once
      // every document is archived (removeBatchOriginal, after this case's own archive record).
      if (!batch && INCOMING.test(original.key)) {
        await deps.scans.delete(original.bucket, original.key);
        whats.push(ORIGINAL_REMOVED);
      }
    } else {
      // A previous attempt deleted the original: the archive copy must be there and intact.
      const copy = await tryGet(deps.scans, bucket, scanKey);
      if (!copy) {
        throw new ArchiveVerificationError(`case ${record.caseId}: neither the original nor an archive copy exists`);
      }
      if (original.sha256 && sha256Hex(copy.bytes) !== original.sha256) {
        throw new ArchiveVerificationError(`case ${record.caseId}: archive copy does not match the registered sha256`);
      }
    }
  }

  whats.push(`archived (retention ${deps.config.retentionDays} days, until ${retainUntil})`);
  const summaryKey = `${prefix}summary.pdf`;
  const archived = transition(record, { archive: { bucket, scanKey, summaryKey, at } }, { at, by: STEP, what: whats });
  const summary = await renderCaseSummaryPdf(archived, at);
  await deps.scans.put(bucket, summaryKey, summary, { ...metadata, sha256: sha256Hex(summary) }, "application/pdf");
  await deps.cases.put(archived);
  await removeBatchOriginal(archived, deps, true);
  return { caseId: archived.caseId, route: "DONE", status: archived.status };
}

/**
 * A batch file's original leaves incoming/ once every document is archived (until then the others still read and
 * show it). Each document looks after writing its own archive record, so of two documents archived at the same
 * moment the later one sees the other's record and none leaves the original behind. `copyVerified`: the archive copy
 * was just compared with the original; a retry compares it again before deleting.
 */
async function removeBatchOriginal(record: CaseRecord, deps: ArchiveScanDeps, copyVerified: boolean): Promise<void> {
  const batch = record.document && record.document.count > 1 ? record.document : undefined;
  const original = record.scan;
  if (!batch || !original || !record.archive || !INCOMING.test(original.key)) return;
  if (!(await deps.scans.exists(original.bucket, original.key))) return;
  if (!(await othersArchived(deps.cases, batch))) return;
  if (!copyVerified) {
    // The archive copy is there and is the registered file (else the original stays for a human to look at).
    const copy = await tryGet(deps.scans, record.archive.bucket, record.archive.scanKey);
    if (!copy || (original.sha256 && sha256Hex(copy.bytes) !== original.sha256)) return;
  }
  await deps.scans.delete(original.bucket, original.key);
  const latest = (await deps.cases.get(record.caseId)) ?? record;
  await deps.cases.put(transition(latest, {}, { at: deps.clock.now(), by: STEP, what: [ORIGINAL_REMOVED] }));
}
