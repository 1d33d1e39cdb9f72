// Restart safety: the stack runs as a child process, is killed with SIGKILL in the middle of a batch and
// started again on the same data dir. Nothing is lost (every scan has one case, in its final state) and nothing
// happens twice (one account action per executed case, no mail sent twice).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { FINAL_STATUSES, LOCAL_NAMES, readEndpointsFile } from "../../local/stack.ts";
import { DynamoCaseStore, documentClient } from "../../shared/adapters/aws/dynamo-case-store.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import { MAIL_UNCERTAIN } from "../../shared/use-cases/send-mail.ts";
import { capturedMails, dropIntoInbox, EXPECTED_STATUS, ROOT, selectedSamples, sleep, truth } from "./helpers.ts";

const IDS = selectedSamples(["sample-01", "sample-03", "sample-10", "sample-19"]);
const work = mkdtempSync(join(tmpdir(), "lockdesk-restart-"));
const dataDir = join(work, "data");
const inbox = join(work, "inbox");
let child: ChildProcess | null = null;

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => child?.once("exit", r));
  }
  rmSync(work, { recursive: true, force: true });
});

/** The samples' receipt dates (March 2025) are within the mail room's window of this clock (helpers.sampleClock). */
const SAMPLE_TIME = "2025-03-28T09:00:00.000Z";

function startChild(): { proc: ChildProcess; output: () => string } {
  let out = "";
  const proc = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "local/main.ts",
      "start",
      "--data-dir",
      dataDir,
      "--inbox",
      inbox,
      "--port",
      "0",
      "--concurrency",
      "2",
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: "ERROR", LOCKDESK_CLOCK_START: SAMPLE_TIME },
    },
  );
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  return { proc, output: () => out };
}

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await cond()) return;
    await sleep(500);
  }
  const state = (await casesOfRunningStack()).map((c) => `${c.scan?.fileName} ${c.status}`).join(", ");
  throw new Error(`timed out waiting for ${what} (cases: ${state || "none"})`);
}

async function casesOfRunningStack(): Promise<CaseRecord[]> {
  const ep = readEndpointsFile(dataDir);
  if (!ep) return [];
  const client = new DynamoDBClient({
    endpoint: ep.endpoints.dynamodb,
    region: ep.endpoints.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    return await new DynamoCaseStore(documentClient(client), LOCAL_NAMES.casesTable).listAll();
  } catch {
    return [];
  } finally {
    client.destroy();
  }
}

describe("restart safety", () => {
  it("loses nothing and does nothing twice after a kill -9 mid-batch", async () => {
    mkdirSync(inbox, { recursive: true });
    const first = startChild();
    child = first.proc;
    await waitFor(() => first.output().includes("ready"), 120_000, "first start");
    dropIntoInbox(inbox, IDS);
    // Kill once the batch is under way: the first case has been decided, the others are still being read.
    await waitFor(() => /decided/.test(first.output()), 900_000, "a decided case");
    first.proc.kill("SIGKILL");
    await new Promise((r) => first.proc.once("exit", r));
    const beforeRestart = first.output();
    process.stdout.write(`--- before kill -9 ---\n${beforeRestart}`);

    const second = startChild();
    child = second.proc;
    await waitFor(() => second.output().includes("ready"), 120_000, "restart");
    const files = IDS.map((id) => truth(id).file);
    await waitFor(
      async () => {
        const cases = await casesOfRunningStack();
        const done = cases.filter((c) => c.scan && files.includes(c.scan.fileName) && FINAL_STATUSES.has(c.status));
        const waiting = readdirSync(inbox).filter((f) => !f.startsWith("."));
        return done.length === files.length && waiting.length === 0;
      },
      900_000,
      "every scan in a final state",
    );
    await sleep(1000); // let a (wrong) duplicate execution show itself if there were one
    process.stdout.write(`--- after restart ---\n${second.output()}`);
    const cases = await casesOfRunningStack();
    const endpoints = readEndpointsFile(dataDir);
    expect(endpoints).not.toBeNull();
    const mails = await capturedMails(endpoints?.endpoints.sesStore ?? "");

    // Every scan has exactly one case, in the ground truth's final state.
    for (const id of IDS) {
      const t = truth(id);
      const mine = cases.filter((c) => c.scan?.fileName === t.file);
      expect(mine, `${id} cases`).toHaveLength(1);
      // A kill between SES accepting a mail and the case recording it leaves the case with a handler (the mail
      // may have gone out): never a second mail.
      const uncertain = mine[0]?.reviewReason?.startsWith(MAIL_UNCERTAIN) === true;
      expect(mine[0]?.status, `${id} status`).toBe(uncertain ? "IN_REVIEW" : EXPECTED_STATUS[t.decision]);
      const history = mine[0]?.history ?? [];
      expect(history.filter((h) => h.what.startsWith("account action")).length, `${id} account actions`).toBe(
        t.decision === "EXECUTE" ? 1 : 0,
      );
      const kinds = (mine[0]?.mails ?? []).map((m) => m.kind);
      expect(new Set(kinds).size, `${id} mails per kind`).toBe(kinds.length);
    }
    // No mail twice: at most one captured mail per case and kind (the subject names the case); every recorded
    // mail was captured; a captured mail that is not recorded belongs to a case parked as "may have been sent".
    const recorded = cases.flatMap((c) => (c.mails ?? []).map((m) => m.messageId));
    expect(new Set(recorded).size).toBe(recorded.length);
    const captured = mails.map((m) => m.messageId);
    for (const id of recorded) expect(captured).toContain(id);
    const perCase = new Map<string, number>();
    for (const m of mails) {
      const caseId = /C-[A-Z0-9]+/.exec(m.subject)?.[0] ?? "?";
      const kind = /^Bekräftelse/.test(m.subject) ? "CONFIRMATION" : "OTHER";
      perCase.set(`${caseId}/${kind}`, (perCase.get(`${caseId}/${kind}`) ?? 0) + 1);
      if (!recorded.includes(m.messageId)) {
        const owner = cases.find((c) => c.caseId === caseId);
        expect(owner?.reviewReason, `unrecorded mail ${m.subject}`).toMatch(new RegExp(`^${MAIL_UNCERTAIN}`));
      }
    }
    for (const [k, n] of perCase) expect(n, `mails for ${k}`).toBe(1);
    // The kill really happened mid-batch: not every case was final before it.
    expect((beforeRestart.match(/ (EXECUTED|RETURNED|IN_REVIEW) /g) ?? []).length).toBeLessThan(IDS.length);

    second.proc.kill("SIGTERM");
    await new Promise((r) => second.proc.once("exit", r));
    expect(second.proc.exitCode).toBe(0);
  }, 2_400_000);
});
