// The scan a case was read from is the scan it acts on. RegisterCase records the object's sha256 (and etag); a
// presigned upload reused, or any other write to the key, puts another paper under it. ExecuteAction and SendMail
// compare the object with the case before any account action or e-mail (ArchiveScan does so again before it
// copies), and stop the case: a history entry says what changed, and ScanChangedError sends the execution to
// MarkFailed, so a handler finds the case in the FAILED queue.
import { createHash } from "node:crypto";
import type { CaseRecord } from "../domain/case.ts";
import { transition } from "../domain/case-record.ts";
import { ScanChangedError, ScanNotFoundError } from "../domain/errors.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { ScanStore } from "../ports/scan-store.ts";
import { saveOnLatest } from "./case-history.ts";

/** What is wrong with the object under the case's key, or null when it is the registered scan. */
export async function scanChange(record: CaseRecord, scans: ScanStore): Promise<string | null> {
  const scan = record.scan;
  // A case made by hand has no scan; an archived case's copy was verified against the sha256 when archived.
  if (!scan?.sha256 || record.archive) return null;
  try {
    const now = await scans.get(scan.bucket, scan.key);
    const sha256 = createHash("sha256").update(now.bytes).digest("hex");
    if (sha256 === scan.sha256) return null;
    return `sha256 ${sha256.slice(0, 12)}… instead of the registered ${scan.sha256.slice(0, 12)}…`;
  } catch (err) {
    if (err instanceof ScanNotFoundError) return "the scan is no longer under its key";
    throw err;
  }
}

/** Throws ScanChangedError (after a history entry on the case) unless the object is the registered scan. */
export async function assertScanUnchanged(
  record: CaseRecord,
  deps: { cases: CaseStore; scans: ScanStore; clock: Clock },
  step: string,
  what: string,
): Promise<void> {
  const change = await scanChange(record, deps.scans);
  if (!change) return;
  const at = deps.clock.now().toISOString();
  await saveOnLatest(deps.cases, record, (latest) =>
    transition(
      latest,
      {},
      { at, by: step, what: `scan changed after registration (${change}): no ${what}; a handler must look` },
    ),
  );
  throw new ScanChangedError(`case ${record.caseId}: the scan changed after registration (${change})`);
}
