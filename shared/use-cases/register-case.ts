// RegisterCase: the first task of an execution. A scan delivery becomes exactly one case, even when
// EventBridge delivers the same S3 object twice (at-least-once): the case id is derived from the object's
// identity and the item is created conditionally.
import { createHash } from "node:crypto";
import { type CaseRecord, newCase, type ScanRef } from "../domain/case.ts";
import { ValidationError } from "../domain/errors.ts";
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

/** `C-` + base32 of the first 10 bytes of sha256(bucket, key, versionId): stable across duplicate deliveries. */
export function caseIdForScan(scan: { bucket: string; key: string; versionId?: string | undefined }): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([scan.bucket, scan.key, scan.versionId ?? ""]))
    .digest()
    .subarray(0, 10);
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

/** A real calendar date in YYYY-MM-DD form. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * The receipt date for the age rules: the mail room's `received-date` metadata when present and valid
 * (the envelope's stamp can be days before the scan), else the arrival time's date in Swedish local time.
 */
export function receiptDate(metadata: Record<string, string>, eventTime: Date): string {
  const stamped = metadata["received-date"]?.trim();
  if (stamped && isIsoDate(stamped)) return stamped;
  return STOCKHOLM_DATE.format(eventTime);
}

export async function registerCase(input: { scan: ScanArrived }, deps: RegisterCaseDeps): Promise<TaskResult> {
  const log = deps.logger ?? pipelineLogger();
  const { scan } = input;
  const caseId = caseIdForScan(scan);
  const eventTime = new Date(scan.eventTime);
  if (Number.isNaN(eventTime.getTime())) throw new ValidationError(`case ${caseId}: eventTime is not a valid time`);

  const existing = await deps.cases.get(caseId);
  if (existing) return duplicate(existing, log);

  const stored = await deps.scans.get(scan.bucket, scan.key);
  const now = deps.clock.now().toISOString();
  const scanRef: ScanRef = {
    bucket: scan.bucket,
    key: scan.key,
    sha256: createHash("sha256").update(stored.bytes).digest("hex"),
    size: stored.bytes.byteLength,
    fileName: scan.key.split("/").pop() || scan.key,
  };
  const versionId = scan.versionId ?? stored.versionId;
  if (versionId) scanRef.versionId = versionId;
  const receivedDate = receiptDate(stored.metadata, eventTime);
  const record = newCase({
    caseId,
    status: "RECEIVED",
    scan: scanRef,
    receivedAt: eventTime.toISOString(),
    receivedDate,
    at: now,
    by: STEP,
    what: `registered from scan (receipt date ${receivedDate})`,
  });
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
