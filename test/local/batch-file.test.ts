// A batch file on the whole local stack (real emulators, THE ASL file, the real handlers with OCR, the field set's
// staff directory): an envelope stack scanned into one G4 TIFF with four documents on seven pages
// (../shared/forms/field/scans/fieldsample-10.tif: a folded form with an ID copy, a stamped and punched one, a 1177-VH
// with a blank page, one more with a blank page) becomes four cases, each with its own pages and form page, decided
// as the ground truth says, each finished one with an archive entry pointing into the one archived copy of the file;
// a kill -9 in the middle of the batch and a restart make no second set. LOCKDESK_BATCH_SAMPLE=fieldsample-13 runs
// the three-document PDF instead.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { FINAL_STATUSES, LOCAL_NAMES, readEndpointsFile, type Stack, startStack } from "../../local/stack.ts";
import { DynamoCaseStore, documentClient } from "../../shared/adapters/aws/dynamo-case-store.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import { ROOT, sampleClock, sleep } from "./helpers.ts";

const FIELD = join(ROOT, "../shared/forms/field");
const SAMPLE = process.env.LOCKDESK_BATCH_SAMPLE ?? "fieldsample-10";

interface BatchTruth {
  file: string;
  receivedDate: string;
  documents: Array<{ pages: number[]; formPage: number; formCode: string; expected: { decision: string } }>;
}
const truth = JSON.parse(readFileSync(join(FIELD, "scans", `${SAMPLE}.json`), "utf8")) as BatchTruth;
const CLOCK_START = `${truth.receivedDate}T09:00:00.000Z`;
const REFERENCE = {
  persons: join(FIELD, "persons.csv"),
  caregivers: join(FIELD, "approved-caregivers.csv"),
  staff: join(FIELD, "staff.csv"),
};

const work = mkdtempSync(join(tmpdir(), "lockdesk-batch-"));
let stack: Stack | undefined;
let child: ChildProcess | null = null;

afterAll(async () => {
  await stack?.stop();
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => child?.once("exit", r));
  }
  rmSync(work, { recursive: true, force: true });
});

function drop(inbox: string): void {
  mkdirSync(inbox, { recursive: true });
  writeFileSync(join(inbox, `${SAMPLE}.json`), JSON.stringify({ receivedDate: truth.receivedDate }));
  copyFileSync(join(FIELD, "scans", truth.file), join(inbox, truth.file));
}

const ofFile = (all: CaseRecord[]): CaseRecord[] =>
  all
    .filter((c) => c.scan?.fileName === truth.file)
    .sort((a, b) => (a.document?.index ?? 0) - (b.document?.index ?? 0));

/** The cases of the batch file as the ground truth has them: pages, form page, decision, archive entry. */
async function expectBatch(cases: CaseRecord[], s3: S3Client): Promise<void> {
  expect(cases).toHaveLength(truth.documents.length);
  expect(new Set(cases.map((c) => c.scan?.key)).size).toBe(1); // every case points at the one file
  const fileCase = cases[0] as CaseRecord;
  for (const [k, doc] of truth.documents.entries()) {
    const c = cases[k] as CaseRecord;
    expect(c.document, c.caseId).toEqual({
      index: k,
      count: truth.documents.length,
      pages: doc.pages.map((p) => p - 1), // the ground truth counts from 1
      formPage: doc.formPage - 1,
      fileCaseId: fileCase.caseId,
    });
    expect(c.formCode, c.caseId).toBe(doc.formCode);
    expect(c.decision, `${c.caseId} document ${k + 1}`).toBe(doc.expected.decision);
    expect(c.receivedDate).toBe(truth.receivedDate);
    if (c.status === "EXECUTED" || c.status === "RETURNED") {
      // A finished case has its archive entry, pointing into the one archived copy of the file.
      expect(c.archive?.scanKey ?? "", c.caseId).toMatch(new RegExp(`^archive/\\d{4}/${fileCase.caseId}/scan-`));
      expect(c.archive?.summaryKey, c.caseId).toContain(c.caseId);
    } else {
      expect(c.archive, c.caseId).toBeUndefined();
    }
  }
  const finished = cases.filter((c) => c.archive);
  expect(new Set(finished.map((c) => c.archive?.scanKey)).size).toBeLessThanOrEqual(1);
  // Nothing lost: the original stays in incoming/ while a document of it waits for a handler, and goes (kept in
  // the archive once) when every document is archived.
  const original = await s3
    .send(new HeadObjectCommand({ Bucket: fileCase.scan?.bucket, Key: fileCase.scan?.key }))
    .then(() => true)
    .catch(() => false);
  expect(original).toBe(finished.length < cases.length);
}

describe(`a batch file (${SAMPLE}) through the local stack`, () => {
  it("one case per document, each with its pages, form page, decision and archive entry", async () => {
    const inbox = join(work, "inbox");
    stack = await startStack({
      repoRoot: ROOT,
      dataDir: join(work, "data"),
      inbox,
      ...REFERENCE,
      concurrency: 3,
      now: sampleClock(CLOCK_START),
      log: (l) => process.stdout.write(`  [stack] ${l}\n`),
    });
    drop(inbox);
    await stack.idle();
    await expectBatch(ofFile(await stack.cases.listAll()), stack.s3);
    await stack.stop();
    stack = undefined;
  }, 900_000);

  it("a kill -9 mid-batch and a restart make no second set and lose no document", async () => {
    const dataDir = join(work, "restart-data");
    const inbox = join(work, "restart-inbox");
    mkdirSync(inbox, { recursive: true });
    const start = () => {
      let out = "";
      const proc = spawn(
        process.execPath,
        ["--import", "tsx", "local/main.ts", "start", "--data-dir", dataDir, "--inbox", inbox, "--port", "0"],
        {
          cwd: ROOT,
          stdio: ["ignore", "pipe", "pipe"],
          env: {
            ...process.env,
            POWERTOOLS_LOG_LEVEL: "ERROR",
            LOCKDESK_CLOCK_START: CLOCK_START,
            LOCKDESK_PERSONS: REFERENCE.persons,
            LOCKDESK_CAREGIVERS: REFERENCE.caregivers,
            LOCKDESK_STAFF: REFERENCE.staff,
          },
        },
      );
      proc.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
      });
      proc.stderr?.on("data", (d: Buffer) => {
        out += d.toString();
      });
      child = proc;
      return { proc, output: () => out };
    };
    const casesNow = async (): Promise<CaseRecord[]> => {
      const ep = readEndpointsFile(dataDir);
      if (!ep) return [];
      const client = new DynamoDBClient({
        endpoint: ep.endpoints.dynamodb,
        region: ep.endpoints.region,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      });
      try {
        return ofFile(await new DynamoCaseStore(documentClient(client), LOCAL_NAMES.casesTable).listAll());
      } catch {
        return [];
      } finally {
        client.destroy();
      }
    };
    const waitFor = async (cond: () => Promise<boolean> | boolean, what: string) => {
      const until = Date.now() + 600_000;
      while (Date.now() < until) {
        if (await cond()) return;
        await sleep(300);
      }
      throw new Error(`timed out waiting for ${what}`);
    };

    const first = start();
    await waitFor(() => first.output().includes("ready"), "first start");
    drop(inbox);
    // Kill once the later documents are registered and before they are all decided.
    await waitFor(async () => (await casesNow()).length === truth.documents.length, "the documents' cases");
    const before = await casesNow();
    first.proc.kill("SIGKILL");
    await new Promise((r) => first.proc.once("exit", r));
    const unfinished = before.filter((c) => !FINAL_STATUSES.has(c.status)).length;
    process.stdout.write(`--- before kill -9 ---\n${first.output()}`);

    const second = start();
    await waitFor(() => second.output().includes("ready"), "restart");
    await waitFor(async () => {
      const cases = await casesNow();
      return cases.length > 0 && cases.every((c) => FINAL_STATUSES.has(c.status));
    }, "every document in a final state");
    await sleep(1000); // let a (wrong) second set show itself if there were one
    process.stdout.write(`--- after restart ---\n${second.output()}`);
    const cases = await casesNow();
    process.stdout.write(`killed with ${unfinished} of ${before.length} documents unfinished\n`);
    expect(unfinished, "the kill came mid-batch").toBeGreaterThan(0);
    expect(cases.map((c) => c.caseId)).toEqual(before.map((c) => c.caseId)); // the same set, no second one
    expect(cases).toHaveLength(truth.documents.length);
    for (const [k, doc] of truth.documents.entries()) {
      expect(cases[k]?.decision, `document ${k + 1}`).toBe(doc.expected.decision);
    }
  }, 1_200_000);
});
