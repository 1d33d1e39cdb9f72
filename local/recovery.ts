// Restart recovery of the local stack: every case re-run from the step it reached (see recover below).
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { PREFIXES } from "../shared/config/names.ts";
import type { CaseRecord } from "../shared/domain/case.ts";
import type { CaseStore } from "../shared/ports/case-store.ts";
import type { ScanArrived } from "../shared/use-cases/contracts.ts";
import { printableName } from "./inbox.ts";
import { LOCAL_NAMES } from "./stack-config.ts";

export interface RecoveryReport {
  objects: number;
  registered: number;
  resumed: number;
  archived: number;
  setAside: number;
}

export interface RecoverDeps {
  s3: S3Client;
  cases: CaseStore;
  startScan: (scan: ScanArrived) => void;
  startResume: (caseId: string) => void;
  startAtTask: (fn: "ExecuteAction" | "ArchiveScan", caseId: string) => void;
  /** A batch file's later document, entered at ReadForm ({caseId, document:true}). */
  startLaterDocument: (caseId: string) => void;
  files: Map<string, string>;
  log: (line: string) => void;
}

/**
 * Restart safety. The case record is the source of truth and every step is idempotent, so recovery re-runs
 * from the step a case reached:
 * - an object in incoming/ with no case, or a case still RECEIVED → a new execution with the scan (RegisterCase
 *   creates the case, or continues a RECEIVED one);
 * - a batch file's later document still RECEIVED → THE definition entered at ReadForm ({caseId, document:true});
 * - READ / APPROVED → resumed at ValidateCase ({caseId, resume:true}), as a handler's decision would;
 * - EXECUTING → THE definition entered at ExecuteAction (ValidateCase refuses a case already acting):
 *   ExecuteAction finds a recorded account result and does not call the service again (and the service's
 *   conditional updates make a repeated call ALREADY_LOCKED, not a second change); SendMail finds a recorded mail
 *   and does not send again;
 * - EXECUTED / RETURNED without an archive record → entered at ArchiveScan (the last step; idempotent copy).
 * Cases already parked or final are left alone.
 */
export async function recover(deps: RecoverDeps): Promise<RecoveryReport> {
  const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
  const report: RecoveryReport = { objects: 0, registered: 0, resumed: 0, archived: 0, setAside: 0 };
  const all = await deps.cases.listAll();
  const byKey = new Map<string, CaseRecord>();
  // A batch file's documents share its key: the file's own case (the first document) stands for the object.
  for (const c of all) if (c.scan?.key && !c.document?.index) byKey.set(c.scan.key, c);

  let token: string | undefined;
  do {
    const page = await deps.s3.send(
      new ListObjectsV2Command({
        Bucket: LOCAL_NAMES.scansBucket,
        Prefix: PREFIXES.incoming,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const obj of page.Contents ?? []) {
      if (!obj.Key) continue;
      report.objects++;
      const existing = byKey.get(obj.Key);
      if (existing && existing.status !== "RECEIVED") continue;
      const head = await deps.s3.send(new HeadObjectCommand({ Bucket: LOCAL_NAMES.scansBucket, Key: obj.Key }));
      const scan: ScanArrived = {
        bucket: LOCAL_NAMES.scansBucket,
        key: obj.Key,
        eventTime: (head.LastModified ?? obj.LastModified ?? new Date()).toISOString(),
      };
      if (head.ETag) scan.etag = head.ETag.replace(/"/g, "");
      if (head.ContentLength !== undefined) scan.size = head.ContentLength;
      deps.files.set(obj.Key, printableName(obj.Key.split("/").pop() ?? obj.Key));
      deps.log(`${deps.files.get(obj.Key)}  recovering: ${existing ? "registered, not read" : "no case yet"}`);
      deps.startScan(scan);
      report.registered++;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  for (const c of all) {
    const name = c.scan?.fileName ?? c.caseId;
    if (c.scan?.fileName) deps.files.set(c.caseId, c.scan.fileName);
    if (c.status === "RECEIVED" && c.document && c.document.index > 0) {
      // A batch file's later document registered by ReadForm whose execution did not get to read it.
      deps.log(`${name}  recovering: document ${c.document.index + 1} of ${c.document.count}, not read  ${c.caseId}`);
      deps.startLaterDocument(c.caseId);
      report.registered++;
    } else if (c.status === "READ" || c.status === "APPROVED") {
      deps.log(`${name}  recovering: resume from ${c.status}  ${c.caseId}`);
      deps.startResume(c.caseId);
      report.resumed++;
    } else if (c.status === "EXECUTING") {
      deps.log(`${name}  recovering: continue at ExecuteAction  ${c.caseId}`);
      deps.startAtTask("ExecuteAction", c.caseId);
      report.resumed++;
    } else if ((c.status === "EXECUTED" || c.status === "RETURNED") && !c.archive) {
      deps.log(`${name}  recovering: archive  ${c.caseId}`);
      deps.startAtTask("ArchiveScan", c.caseId);
      report.archived++;
    }
  }
  return report;
}
