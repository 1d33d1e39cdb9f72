// One local "Lambda container" in a worker thread (see TaskThreadPool in thread-pool.ts): imports a pipeline function's
// handler module once (its cold start: environment, adapters, OCR engine) and runs one invocation at a time, like
// a Lambda execution environment. The reader's image work (registration, ink, digits) is synchronous JavaScript;
// in the main thread it would share one core with the ASL runner, dynalite and every other execution.

import { parentPort, workerData } from "node:worker_threads";
import { addLambdaModulePath, type LambdaModulePath } from "./lambda-assets.ts";
import { type LocalFunction, lambdaContext } from "./lambda-context.ts";

interface ThreadData extends LocalFunction {
  handlerUrl: string;
  /** Set when the handler is a synthesized Lambda asset: its task root and layers (lambda-assets.ts). */
  modulePath?: LambdaModulePath;
}

export interface InvokeMessage {
  id: number;
  input: unknown;
}

export type ResultMessage =
  | { type: "ready" }
  | { type: "result"; id: number; output: unknown }
  | { type: "error"; id: number; error: { name: string; message: string; stack?: string } }
  | { type: "failed"; message: string };

const data = workerData as ThreadData;
const port = parentPort;
if (!port) throw new Error("task-thread.ts runs only as a worker thread");

try {
  if (data.modulePath) addLambdaModulePath(data.modulePath);
  const mod = (await import(data.handlerUrl)) as {
    handler?: (event: unknown, ctx: unknown) => Promise<unknown>;
  };
  const handler = mod.handler;
  if (typeof handler !== "function") throw new Error(`${data.handlerUrl} exports no handler`);
  port.on("message", async (msg: InvokeMessage) => {
    let reply: ResultMessage;
    try {
      reply = { type: "result", id: msg.id, output: (await handler(msg.input, lambdaContext(data))) ?? null };
    } catch (err) {
      // The name travels: the state machine's Retry/Catch match ErrorEquals on it.
      const e = err instanceof Error ? err : new Error(String(err));
      reply = {
        type: "error",
        id: msg.id,
        error: { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) },
      };
    }
    port.postMessage(reply);
  });
  port.postMessage({ type: "ready" } satisfies ResultMessage);
} catch (err) {
  port.postMessage({
    type: "failed",
    message: err instanceof Error ? err.message : String(err),
  } satisfies ResultMessage);
}
