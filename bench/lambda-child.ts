// One ReadForm "Lambda execution environment" for bench:lambda, in its own process (CPU-limited by the parent with
// taskset): imports the synthesized asset's handler with its layers on the module path (the init phase), then
// invokes it once per case (the first is the cold invocation) and prints one JSON line with the timings and the
// process's peak resident memory (all threads: tesseract workers and onnxruntime included).
import { addLambdaModulePath, type LambdaModulePath } from "../local/lambda-assets.ts";
import { lambdaContext } from "../local/lambda-context.ts";

interface Job {
  handlerUrl: string;
  modulePath: LambdaModulePath;
  caseIds: string[];
  memoryMb: number;
}

const job = JSON.parse(process.argv[2] ?? "{}") as Job;
addLambdaModulePath(job.modulePath);
const t0 = performance.now();
const mod = (await import(job.handlerUrl)) as { handler: (e: unknown, c: unknown) => Promise<{ status?: string }> };
const initMs = performance.now() - t0;
const invocations: Array<{ ms: number; status: string }> = [];
for (const caseId of job.caseIds) {
  const started = performance.now();
  const ctx = lambdaContext({
    functionName: "bench-ReadForm",
    invokedFunctionArn: "arn:aws:lambda:eu-north-1:000000000000:function:bench-ReadForm",
    memoryMb: job.memoryMb,
    timeoutSeconds: 120,
  });
  const out = await mod.handler({ caseId }, ctx);
  invocations.push({ ms: performance.now() - started, status: String(out?.status ?? "?") });
}
const ru = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ initMs, invocations, maxRssMb: ru.maxRSS / 1024, cpuSeconds: (ru.userCPUTime + ru.systemCPUTime) / 1e6 })}\n`,
);
process.exit(0);
