// ReadForm's local Lambda containers (worker threads, local/runner.ts): the handler module runs off the main
// thread, named errors keep their name for Retry/Catch, containers run side by side, and stop() ends them.
import { threadId } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../../infra/config.ts";
import { closeTaskHandlers, loadTaskHandlers, type TaskFn } from "../../local/runner.ts";
import { ROOT } from "./helpers.ts";

const FIXTURE_ROOT = `${ROOT}/test/fixtures/task-thread`;

/** Every function but ReadForm in-process (the fixture root only has a ReadForm module). */
function othersInProcess(): Partial<Record<PipelineFunctionName, TaskFn>> {
  const out: Partial<Record<PipelineFunctionName, TaskFn>> = {};
  for (const name of Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]) {
    if (name !== "ReadForm") out[name] = async (input) => input;
  }
  return out;
}

interface Echo {
  caseId: string;
  threadId: number;
  ocrWorkers: string | null;
  functionName: string;
  remainingMs: number;
}

describe("ReadForm container threads", () => {
  it("runs the handler module in worker threads with the container's environment and a Lambda context", async () => {
    const handlers = await loadTaskHandlers(FIXTURE_ROOT, "eu-north-1", othersInProcess(), {
      readFormThreads: 2,
      ocrWorkersPerThread: 1,
    });
    try {
      const out = (await handlers.ReadForm({ caseId: "C-1" })) as unknown as Echo;
      expect(out.caseId).toBe("C-1");
      expect(out.threadId).not.toBe(threadId);
      expect(out.ocrWorkers).toBe("1");
      expect(out.functionName).toBe("lockdesk-local-ReadForm");
      expect(out.remainingMs).toBeGreaterThan((PIPELINE_FUNCTIONS.ReadForm.timeoutSeconds - 5) * 1000);
      expect(await handlers.ValidateCase({ caseId: "C-1" })).toEqual({ caseId: "C-1" });
    } finally {
      await closeTaskHandlers(handlers);
    }
  });

  it("keeps a named error's name, so the state machine's Retry/Catch still match it", async () => {
    const handlers = await loadTaskHandlers(FIXTURE_ROOT, "eu-north-1", othersInProcess(), { readFormThreads: 1 });
    try {
      const err = await handlers.ReadForm({ caseId: "C-2", fail: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe("OcrThrottledError");
      expect((err as Error).message).toBe("throttled on C-2");
      // the container survives a failed invocation
      expect(((await handlers.ReadForm({ caseId: "C-3" })) as unknown as Echo).caseId).toBe("C-3");
    } finally {
      await closeTaskHandlers(handlers);
    }
  });

  it("runs invocations side by side in separate containers and queues beyond the container count", async () => {
    const handlers = await loadTaskHandlers(FIXTURE_ROOT, "eu-north-1", othersInProcess(), { readFormThreads: 2 });
    try {
      await Promise.all([handlers.ReadForm({ caseId: "warm-a" }), handlers.ReadForm({ caseId: "warm-b" })]);
      const outs = (await Promise.all(
        ["C-a", "C-b", "C-c"].map((caseId) => handlers.ReadForm({ caseId, busyMs: 150 })),
      )) as unknown as Echo[];
      expect(outs.map((o) => o.caseId)).toEqual(["C-a", "C-b", "C-c"]);
      // two containers: the first two ran on different threads; the third waited for one of them
      expect(new Set(outs.map((o) => o.threadId)).size).toBe(2);
      expect(outs[0]?.threadId).not.toBe(outs[1]?.threadId);
    } finally {
      await closeTaskHandlers(handlers);
    }
    await expect(handlers.ReadForm({ caseId: "after-close" })).rejects.toThrow(/closed/);
  });

  it("runs ReadForm in the main thread when configured with 0 threads", async () => {
    const handlers = await loadTaskHandlers(FIXTURE_ROOT, "eu-north-1", othersInProcess(), { readFormThreads: 0 });
    const out = (await handlers.ReadForm({ caseId: "C-main" })) as unknown as Echo;
    expect(out.threadId).toBe(threadId);
    await closeTaskHandlers(handlers);
  });
});
