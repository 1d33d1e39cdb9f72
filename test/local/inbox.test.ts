// The inbox never loops or drops, on the real s3rver (the stack's emulator), and the stack's lock survives kill -9
// and pid reuse. Task functions are recorders: no OCR here (the full pipeline is test/local/same-paper.test.ts).
import { execFileSync, spawn } from "node:child_process";
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
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../../infra/config.ts";
import { MAX_ATTEMPTS, startInbox } from "../../local/inbox.ts";
import type { TaskFn } from "../../local/runner.ts";
import { startStack } from "../../local/stack.ts";
import { acquireStackLock, lockFilePath, processStartTime } from "../../local/stack-lock.ts";
import { ROOT, SCANS, sampleClock, sleep } from "./helpers.ts";

const work = mkdtempSync(join(tmpdir(), "lockdesk-inbox-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function recorder() {
  const registered: string[] = [];
  const overrides = {} as Record<PipelineFunctionName, TaskFn>;
  for (const fn of Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]) {
    overrides[fn] = async (input) => {
      if (fn === "RegisterCase") {
        const key = (input as { scan: { key: string } }).scan.key;
        registered.push(key);
        // A failing execution is logged with the file's name: the escape in this key must not reach the log.
        if (key.includes("\u001b")) throw new Error("cannot register");
      }
      return { caseId: (input as { caseId?: string }).caseId ?? "C-NEW", route: "DONE" };
    };
  }
  return { registered, overrides };
}

function boot(dataDir: string, inbox: string | null, log: string[] = []) {
  const { registered, overrides } = recorder();
  const started = startStack({
    repoRoot: ROOT,
    dataDir,
    inbox,
    persons: join(ROOT, "data/persons.csv"),
    caregivers: join(ROOT, "data/approved-caregivers.csv"),
    taskOverrides: overrides,
    concurrency: 1,
    now: sampleClock(),
    log: (l) => log.push(l),
  });
  return { started, registered };
}

const reasonOf = (dir: string, name: string) => readFileSync(join(dir, ".rejected", `${name}.reason.txt`), "utf8");

describe("the inbox on the local stack", () => {
  it("moves names it cannot use to .rejected with a one-line reason; logs no control characters", async () => {
    const inbox = join(work, "inbox-names");
    mkdirSync(inbox, { recursive: true });
    const log: string[] = [];
    const { started, registered } = boot(join(work, "data-names"), inbox, log);
    const stack = await started;
    try {
      const png = readFileSync(join(SCANS, "sample-01.png"));
      const long = `${"a".repeat(240)}.png`;
      writeFileSync(join(inbox, ".hidden.png"), png);
      writeFileSync(join(inbox, "forged\nline\u001b[31m.png"), png);
      writeFileSync(join(inbox, long), png);
      writeFileSync(join(inbox, "empty.png"), "");
      // A receipt date older than 14 days (the clock says 2025-03-28) and one in the future.
      writeFileSync(join(inbox, "old.json"), JSON.stringify({ receivedDate: "2025-03-01" }));
      writeFileSync(join(inbox, "old.png"), png);
      writeFileSync(join(inbox, "future.json"), JSON.stringify({ receivedDate: "2025-04-01" }));
      writeFileSync(join(inbox, "future.png"), png);
      writeFileSync(join(inbox, "ok.png"), png);
      // A key written straight to the bucket (not through the inbox) with an ANSI escape and a newline in it.
      await stack.s3.send(
        new PutObjectCommand({
          Bucket: stack.names.scansBucket,
          Key: "incoming/2025-03-28/x\u001b[2Jy\n.png",
          Body: png,
        }),
      );
      await stack.idle();
      await sleep(800); // dot-files are not "pending" for idle(): give the poller two more passes
      await stack.idle();

      expect(readdirSync(inbox).filter((n) => !n.startsWith(".done") && !n.startsWith(".rejected"))).toEqual([]);
      expect(reasonOf(inbox, "_.hidden.png")).toBe("hidden file name (starts with a dot)\n");
      expect(reasonOf(inbox, "forgedline[31m.png")).toBe("file name contains control characters\n");
      expect(reasonOf(inbox, `${"a".repeat(196)}.png`)).toBe("file name longer than 200 bytes\n");
      expect(reasonOf(inbox, "empty.png")).toBe("empty file\n");
      expect(reasonOf(inbox, "old.png")).toBe(
        "receipt date 2025-03-01 in old.json is more than 14 days back (today 2025-03-28)\n",
      );
      expect(reasonOf(inbox, "future.png")).toBe(
        "receipt date 2025-04-01 in future.json is in the future (today 2025-03-28)\n",
      );
      expect(readdirSync(join(inbox, ".rejected"))).toEqual(expect.arrayContaining(["old.json", "future.json"]));
      expect(readdirSync(join(inbox, ".done"))).toEqual(["ok.png"]);
      expect(registered.filter((k) => k.endsWith("/ok.png"))).toHaveLength(1);
      expect(registered).toHaveLength(2);
      for (const line of log) expect(line, JSON.stringify(line)).not.toMatch(/[\p{Cc}\p{Cf}]/u);
      expect(log.some((l) => l.startsWith("x[2Jy.png  execution failed"))).toBe(true);
      expect(log.some((l) => l.startsWith("forgedline[31m.png  rejected: file name contains control characters"))).toBe(
        true,
      );
    } finally {
      await stack.stop();
    }
  });

  it("two different papers dropped under the same name on the same day are two objects, two executions", async () => {
    const inbox = join(work, "inbox-same");
    mkdirSync(inbox, { recursive: true });
    const { started, registered } = boot(join(work, "data-same"), inbox);
    const stack = await started;
    try {
      copyFileSync(join(SCANS, "sample-01.png"), join(inbox, "scan.png"));
      await stack.idle();
      copyFileSync(join(SCANS, "sample-02.png"), join(inbox, "scan.png"));
      await stack.idle();
      expect(registered).toHaveLength(2);
      expect(new Set(registered).size).toBe(2);
      for (const key of registered) expect(key).toMatch(/^incoming\/2025-03-28\/[0-9a-f]{12}\/scan\.png$/);
      expect(readdirSync(join(inbox, ".done")).sort()).toEqual(["scan.1.png", "scan.png"]);
    } finally {
      await stack.stop();
    }
  });
});

describe("the inbox's retries are bounded", () => {
  it("an upload failing every time goes to .rejected after MAX_ATTEMPTS passes, with the error", async () => {
    const inbox = join(work, "inbox-retries");
    mkdirSync(inbox, { recursive: true });
    writeFileSync(join(inbox, "scan.png"), readFileSync(join(SCANS, "sample-01.png")));
    let sends = 0;
    // An S3 endpoint that always fails (a unit-level fake: the point is the inbox's bookkeeping).
    const s3 = {
      send: async () => {
        sends += 1;
        throw new Error("connect ECONNREFUSED\n127.0.0.1:1");
      },
    } as unknown as S3Client;
    const errors: string[] = [];
    const inboxRunner = startInbox({
      dir: inbox,
      s3,
      bucket: "b",
      intervalMs: 60_000,
      onError: (e) => errors.push(e.file),
    });
    try {
      await sleep(400); // older than the "still being written" grace
      for (let i = 0; i < MAX_ATTEMPTS + 4; i++) await inboxRunner.poll();
      expect(existsSync(join(inbox, "scan.png"))).toBe(false);
      expect(reasonOf(inbox, "scan.png")).toBe(
        `upload failed ${MAX_ATTEMPTS} times, last: connect ECONNREFUSED127.0.0.1:1\n`,
      );
      expect(sends).toBe(MAX_ATTEMPTS);
      expect(errors).toHaveLength(MAX_ATTEMPTS);
    } finally {
      await inboxRunner.stop();
    }
  });
});

describe("the stack's lock", () => {
  /** A process that exited: its pid is free (or, rarely, reused: then the start time differs). */
  function deadPid(): number {
    return Number(execFileSync("sh", ["-c", "sleep 0 & echo $!; wait"], { encoding: "utf8" }).trim());
  }

  it("a lock left by a process that is gone, a zombie or a reused pid does not stop a new stack", async () => {
    const dataDir = join(work, "data-lock");
    mkdirSync(dataDir, { recursive: true });
    // A zombie: `sleep 0.3` exits after its shell became `sleep 5` (exec), which never reaps it.
    const parent = spawn("sh", ["-c", "sleep 0.3 & echo $!; exec sleep 5"], { stdio: ["ignore", "pipe", "ignore"] });
    const zombie = Number((await new Promise<Buffer>((r) => parent.stdout.once("data", r))).toString().trim());
    try {
      await sleep(800);
      expect(readFileSync(`/proc/${zombie}/stat`, "utf8")).toMatch(/\) Z /);
      const reused = { pid: parent.pid, startTime: "1" }; // a live pid, but not the process that took the lock
      for (const stale of [
        { pid: deadPid(), startTime: "1" },
        { pid: zombie, startTime: processStartTime(zombie) },
        reused,
      ]) {
        writeFileSync(lockFilePath(dataDir), JSON.stringify(stale));
        const { started } = boot(dataDir, null);
        const stack = await started;
        const owner = JSON.parse(readFileSync(lockFilePath(dataDir), "utf8")) as { pid: number };
        expect(owner.pid).toBe(process.pid);
        await stack.stop();
        expect(existsSync(lockFilePath(dataDir))).toBe(false);
      }
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("a live owner (pid and start time match) keeps the data dir: 'already running'", async () => {
    const dataDir = join(work, "data-live");
    mkdirSync(dataDir, { recursive: true });
    const other = spawn("sleep", ["5"], { stdio: "ignore" });
    try {
      await sleep(100);
      const pid = other.pid ?? 0;
      writeFileSync(lockFilePath(dataDir), JSON.stringify({ pid, startTime: processStartTime(pid) }));
      await expect(boot(dataDir, null).started).rejects.toThrow(`a lockdesk stack (pid ${pid}) is already running`);
      expect(() => acquireStackLock(dataDir)).toThrow(/already running/);
    } finally {
      other.kill("SIGKILL");
    }
  });
});
