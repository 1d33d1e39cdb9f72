// RegisterCase: the first task of an execution. A scan delivery becomes exactly one case, even when
// EventBridge delivers the same S3 object twice (at-least-once): the case id is derived from the object's
// identity (bucket, key, version AND etag: never from a name alone, so another paper uploaded under a key used
// before is another case) and the item is created conditionally.
import { createHash } from "node:crypto";
import { type CaseRecord, newCase, type ScanRef } from "../domain/case.ts";
import { ScanChangedError, ValidationError } from "../domain/errors.ts";
import { isIsoDate, receiptDateProblem } from "../domain/receipt-date.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { ScanStore } from "../ports/scan-store.ts";
import { type CaseLogger, pipelineLogger } from "./case-history.ts";
import type { ScanArrived, TaskResult } from "./contracts.ts";

export interface RegisterCaseDeps {
  cases: CaseStore;
  scans: ScanStore;
  clock: Clock;
  logger?: CaseLogger;
}

const STEP = "RegisterCase";
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * `C-` + base32 of the first 10 bytes of sha256(bucket, key, versionId, etag): stable across duplicate deliveries
 * of one object, different for other content under the same key (the local emulator has no versions).
 */
export function caseIdForScan(scan: {
  bucket: string;
  key: string;
  versionId?: string | undefined;
  etag?: string | undefined;
}): string {
  const etag = (scan.etag ?? "").replace(/"/g, "");
  const identity = etag
    ? [scan.bucket, scan.key, scan.versionId ?? "", etag]
    : [scan.bucket, scan.key, scan.versionId ?? ""];
  const digest = createHash("sha256").update(JSON.stringify(identity)).digest().subarray(0, 10);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `C-${out}`; // 80 bits → exactly 16 characters
}

const STOCKHOLM_DATE = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Stockholm",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

export { isIsoDate };

export interface ReceiptDates {
  /** The arrival time's date in Swedish time: the system's receipt date. */
  arrivalDate: string;
  /** The date the age rules use: the mail room's earlier date when it is within the window, else the arrival date. */
  receivedDate: string;
  /** The mail room's earlier date that was taken, and who set it. */
  claimed?: { date: string; by: string };
  /** Why a date in the metadata was not taken (for the case history; never personal data). */
  ignored?: string;
}

/**
 * The receipt date is the arrival of the upload. The mail room's `received-date` metadata (the envelope's stamp,
 * set by `received-date-by`) may make it earlier, within the window of shared/domain/receipt-date.ts: a date in
 * the future or more than 14 days back is refused at upload, and ignored here should one get through.
 */
export function receiptDates(metadata: Record<string, string>, eventTime: Date): ReceiptDates {
  const arrivalDate = STOCKHOLM_DATE.format(eventTime);
  const stamped = metadata["received-date"]?.trim();
  if (!stamped || stamped === arrivalDate) return { arrivalDate, receivedDate: arrivalDate };
  const problem = receiptDateProblem(stamped, arrivalDate);
  if (problem) {
    const shown = isIsoDate(stamped) ? stamped : "(not a date)";
    return { arrivalDate, receivedDate: arrivalDate, ignored: `received-date ${shown} ignored: ${problem}` };
  }
  const by = (metadata["received-date-by"] ?? "").replace(/[^\w:.@-]/g, "").slice(0, 80) || "unknown";
  return { arrivalDate, receivedDate: stamped, claimed: { date: stamped, by } };
}

/** The receipt date for the age rules (see receiptDates). */
export function receiptDate(metadata: Record<string, string>, eventTime: Date): string {
  return receiptDates(metadata, eventTime).receivedDate;
}

/** The paper's file name for people: the uploader's `file-name` metadata, else the key's last part; never control characters. */
export function scanFileName(key: string, metadata: Record<string, string>): string {
  const raw = metadata["file-name"] || key.split("/").pop() || key;
  return raw.replace(/[\p{Cc}\p{Cf}]/gu, "").slice(0, 200) || "scan";
}

export async function registerCase(input: { scan: ScanArrived }, deps: RegisterCaseDeps): Promise<TaskResult> {
  const log = deps.logger ?? pipelineLogger();
  const { scan } = input;
  const caseId = caseIdForScan(scan);
  const eventTime = new Date(scan.eventTime);
  if (Number.isNaN(eventTime.getTime())) throw new ValidationError(`case ${caseId}: eventTime is not a valid time`);

  const existing = await deps.cases.get(caseId);
  if (existing) return duplicate(existing, log);

  // Keys are unique per upload: another object under a key a case was registered from is a presigned upload used
  // twice (or any other overwrite). It is not read: MarkFailed records it as a FAILED case for a handler, and the
  // first case's own check stops it before it acts (scan-unchanged.ts).
  const keyOwner = await deps.cases.claim(`object:${scan.bucket}/${scan.key}`, caseId);
  if (keyOwner !== caseId) {
    throw new ScanChangedError(
      `case ${caseId}: another object was uploaded under the key of case ${keyOwner} (an upload used twice)`,
    );
  }

  const stored = await deps.scans.get(scan.bucket, scan.key);
  const now = deps.clock.now().toISOString();
  const scanRef: ScanRef = {
    bucket: scan.bucket,
    key: scan.key,
    sha256: createHash("sha256").update(stored.bytes).digest("hex"),
    size: stored.bytes.byteLength,
    fileName: scanFileName(scan.key, stored.metadata),
  };
  const versionId = scan.versionId ?? stored.versionId;
  if (versionId) scanRef.versionId = versionId;
  const etag = scan.etag?.replace(/"/g, "");
  if (etag) scanRef.etag = etag;
  if (stored.contentType) scanRef.contentType = stored.contentType;
  const dates = receiptDates(stored.metadata, eventTime);
  const receivedDate = dates.receivedDate;
  const what = [
    `registered from scan (receipt date ${receivedDate}`,
    dates.claimed ? `, set by ${dates.claimed.by}; arrival ${dates.arrivalDate})` : ")",
    dates.ignored ? `; ${dates.ignored}` : "",
  ].join("");
  const created = newCase({
    caseId,
    status: "RECEIVED",
    scan: scanRef,
    receivedAt: eventTime.toISOString(),
    receivedDate,
    at: now,
    by: STEP,
    what,
  });
  const record = {
    ...created,
    arrivalDate: dates.arrivalDate,
    ...(dates.claimed ? { claimedReceivedDate: dates.claimed } : {}),
  };
  if (!(await deps.cases.create(record))) {
    // Another execution for the same object won the race between our get and create.
    const winner = await deps.cases.get(caseId);
    if (winner) return duplicate(winner, log);
  }
  log.info("case registered", { caseId, step: STEP, receivedDate });
  return { caseId, status: "RECEIVED" };
}

/**
 * A duplicate delivery. A case still RECEIVED was registered but never read (the first execution died):
 * continue so it is not stuck. Anything further along belongs to the first execution: DONE.
 */
function duplicate(existing: CaseRecord, log: CaseLogger): TaskResult {
  if (existing.status === "RECEIVED") {
    log.info("case already registered, not read yet: continuing", { caseId: existing.caseId, step: STEP });
    return { caseId: existing.caseId, status: existing.status };
  }
  log.info("duplicate delivery: case already past registration", { caseId: existing.caseId, step: STEP });
  return { caseId: existing.caseId, route: "DONE", status: existing.status };
}
