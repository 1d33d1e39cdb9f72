// The pipeline's Task handlers for the local runner: the same handler modules the Lambdas run (or the synthesized
// Lambda assets), ReadForm in container threads (thread-pool.ts), the others in the main thread.
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../shared/config/names.ts";
import { localFunctionArn } from "./definition.ts";
import { addLambdaModulePath, lambdaTaskEnv, readAssetFunctions } from "./lambda-assets.ts";
import { lambdaContext } from "./lambda-context.ts";
import { type Json, type TaskFn, type TaskHandlers, TaskThreadPool } from "./thread-pool.ts";

interface LambdaModule {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
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
