// The local stack's own wiring on real emulators (dynalite, s3rver, aws-ses-v2-local): inbox upload → S3 event →
// execution input, restart recovery from the case records, the mail log across restarts, `status` on a stopped
// stack. Task functions are recording functions here so this suite does not depend on OCR speed; the full
// pipeline with the real handlers is test/local/pipeline.test.ts.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { afterAll, describe, expect, it } from "vitest";
import { listLocalCases } from "../../cli/status.ts";
import { PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../../infra/config.ts";
import { swedishDate } from "../../local/inbox.ts";
import type { TaskFn } from "../../local/runner.ts";
import { type Stack, startStack } from "../../local/stack.ts";
import { type CaseRecord, type CaseStatus, newCase } from "../../shared/domain/case.ts";
import { sampleClock } from "./helpers.ts";

const ROOT = join(import.meta.dirname, "../..");
const SCANS = join(ROOT, "test/fixtures/scans");
const work = mkdtempSync(join(tmpdir(), "lockdesk-stack-"));
const CLOCK = sampleClock();
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Json = Parameters<TaskFn>[0];
function recorder() {
  const calls: Array<{ fn: PipelineFunctionName; input: Json }> = [];
  const overrides = {} as Record<PipelineFunctionName, TaskFn>;
  for (const fn of Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]) {
    overrides[fn] = async (input) => {
      calls.push({ fn, input });
      const caseId = (input as { caseId?: string }).caseId ?? "C-NEW";
      return fn === "ValidateCase" ? { caseId, route: "REVIEW" } : fn === "RegisterCase" ? { caseId } : { caseId };
    };
  }
  return { calls, overrides };
}

function boot(dataDir: string, inbox: string | null, overrides: Record<PipelineFunctionName, TaskFn>): Promise<Stack> {
  return startStack({
    repoRoot: ROOT,
    dataDir,
    inbox,
    persons: join(ROOT, "data/persons.csv"),
    caregivers: join(ROOT, "data/approved-caregivers.csv"),
    taskOverrides: overrides,
    concurrency: 2,
    now: CLOCK,
  });
}

function caseRecord(caseId: string, status: CaseStatus, key: string, extra: Partial<CaseRecord> = {}): CaseRecord {
  const at = "2025-03-18T08:00:00.000Z";
  const scan = { bucket: "lockdesk-local-scans", key, fileName: key.split("/").pop() ?? key };
  const base = newCase({ caseId, status, scan, receivedAt: at, receivedDate: "2025-03-18", at, by: "test", what: "" });
  return { ...base, history: [], ...extra };
}

describe("local stack wiring", () => {
  const dataDir = join(work, "data");
  const inbox = join(work, "inbox");

  it("uploads inbox files with the receipt date and starts one execution per scan", async () => {
    mkdirSync(inbox, { recursive: true });
    const { calls, overrides } = recorder();
    const stack = await boot(dataDir, inbox, overrides);
    try {
      // Sidecar first (it carries the envelope's receipt date), then the scan; plus an unsupported file.
      copyFileSync(join(SCANS, "sample-01.json"), join(inbox, "sample-01.json"));
      copyFileSync(join(SCANS, "sample-01.png"), join(inbox, "sample-01.png"));
      writeFileSync(join(inbox, "letter.docx"), "not a scan");
      await stack.idle();
      // Each dropped file gets its own key: incoming/<date>/<token of this file>/<name>.
      const keys = calls
        .filter((c) => c.fn === "RegisterCase")
        .map((c) => (c.input as { scan: { key: string } }).scan.key);
      const key = keys[0] ?? "";
      expect(key).toMatch(new RegExp(`^incoming/${swedishDate(CLOCK())}/[0-9a-f]{12}/sample-01\\.png$`));
      const head = await stack.s3.send(new HeadObjectCommand({ Bucket: stack.names.scansBucket, Key: key }));
      const truth = JSON.parse(readFileSync(join(SCANS, "sample-01.json"), "utf8")) as { receivedDate: string };
      expect(head.Metadata?.["received-date"]).toBe(truth.receivedDate);
      expect(readdirSync(join(inbox, ".done")).sort()).toEqual(["sample-01.json", "sample-01.png"]);
      expect(readdirSync(join(inbox, ".rejected")).sort()).toEqual(["letter.docx", "letter.docx.reason.txt"]);
      expect(readFileSync(join(inbox, ".rejected/letter.docx.reason.txt"), "utf8")).toMatch(/unsupported file type/);
      const registers = calls.filter((c) => c.fn === "RegisterCase");
      expect(registers).toHaveLength(1);
      const scan = (registers[0]?.input as { scan?: Record<string, unknown> } | undefined)?.scan ?? {};
      expect(scan).toMatchObject({ bucket: stack.names.scansBucket, key, size: head.ContentLength });
      expect(scan.etag).toBe(head.ETag?.replace(/"/g, ""));
      expect(Number.isNaN(Date.parse(String(scan.eventTime)))).toBe(false);
      expect(existsSync(join(dataDir, "endpoints.json"))).toBe(true);
    } finally {
      await stack.stop();
    }
    expect(existsSync(join(dataDir, "endpoints.json"))).toBe(false);
  });

  it("recovers on restart: registers orphan scans, resumes mid-pipeline cases, archives, keeps mails", async () => {
    const first = recorder();
    let stack = await boot(dataDir, null, first.overrides);
    const orphanKey = "incoming/2025-03-18/orphan.png";
    try {
      const bytes = readFileSync(join(SCANS, "sample-02.png"));
      await stack.s3.send(
        new PutObjectCommand({ Bucket: stack.names.scansBucket, Key: "incoming/2025-03-18/received.png", Body: bytes }),
      );
      await stack.idle();
      // State as a kill -9 leaves it: cases at every step, and an object whose event was never handled.
      await stack.cases.create(caseRecord("C-RECEIVED", "RECEIVED", "incoming/2025-03-18/received.png"));
      await stack.cases.create(caseRecord("C-READ", "READ", "incoming/2025-03-18/read.png"));
      await stack.cases.create(caseRecord("C-EXECUTING", "EXECUTING", "incoming/2025-03-18/executing.png"));
      await stack.cases.create(caseRecord("C-EXECUTED", "EXECUTED", "incoming/2025-03-18/executed.png"));
      await stack.cases.create(
        caseRecord("C-ARCHIVED", "RETURNED", "incoming/2025-03-18/archived.png", {
          archive: { bucket: "a", scanKey: "s", summaryKey: "t", at: "2025-03-18T09:00:00Z" },
        }),
      );
      await stack.cases.create(caseRecord("C-REVIEW", "IN_REVIEW", "incoming/2025-03-18/review.png"));
      const ses = new SESv2Client({ endpoint: stack.endpoints.ses, region: stack.endpoints.region });
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: "sparr@lockdesk.local",
          Destination: { ToAddresses: ["mottagare@example.se"] },
          Content: { Simple: { Subject: { Data: "C-EXECUTED" }, Body: { Text: { Data: "bekräftelse" } } } },
        }),
      );
      ses.destroy();
    } finally {
      await stack.stop();
    }
    // While the stack is down a scan lands in the bucket directly (no event will ever come for it).
    const second = recorder();
    stack = await boot(dataDir, null, second.overrides);
    try {
      await stack.s3.send(
        new HeadObjectCommand({ Bucket: stack.names.scansBucket, Key: "incoming/2025-03-18/received.png" }),
      );
      await stack.idle();
      // (the orphan is added after boot to exercise the event path too)
      await stack.s3.send(new PutObjectCommand({ Bucket: stack.names.scansBucket, Key: orphanKey, Body: "x" }));
      await stack.idle();
      const scanKeys = second.calls
        .filter((c) => c.fn === "RegisterCase")
        .map((c) => (c.input as { scan: { key: string } }).scan.key)
        .sort();
      // sample-01 from the first test never got a case (its RegisterCase was a recorder): registered again.
      expect(scanKeys).toEqual([
        "incoming/2025-03-18/orphan.png",
        "incoming/2025-03-18/received.png",
        expect.stringMatching(new RegExp(`^incoming/${swedishDate(CLOCK())}/[0-9a-f]{12}/sample-01\\.png$`)),
      ]);
      const callsOf = (fn: PipelineFunctionName) =>
        second.calls
          .filter((c) => c.fn === fn)
          .map((c) => (c.input as { caseId?: string }).caseId)
          .filter((id) => id !== "C-NEW");
      // READ → ValidateCase (resume); EXECUTING → entered at ExecuteAction (ValidateCase refuses EXECUTING),
      // then on through the mail and the archive; EXECUTED without archive → ArchiveScan only.
      expect(callsOf("ValidateCase")).toEqual(["C-READ"]);
      expect(callsOf("ExecuteAction")).toEqual(["C-EXECUTING"]);
      expect(callsOf("SendMail")).toEqual(["C-EXECUTING"]);
      expect(callsOf("ArchiveScan").sort()).toEqual(["C-EXECUTED", "C-EXECUTING"]);
      expect(stack.recovery).toMatchObject({ resumed: 2, archived: 1 });
      const store = (await (await fetch(stack.endpoints.sesStore)).json()) as { emails: Array<{ subject: string }> };
      expect(store.emails.map((e) => e.subject)).toEqual(["C-EXECUTED"]);
    } finally {
      await stack.stop();
    }
    const listed = await listLocalCases(dataDir);
    expect(listed.map((c) => c.caseId).sort()).toEqual([
      "C-ARCHIVED",
      "C-EXECUTED",
      "C-EXECUTING",
      "C-READ",
      "C-RECEIVED",
      "C-REVIEW",
    ]);
    expect(listed.find((c) => c.caseId === "C-REVIEW")).toMatchObject({ file: "review.png", status: "IN_REVIEW" });
  });
});
