// One case per paper, one action per request, on the whole local stack (real emulators, THE ASL file, the real
// handlers with OCR):
// - sample-03 scanned three times (scanA/B/C.png, the same bytes) and dropped at once: three cases, ONE account
//   action, one set of mails, two DUPLICATE_SCAN reviews naming the executed case (the fingerprint claim settles
//   the race between the three executions);
// - two different papers dropped under the same file name on the same day are both decided.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../local/stack.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import { capturedMails, ROOT, SCANS, sampleClock, truth } from "./helpers.ts";

const work = mkdtempSync(join(tmpdir(), "lockdesk-same-paper-"));
const inbox = join(work, "inbox");
let stack: Stack | undefined;

function running(): Stack {
  if (!stack) throw new Error("the local stack did not start");
  return stack;
}

function drop(sample: string, as: string): void {
  const t = truth(sample);
  const stem = as.replace(/\.[^.]+$/, "");
  writeFileSync(join(inbox, `${stem}.json`), JSON.stringify({ receivedDate: t.receivedDate }));
  copyFileSync(join(SCANS, t.file), join(inbox, as));
}

beforeAll(async () => {
  mkdirSync(inbox, { recursive: true });
  stack = await startStack({
    repoRoot: ROOT,
    dataDir: join(work, "data"),
    inbox,
    persons: join(ROOT, "data/persons.csv"),
    caregivers: join(ROOT, "data/approved-caregivers.csv"),
    concurrency: 3,
    now: sampleClock(),
    log: (l) => process.stdout.write(`  [stack] ${l}\n`),
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("one case per paper, one action per request (local stack)", () => {
  it("sample-03 scanned three times: one action, one set of mails, two DUPLICATE_SCAN reviews", async () => {
    const s = running();
    for (const name of ["scanA.png", "scanB.png", "scanC.png"]) drop("sample-03", name);
    await s.idle();
    const cases = (await s.cases.listAll()).filter((c) => /^scan[ABC]\.png$/.test(c.scan?.fileName ?? ""));
    expect(cases.map((c) => c.scan?.fileName).sort()).toEqual(["scanA.png", "scanB.png", "scanC.png"]);
    expect(new Set(cases.map((c) => c.scan?.sha256)).size).toBe(1);

    // The sidecar's earlier receipt date is kept beside the arrival date, with who set it.
    for (const c of cases) {
      expect(c.receivedDate).toBe("2025-03-21");
      expect(c.arrivalDate).toBe("2025-03-28");
      expect(c.claimedReceivedDate).toEqual({ date: "2025-03-21", by: "inbox" });
    }
    const acted = cases.filter((c) => c.execution !== undefined);
    expect(acted, "exactly one account action").toHaveLength(1);
    const original = acted[0] as CaseRecord;
    expect(original.status).toBe("EXECUTED");
    const duplicates = cases.filter((c) => c !== original);
    for (const d of duplicates) {
      expect(d.status, d.caseId).toBe("IN_REVIEW");
      expect(d.reasons, d.caseId).toContain("DUPLICATE_SCAN");
      expect(d.duplicateOf, d.caseId).toBe(original.caseId);
      expect(d.mails ?? [], d.caseId).toEqual([]);
    }
    const mails = await capturedMails(s.endpoints.sesStore);
    const ofCases = (c: CaseRecord) => mails.filter((m) => m.subject.endsWith(`ärende ${c.caseId}`));
    expect(ofCases(original).length, "the confirmation of the original").toBeGreaterThan(0);
    expect(original.mails).toHaveLength(1);
    for (const d of duplicates) expect(ofCases(d), d.caseId).toEqual([]);
  }, 300_000);

  it("two different papers dropped under the same name the same day are both decided", async () => {
    const s = running();
    drop("sample-01", "paper.png");
    await s.idle();
    drop("sample-02", "paper.png");
    await s.idle();
    const cases = (await s.cases.listAll()).filter((c) => c.scan?.fileName === "paper.png");
    expect(cases).toHaveLength(2);
    expect(new Set(cases.map((c) => c.scan?.key)).size).toBe(2);
    expect(cases.map((c) => c.status).sort()).toEqual(["EXECUTED", "EXECUTED"]);
    expect(cases.map((c) => c.action).sort()).toEqual(["LOCK", "UNLOCK"]);
  }, 300_000);
});
