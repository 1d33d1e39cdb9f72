// Local Lambda containers in worker threads (ReadForm's CPU-bound JavaScript off the main thread).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../shared/config/names.ts";
import { localFunctionArn } from "./definition.ts";
import type { LambdaModulePath } from "./lambda-assets.ts";
import type { ResultMessage } from "./task-thread.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type TaskFn = (input: Json) => Promise<Json>;
export type TaskHandlers = Partial<Record<PipelineFunctionName, TaskFn>>;

/**
 * Local Lambda containers in worker threads, for the function whose work is CPU-bound JavaScript (ReadForm: image
 * decode, registration, ink and digit classification between OCR calls). In the main thread that work shares ONE
 * core with the ASL runner, dynalite and the other executions (a profile of a 22-scan batch: the main thread busy
 * ~80 %, mostly registration, while the two tesseract workers idled ~65 %). A container runs one invocation at a
 * time, like a Lambda execution environment, and is warm from its start (the handler module is imported at once).
 */
export class TaskThreadPool {
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
