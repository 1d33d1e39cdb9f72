// The local ASL runner on THE definition file, with recording task functions in place of the Lambda handlers:
// checks substitution, routing, named-error retry/catch and the concurrency bound (no emulators needed).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../../infra/config.ts";
import { LocalStepFunctions, loadDefinition, localFunctionArn, type TaskFn } from "../../local/runner.ts";
import { OcrThrottledError, UnreadableScanError } from "../../shared/domain/errors.ts";

const ASL = join(import.meta.dirname, "../../infra/state-machine/case.asl.json");

type Json = Parameters<TaskFn>[0];

function recordingHandlers(
  route: (caseId: string) => string,
  behaviour: Partial<Record<PipelineFunctionName, TaskFn>> = {},
) {
  const calls: Array<{ fn: PipelineFunctionName; input: Json }> = [];
  const handlers = {} as Record<PipelineFunctionName, TaskFn>;
  for (const fn of Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]) {
    handlers[fn] = async (input) => {
      calls.push({ fn, input });
      const special = behaviour[fn];
      if (special) return special(input);
      const caseId =
        (input as { caseId?: string; scan?: { key: string } }).caseId ??
        `C-${(input as { scan: { key: string } }).scan.key}`;
      if (fn === "ValidateCase") return { caseId, route: route(caseId) };
      return { caseId, status: "OK" };
    };
  }
  return { calls, handlers };
}

const scanInput = (key: string) => ({ scan: { bucket: "b", key, eventTime: "2025-03-18T08:00:00Z" } });

describe("local ASL runner", () => {
  it("replaces every function ARN substitution and maps each Task to its function", () => {
    const loaded = loadDefinition(ASL, "eu-north-1");
    expect(loaded.taskFunctions.ReadForm).toBe("ReadForm");
    expect(loaded.taskFunctions.SendConfirmation).toBe("SendMail");
    expect(loaded.taskFunctions.SendReturnNotice).toBe("SendMail");
    const text = JSON.stringify(loaded.definition);
    expect(text).not.toContain("${");
    expect(text).toContain(localFunctionArn("RegisterCase", "eu-north-1"));
    // Lambda timeouts carried over (aws-local-stepfunctions would cut tasks at 60 s).
    const read = loaded.definition.States.ReadForm as { TimeoutSeconds?: number };
    expect(read.TimeoutSeconds).toBe(PIPELINE_FUNCTIONS.ReadForm.timeoutSeconds);
  });

  it("routes EXECUTE, RETURN and REVIEW through the right tasks", async () => {
    const routes: Record<string, string> = { "C-a": "EXECUTE", "C-b": "RETURN", "C-c": "REVIEW" };
    const { calls, handlers } = recordingHandlers((id) => routes[id] ?? "REVIEW");
    const runner = new LocalStepFunctions({ definition: loadDefinition(ASL, "eu-north-1"), handlers, concurrency: 2 });
    const out = await Promise.all(["a", "b", "c"].map((k) => runner.start(scanInput(k))));
    expect(out.map((o) => o.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    const fnsFor = (id: string) => calls.filter((c) => (c.input as { caseId?: string }).caseId === id).map((c) => c.fn);
    expect(fnsFor("C-a")).toEqual(["ReadForm", "ValidateCase", "ExecuteAction", "SendMail", "ArchiveScan"]);
    expect(fnsFor("C-b")).toEqual(["ReadForm", "ValidateCase", "SendMail", "ArchiveScan"]);
    expect(fnsFor("C-c")).toEqual(["ReadForm", "ValidateCase", "ParkCase"]);
    const mailKinds = calls.filter((c) => c.fn === "SendMail").map((c) => (c.input as { kind: string }).kind);
    expect(mailKinds.sort()).toEqual(["CONFIRMATION", "RETURN_NOTICE"]);
  });

  it("resumes at ValidateCase and retries named transient errors, catching fatal ones into MarkFailed", async () => {
    let attempts = 0;
    const { calls, handlers } = recordingHandlers(() => "EXECUTE", {
      ReadForm: async (input) => {
        attempts++;
        const caseId = (input as { caseId: string }).caseId;
        if (caseId === "C-bad") throw new UnreadableScanError("corrupt");
        if (attempts < 2) throw new OcrThrottledError("slow down");
        return { caseId };
      },
    });
    const runner = new LocalStepFunctions({
      definition: loadDefinition(ASL, "eu-north-1"),
      handlers,
      retryIntervalMs: 1,
    });
    const ok = await runner.start(scanInput("ok"));
    expect(ok.status).toBe("SUCCEEDED");
    expect(attempts).toBe(2);
    const bad = await runner.start(scanInput("bad"));
    expect(bad.status).toBe("FAILED");
    const failed = calls.find((c) => c.fn === "MarkFailed");
    expect(failed).toBeDefined();
    expect((failed?.input as { error?: { Error: string } } | undefined)?.error?.Error).toBe("UnreadableScanError");
    const resumed = await runner.start({ caseId: "C-r", resume: true });
    expect(resumed.status).toBe("SUCCEEDED");
    const resumedFns = calls.filter((c) => (c.input as { caseId?: string }).caseId === "C-r").map((c) => c.fn);
    expect(resumedFns[0]).toBe("ValidateCase");
    expect(resumedFns).not.toContain("RegisterCase");
  });

  it("bounds concurrency and de-duplicates executions by name", async () => {
    let running = 0;
    let peak = 0;
    const { calls, handlers } = recordingHandlers(() => "REVIEW", {
      ReadForm: async (input) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 30));
        running--;
        return { caseId: (input as { caseId: string }).caseId };
      },
    });
    const runner = new LocalStepFunctions({ definition: loadDefinition(ASL, "eu-north-1"), handlers, concurrency: 2 });
    const first = runner.start(scanInput("same"), "exec-same");
    const again = runner.start(scanInput("same"), "exec-same");
    expect(again).toBe(first);
    const many = ["1", "2", "3", "4", "5"].map((k) => runner.start(scanInput(k)));
    await Promise.all([first, ...many]);
    await runner.idle();
    expect(peak).toBe(2);
    expect(calls.filter((c) => c.fn === "RegisterCase")).toHaveLength(6);
  });
});
