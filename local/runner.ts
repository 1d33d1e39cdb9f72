// Runs THE state machine definition (infra/state-machine/case.asl.json) on aws-local-stepfunctions. Each Task's
// `${<Name>FunctionArn}` is replaced by a local ARN and overridden by the same handler module the Lambda runs
// (functions/<name>/handler.ts), so the local stack exercises the real definition, handlers and adapters.

import { cpus } from "node:os";
import { StateMachine } from "aws-local-stepfunctions";
import type { PipelineFunctionName } from "../shared/config/names.ts";
import type { ExecutionInput } from "../shared/use-cases/contracts.ts";
import type { LoadedDefinition } from "./definition.ts";
import { closeTaskHandlers, loadTaskHandlers, type TaskHandlerOptions } from "./task-handlers.ts";
import type { Json, TaskFn } from "./thread-pool.ts";

// Definition loading, the container threads and the handlers live beside the runner; re-exported for its callers.
export { LOCAL_ACCOUNT, type LoadedDefinition, loadDefinition, localFunctionArn } from "./definition.ts";
export type { TaskFn, TaskHandlers } from "./thread-pool.ts";
export { closeTaskHandlers, loadTaskHandlers, type TaskHandlerOptions };

export type ProgressStep = "read" | "decided" | "executed" | "returned" | "parked" | "failed" | "done";
export interface ProgressEvent {
  executionId: string;
  caseId?: string;
  step: ProgressStep;
  /** The route ValidateCase chose (on "decided"). */
  route?: string;
  /** Milliseconds spent in each task state of this execution (for the bench). */
  taskMs?: Record<string, number>;
}

export interface RunnerOptions {
  definition: LoadedDefinition;
  handlers: Record<PipelineFunctionName, TaskFn>;
  /** Executions at once (default: the number of cores). */
  concurrency?: number;
  onProgress?: (e: ProgressEvent) => void;
  /** Retry intervals are shortened locally so a failing emulator does not stall a batch (ms). */
  retryIntervalMs?: number;
}

export interface ExecutionOutcome {
  executionId: string;
  input: ExecutionInput;
  status: "SUCCEEDED" | "FAILED";
  output?: unknown;
  error?: string;
  caseId?: string;
  startedAt: number;
  endedAt: number;
  /** Time in task states, by function (OCR is ReadForm). */
  taskMs: Record<string, number>;
}

/** The local Step Functions service: StartExecution with a bounded number of executions running at once. */
export class LocalStepFunctions {
  private readonly machine: StateMachine;
  /** The same definition entered at another state (recovery of a case past validation), by state name. */
  private readonly entered = new Map<string, StateMachine>();
  private readonly concurrency: number;
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private readonly inFlight = new Set<Promise<ExecutionOutcome>>();
  private readonly names = new Map<string, Promise<ExecutionOutcome>>();
  private seq = 0;
  private stopped = false;

  constructor(private readonly options: RunnerOptions) {
    this.machine = new StateMachine(options.definition.definition, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    this.concurrency = Math.max(1, options.concurrency ?? cpus().length);
  }

  /** Executions queued or running. */
  get pending(): number {
    return this.inFlight.size;
  }

  /**
   * Starts an execution. `name` works like Step Functions' execution name: a second start with the same name
   * while the first is queued or running returns the first one's promise.
   */
  start(input: ExecutionInput, name?: string): Promise<ExecutionOutcome> {
    return this.startIn(this.machine, input, name);
  }

  /**
   * Recovery only: runs THE definition from the Task state that calls `fn` (e.g. ExecuteAction for a case killed
   * mid-action), with the same Retry/Catch and everything after it. Step Functions cannot start mid-machine; the
   * local stack needs it because ValidateCase rightly refuses a case that is already EXECUTING.
   */
  startAtTask(fn: PipelineFunctionName, caseId: string, name?: string): Promise<ExecutionOutcome> {
    const stateName = Object.entries(this.options.definition.taskFunctions).find(([, f]) => f === fn)?.[0];
    if (!stateName) return Promise.reject(new Error(`no Task state calls ${fn}`));
    let machine = this.entered.get(stateName);
    if (!machine) {
      // The whole definition was validated by the main machine; entered elsewhere, the states before the entry
      // are unreachable, which the validator would reject.
      machine = new StateMachine(
        { ...this.options.definition.definition, StartAt: stateName },
        { validationOptions: { noValidate: true } },
      );
      this.entered.set(stateName, machine);
    }
    return this.startIn(machine, { caseId, resume: true }, name);
  }

  private startIn(machine: StateMachine, input: ExecutionInput, name?: string): Promise<ExecutionOutcome> {
    if (this.stopped) return Promise.reject(new Error("runner stopped"));
    const executionId = name ?? `exec-${++this.seq}`;
    const existing = this.names.get(executionId);
    if (existing) return existing;
    const p = this.acquire()
      .then(() => this.run(machine, executionId, input))
      .finally(() => {
        this.release();
        this.inFlight.delete(p);
        this.names.delete(executionId);
      });
    this.inFlight.add(p);
    this.names.set(executionId, p);
    return p;
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops accepting executions and waits for the running ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
    await closeTaskHandlers(this.options.handlers);
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }

  private async run(machine: StateMachine, executionId: string, input: ExecutionInput): Promise<ExecutionOutcome> {
    const { taskFunctions } = this.options.definition;
    const taskMs: Record<string, number> = {};
    const entered = new Map<string, number>();
    let caseId: string | undefined = "caseId" in input ? input.caseId : undefined;
    const emit = (step: ProgressStep, extra: Partial<ProgressEvent> = {}) => {
      const e: ProgressEvent = { executionId, step, ...extra };
      if (caseId) e.caseId = caseId;
      this.options.onProgress?.(e);
    };
    const localHandlers: Record<string, (i: Json) => Promise<Json>> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [stateName, fn] of Object.entries(taskFunctions)) {
      localHandlers[stateName] = async (i) => {
        const started = performance.now();
        entered.set(stateName, started);
        try {
          return await this.options.handlers[fn](i);
        } finally {
          taskMs[fn] = (taskMs[fn] ?? 0) + (performance.now() - started);
        }
      };
      if (this.options.retryIntervalMs !== undefined) retryIntervalOverrides[stateName] = this.options.retryIntervalMs;
    }
    const startedAt = Date.now();
    const execution = machine.run(input as unknown as Json, {
      overrides: { taskResourceLocalHandlers: localHandlers, retryIntervalOverrides },
    });
    // Progress from the execution's event log: state exits tell how far the case got.
    const watch = (async () => {
      for await (const ev of execution.eventLogs) {
        if (ev.type !== "StateExited") continue;
        const out = ev.state.output as { caseId?: string; result?: { route?: string } } | undefined;
        if (out?.caseId) caseId = out.caseId;
        const fn = taskFunctions[ev.state.name];
        if (fn === "ReadForm") emit("read");
        else if (fn === "ValidateCase") emit("decided", out?.result?.route ? { route: out.result.route } : {});
        else if (fn === "SendMail") emit(ev.state.name === "SendReturnNotice" ? "returned" : "executed");
        else if (fn === "ParkCase") emit("parked");
        else if (fn === "MarkFailed") emit("failed");
      }
    })().catch(() => undefined);
    try {
      const output = await execution.result;
      await watch;
      const out = output as { caseId?: string } | null;
      if (out?.caseId) caseId = out.caseId;
      emit("done", { taskMs });
      const outcome: ExecutionOutcome = {
        executionId,
        input,
        status: "SUCCEEDED",
        output,
        startedAt,
        endedAt: Date.now(),
        taskMs,
      };
      if (caseId) outcome.caseId = caseId;
      return outcome;
    } catch (err) {
      await watch;
      emit("failed", { taskMs });
      const outcome: ExecutionOutcome = {
        executionId,
        input,
        status: "FAILED",
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        startedAt,
        endedAt: Date.now(),
        taskMs,
      };
      if (caseId) outcome.caseId = caseId;
      return outcome;
    }
  }
}
