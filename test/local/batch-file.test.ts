// A batch file on the whole local stack (real emulators, THE ASL file, the real handlers with OCR): an envelope
// stack scanned into one PDF with three documents (../shared/forms/field/scans/fieldsample-13.pdf) becomes three
// cases, each with its own pages and form page, decided as the ground truth says, each with an archive entry
// pointing into the one archived copy of the file; a restart in the middle of the batch makes no second set.
// LOCKDESK_BATCH_SAMPLE=fieldsample-10 runs the four-document TIFF instead.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { type Stack, type StackOptions, startStack } from "../../local/stack.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import { ROOT, sampleClock, sleep } from "./helpers.ts";

const FIELD = join(ROOT, "../shared/forms/field");
const SAMPLE = process.env.LOCKDESK_BATCH_SAMPLE ?? "fieldsample-13";

interface BatchTruth {
  file: string;
  receivedDate: string;
  pageCount: number;
  documents: Array<{ pages: number[]; formPage: number; formCode: string; expected: { decision: string } }>;
}
const truth = JSON.parse(readFileSync(join(FIELD, "scans", `${SAMPLE}.json`), "utf8")) as BatchTruth;

const work = mkdtempSync(join(tmpdir(), "lockdesk-batch-"));
const inbox = join(work, "inbox");
const clock = sampleClock(`${truth.receivedDate}T09:00:00.000Z`);
const options: StackOptions = {
  repoRoot: ROOT,
  dataDir: join(work, "data"),
  inbox,
  persons: join(FIELD, "persons.csv"),
  caregivers: join(FIELD, "approved-caregivers.csv"),
  staff: join(FIELD, "staff.csv"),
  concurrency: 3,
  now: clock,
  log: (l) => process.stdout.write(`  [stack] ${l}\n`),
};
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

const batchCases = async (s: Stack): Promise<CaseRecord[]> =>
  (await s.cases.listAll()).filter((c) => c.scan?.fileName === truth.file);

describe(`a batch file (${SAMPLE}) through the local stack`, () => {
  it("one case per document, each with its pages, decision and archive entry; a restart makes no second set", async () => {
    mkdirSync(inbox, { recursive: true });
    stack = await startStack(options);
    writeFileSync(join(inbox, `${SAMPLE}.json`), JSON.stringify({ receivedDate: truth.receivedDate }));
    copyFileSync(join(FIELD, "scans", truth.file), join(inbox, truth.file));

    // Restart mid-batch: once the file's case has registered the later documents, stop the stack (as Ctrl-C does:
    // it does not wait for OCR) and start it again on the same data.
    const deadline = Date.now() + 600_000;
    while ((await batchCases(stack)).length < truth.documents.length && Date.now() < deadline) await sleep(500);
    const before = await batchCases(stack);
    expect(before).toHaveLength(truth.documents.length);
    const unfinished = before.filter((c) => !c.archive).length;
    await stack.stop();
    stack = await startStack(options);
    await stack.idle();

    const cases = (await batchCases(stack)).sort((a, b) => (a.document?.index ?? 0) - (b.document?.index ?? 0));
    process.stdout.write(`  restart with ${unfinished} of ${cases.length} documents unfinished\n`);
    expect(cases.map((c) => c.caseId).sort()).toEqual(before.map((c) => c.caseId).sort());
    expect(new Set(cases.map((c) => c.scan?.key)).size).toBe(1); // every case points at the one file

    const fileCase = cases[0] as CaseRecord;
    for (const [k, doc] of truth.documents.entries()) {
      const c = cases[k] as CaseRecord;
      const pages = doc.pages.map((p) => p - 1); // the ground truth counts from 1
      expect(c.document, c.caseId).toEqual({
        index: k,
        count: truth.documents.length,
        pages,
        formPage: doc.formPage - 1,
        fileCaseId: fileCase.caseId,
      });
      expect(c.formCode, c.caseId).toBe(doc.formCode);
      expect(c.decision, `${c.caseId} document ${k + 1}`).toBe(doc.expected.decision);
      expect(c.receivedDate).toBe(truth.receivedDate);
      if (c.status === "EXECUTED" || c.status === "RETURNED") {
        // A finished case has its archive entry, pointing into the one archived copy of the file.
        expect(c.archive?.scanKey, c.caseId).toMatch(new RegExp(`^archive/\\d{4}/${fileCase.caseId}/scan-`));
        expect(c.archive?.summaryKey, c.caseId).toContain(c.caseId);
      } else {
        expect(c.archive, c.caseId).toBeUndefined();
      }
    }
    const finished = cases.filter((c) => c.archive);
    expect(new Set(finished.map((c) => c.archive?.scanKey)).size).toBeLessThanOrEqual(1);
    // Nothing lost: the original stays in incoming/ while a document of it waits for a handler, and goes (kept in
    // the archive once) when every document is archived.
    const original = await stack.s3
      .send(new HeadObjectCommand({ Bucket: fileCase.scan?.bucket, Key: fileCase.scan?.key }))
      .then(() => true)
      .catch(() => false);
    expect(original).toBe(finished.length < cases.length);
  }, 1_200_000);
});
