// Runs THE state machine definition (infra/state-machine/case.asl.json) on aws-local-stepfunctions. Each Task's
// `${<Name>FunctionArn}` is replaced by a local ARN and overridden by the same handler module the Lambda runs
// (functions/<name>/handler.ts), so the local stack exercises the real definition, handlers and adapters.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import { aslArnVariable, PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../shared/config/names.ts";
import type { ExecutionInput } from "../shared/use-cases/contracts.ts";
import { addLambdaModulePath, type LambdaModulePath, lambdaTaskEnv, readAssetFunctions } from "./lambda-assets.ts";
import { lambdaContext } from "./lambda-context.ts";
import type { ResultMessage } from "./task-thread.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type TaskFn = (input: Json) => Promise<Json>;
export type TaskHandlers = Partial<Record<PipelineFunctionName, TaskFn>>;

export const LOCAL_ACCOUNT = "000000000000";

export function localFunctionArn(name: PipelineFunctionName, region: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:lockdesk-local-${name}`;
}

export interface LoadedDefinition {
  definition: StateMachineDefinition;
  /** Task state name → the pipeline function its Resource names. */
  taskFunctions: Record<string, PipelineFunctionName>;
}

/**
 * Reads the ASL file and replaces the `${XFunctionArn}` substitutions (the CDK's definitionSubstitutions) with
 * local ARNs. Tasks without TimeoutSeconds get their Lambda's timeout: on AWS the Lambda timeout bounds a task,
 * while aws-local-stepfunctions would otherwise cut every task at 60 s (too short for OCR on a busy laptop).
 */
export function loadDefinition(aslPath: string, region: string): LoadedDefinition {
  let text = readFileSync(aslPath, "utf8");
  const byArn = new Map<string, PipelineFunctionName>();
  for (const name of Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]) {
    const arn = localFunctionArn(name, region);
    text = text.split(`\${${aslArnVariable(name)}}`).join(arn);
    byArn.set(arn, name);
  }
  const leftover = /\$\{([A-Za-z0-9]+)\}/.exec(text);
  if (leftover) throw new Error(`ASL substitution without a local value: ${leftover[1]}`);
  const definition = JSON.parse(text) as StateMachineDefinition;
  const taskFunctions: Record<string, PipelineFunctionName> = {};
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (state.Type !== "Task") continue;
    const fn = byArn.get(state.Resource);
    if (!fn) throw new Error(`Task ${stateName}: resource ${state.Resource} is not a pipeline function`);
    taskFunctions[stateName] = fn;
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = PIPELINE_FUNCTIONS[fn].timeoutSeconds;
    }
  }
  return { definition, taskFunctions };
}

interface LambdaModule {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
}

/**
 * Local Lambda containers in worker threads, for the function whose work is CPU-bound JavaScript (ReadForm: image
 * decode, registration, ink and digit classification between OCR calls). In the main thread that work shares ONE
 * core with the ASL runner, dynalite and the other executions (a profile of a 22-scan batch: the main thread busy
 * ~80 %, mostly registration, while the two tesseract workers idled ~65 %). A container runs one invocation at a
 * time, like a Lambda execution environment, and is warm from its start (the handler module is imported at once).
 */
class TaskThreadPool {
  private readonly threads: Array<{ worker: Worker; ready: Promise<void>; busy: boolean }> = [];
  private readonly waiting: Array<() => void> = [];
  private readonly pending = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void }>();
  /** Invocation id → the container running it. */
  private readonly owner = new Map<number, Worker>();
  private seq = 0;
  private closed = false;

  constructor(
    private readonly name: PipelineFunctionName,
    private readonly handlerUrl: string,
    private readonly region: string,
    size: number,
    private readonly env: Record<string, string>,
    private readonly modulePath?: LambdaModulePath,
  ) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  private spawn(): { worker: Worker; ready: Promise<void>; busy: boolean } {
    const spec = PIPELINE_FUNCTIONS[this.name];
    const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href;
    const entry = new URL("./task-thread.ts", import.meta.url).href;
    // The thread registers tsx itself: it must run .ts the same way under tsx, the lockdesk bin and vitest.
    const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(entry)}); });`;
    const worker = new Worker(boot, {
      eval: true,
      execArgv: process.execArgv.filter((a) => a.startsWith("--cpu-prof")),
      env: { ...process.env, ...this.env },
      workerData: {
        handlerUrl: this.handlerUrl,
        ...(this.modulePath ? { modulePath: this.modulePath } : {}),
        functionName: `lockdesk-local-${this.name}`,
        invokedFunctionArn: localFunctionArn(this.name, this.region),
        memoryMb: spec.memoryMb,
        timeoutSeconds: spec.timeoutSeconds,
      },
    });
    worker.unref(); // an idle container never keeps the process alive
    const ready = new Promise<void>((resolve, reject) => {
      worker.on("message", (msg: ResultMessage) => {
        if (msg.type === "ready") resolve();
        else if (msg.type === "failed") reject(new Error(`${this.name} container: ${msg.message}`));
        else this.settle(msg);
      });
      worker.once("error", reject);
    });
    ready.catch(() => undefined);
    const thread = { worker, ready, busy: false };
    worker.once("exit", () => {
      // A crashed container fails its invocation (a Lambda crash: the task's Retry/Catch decide) and is replaced.
      for (const [id, p] of this.pending) {
        if (this.owner.get(id) !== worker) continue;
        this.pending.delete(id);
        this.owner.delete(id);
        p.reject(Object.assign(new Error(`${this.name} container exited`), { name: "Lambda.ServiceException" }));
      }
      const i = this.threads.indexOf(thread);
      if (i >= 0 && !this.closed) {
        this.threads[i] = this.spawn();
        this.waiting.shift()?.();
      }
    });
    return thread;
  }

  private settle(msg: Exclude<ResultMessage, { type: "ready" } | { type: "failed" }>): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    this.owner.delete(msg.id);
    if (msg.type === "result") p.resolve(msg.output as Json);
    else {
      const err = new Error(msg.error.message);
      err.name = msg.error.name;
      if (msg.error.stack) err.stack = msg.error.stack;
      p.reject(err);
    }
  }

  async invoke(input: Json): Promise<Json> {
    if (this.closed) throw new Error(`${this.name} containers are closed`);
    let thread = this.threads.find((t) => !t.busy);
    while (!thread) {
      await new Promise<void>((r) => this.waiting.push(r));
      thread = this.threads.find((t) => !t.busy);
    }
    thread.busy = true;
    const { worker } = thread;
    try {
      await thread.ready;
      const id = ++this.seq;
      worker.ref(); // an invocation in flight keeps the process alive
      return await new Promise<Json>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.owner.set(id, worker);
        worker.postMessage({ id, input });
      });
    } finally {
      worker.unref();
      thread.busy = false;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}

/** Handlers backed by container threads, so the runner's stop() can end them. */
const closers = new WeakMap<TaskFn, () => Promise<void>>();

/** Ends the container threads behind these handlers (no-op for in-process handlers). */
export async function closeTaskHandlers(handlers: Partial<Record<PipelineFunctionName, TaskFn>>): Promise<void> {
  await Promise.all(Object.values(handlers).map((fn) => (fn ? closers.get(fn)?.() : undefined)));
}

export interface TaskHandlerOptions {
  /**
   * Container threads for ReadForm (0 = in the main thread). Default: LOCKDESK_READFORM_THREADS, else the number
   * of cores. Each container's tesseract pool gets LOCKDESK_OCR_WORKERS workers (default 1): containers × workers
   * about equal to the cores, with the containers' own JavaScript filling the gaps between OCR calls.
   */
  readFormThreads?: number;
  ocrWorkersPerThread?: number;
  /**
   * Run every Task from the synthesized Lambda assets in this cloud assembly (`cdk synth -o DIR`) instead of the
   * source: each asset's index.mjs as /var/task, its layers as /opt (lambda-assets.ts).
   */
  assetsDir?: string;
}

function positiveOr(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(n) && n >= 0 ? n : fallback;
}

/**
 * Imports every pipeline function's handler module (functions/<name>/handler.ts) — the process environment must
 * already point the AWS SDK at the emulators, since handlers parse their environment at cold start.
 * `overrides` replaces single functions (tests, or deps the env-driven composition cannot build).
 */
export async function loadTaskHandlers(
  repoRoot: string,
  region: string,
  overrides: TaskHandlers = {},
  options: TaskHandlerOptions = {},
): Promise<Record<PipelineFunctionName, TaskFn>> {
  const out = {} as Record<PipelineFunctionName, TaskFn>;
  const readFormThreads =
    options.readFormThreads ?? positiveOr(process.env.LOCKDESK_READFORM_THREADS, availableParallelism());
  const ocrWorkers = options.ocrWorkersPerThread ?? positiveOr(process.env.LOCKDESK_OCR_WORKERS, 1);
  const assets = options.assetsDir ? readAssetFunctions(options.assetsDir) : undefined;
  for (const name of Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]) {
    const override = overrides[name];
    if (override) {
      out[name] = override;
      continue;
    }
    const spec = PIPELINE_FUNCTIONS[name];
    const asset = assets?.[name];
    const handlerUrl = asset ? asset.handlerUrl : pathToFileURL(join(repoRoot, spec.entry)).href;
    if (name === "ReadForm" && readFormThreads > 0) {
      const env = { LOCKDESK_OCR_WORKERS: String(Math.max(1, ocrWorkers)), ...(asset ? lambdaTaskEnv(asset) : {}) };
      const pool = new TaskThreadPool(name, handlerUrl, region, readFormThreads, env, asset);
      const fn: TaskFn = (input) => pool.invoke(input);
      closers.set(fn, () => pool.close());
      out[name] = fn;
      continue;
    }
    if (asset) addLambdaModulePath(asset);
    const mod = (await import(handlerUrl)) as LambdaModule;
    if (typeof mod.handler !== "function") throw new Error(`${handlerUrl} exports no handler`);
    out[name] = async (input) =>
      ((await mod.handler(
        input,
        lambdaContext({
          functionName: `lockdesk-local-${name}`,
          invokedFunctionArn: localFunctionArn(name, region),
          memoryMb: spec.memoryMb,
          timeoutSeconds: spec.timeoutSeconds,
        }),
      )) ?? null) as Json;
  }
  return out;
}

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
