// `npm run bench:lambda [-- --cpus 1 --count 22 --assets DIR --no-write]`: the synthesized ReadForm Lambda measured
// against Lambda's limits. Synthesizes the assets (this machine's architecture to run, arm64 for its size unless
// --assets is given), starts DynamoDB + S3 emulators, registers the dev samples with the RegisterCase asset, then
// runs the ReadForm asset in a child process pinned to --cpus cores (Lambda gives one vCPU at 1,769 MB): init
// (module load), the cold first invocation, warm seconds per form and the peak RSS. Writes the figures to
// infra/cost/lambda-bench.json, where `npm run cost` takes the local engine's Lambda seconds from.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PIPELINE_FUNCTIONS } from "../infra/config.ts";
import { synthLambdaAssets } from "../infra/synth-assets.ts";
import { awsEnvFor, startEmulators } from "../local/emulators.ts";
import { type AssetFunction, addLambdaModulePath, readAssetFunctions } from "../local/lambda-assets.ts";
import { lambdaContext } from "../local/lambda-context.ts";
import { createTables } from "../shared/adapters/aws/dynamo-case-store.ts";

export const BENCH_RESULT = fileURLToPath(new URL("../infra/cost/lambda-bench.json", import.meta.url));
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SCANS = join(ROOT, "test/fixtures/scans");
const LIMIT_MB = 250;

const { values } = parseArgs({
  options: {
    assets: { type: "string" },
    cpus: { type: "string", default: "1" },
    count: { type: "string" },
    "memory-mb": { type: "string", default: String(PIPELINE_FUNCTIONS.ReadForm.memoryMb) },
    "no-write": { type: "boolean", default: false },
  },
});
const cpus = Number(values.cpus);
const memoryMb = Number(values["memory-mb"]);
const hostArch = process.arch === "arm64" ? "arm64" : "x86_64";

function sizeMb(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  }
  return n / 2 ** 20;
}
function unzippedMb(f: AssetFunction): number {
  return sizeMb(f.taskRoot) + f.layerModules.reduce((s, d) => s + sizeMb(join(d, "../..")), 0);
}

const work = mkdtempSync(join(os.tmpdir(), "lockdesk-bench-lambda-"));
const stops: Array<() => Promise<void>> = [async () => rmSync(work, { recursive: true, force: true })];
try {
  const assetsDir = values.assets ?? synthLambdaAssets(join(work, `cdk.out.${hostArch}`), hostArch);
  const fns = readAssetFunctions(assetsDir);
  const sizes: Record<string, number> = { [fns.ReadForm.architecture]: unzippedMb(fns.ReadForm) };
  if (!values.assets && hostArch !== "arm64") {
    sizes.arm64 = unzippedMb(readAssetFunctions(synthLambdaAssets(join(work, "cdk.out.arm64"), "arm64")).ReadForm);
  }

  const emulators = await startEmulators({ dataDir: join(work, "data"), buckets: ["bench-scans"] });
  stops.unshift(() => emulators.stop());
  const env: Record<string, string> = {
    ...awsEnvFor(emulators.endpoints),
    CASES_TABLE: "bench-cases",
    AUDIT_TABLE: "bench-audit",
    SCANS_BUCKET: "bench-scans",
    S3_FORCE_PATH_STYLE: "true",
    OCR_ENGINE: "local",
    POWERTOOLS_LOG_LEVEL: "ERROR",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
  };
  Object.assign(process.env, env);
  const ddb = new DynamoDBClient({ endpoint: emulators.endpoints.dynamodb, region: emulators.endpoints.region });
  await createTables(ddb, { cases: env.CASES_TABLE as string, audit: env.AUDIT_TABLE as string });
  const s3 = new S3Client({
    endpoint: emulators.endpoints.s3,
    region: emulators.endpoints.region,
    forcePathStyle: true,
  });

  // The cases ReadForm will read, registered by the RegisterCase asset as on AWS.
  const truthFiles = readdirSync(SCANS)
    .filter((f) => f.endsWith(".json"))
    .sort();
  const samples = truthFiles
    .map((f) => JSON.parse(readFileSync(join(SCANS, f), "utf8")) as { file: string; receivedDate: string })
    .slice(0, values.count ? Number(values.count) : undefined);
  addLambdaModulePath(fns.RegisterCase);
  const register = (await import(fns.RegisterCase.handlerUrl)) as {
    handler: (e: unknown, c: unknown) => Promise<{ caseId: string }>;
  };
  const caseIds: string[] = [];
  for (const s of samples) {
    const key = `incoming/bench/${s.file}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: "bench-scans",
        Key: key,
        Body: readFileSync(join(SCANS, s.file)),
        Metadata: { "received-date": s.receivedDate },
      }),
    );
    const ctx = lambdaContext({
      functionName: "bench-RegisterCase",
      invokedFunctionArn: "x",
      memoryMb: 256,
      timeoutSeconds: 30,
    });
    const out = await register.handler(
      { scan: { bucket: "bench-scans", key, eventTime: new Date().toISOString() } },
      ctx,
    );
    caseIds.push(out.caseId);
  }

  // ReadForm in its own process on `cpus` cores.
  const tsx = join(ROOT, "node_modules/tsx/dist/esm/index.mjs");
  const job = { handlerUrl: fns.ReadForm.handlerUrl, modulePath: fns.ReadForm, caseIds, memoryMb };
  const cores = Array.from({ length: cpus }, (_, i) => i).join(",");
  const child = spawn(
    "taskset",
    ["-c", cores, process.execPath, "--import", tsx, join(ROOT, "bench/lambda-child.ts"), JSON.stringify(job)],
    {
      env: { ...process.env, ...env, NODE_PATH: fns.ReadForm.layerModules.join(":") },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let stdout = "";
  child.stdout.on("data", (d) => {
    stdout += String(d);
  });
  const code = await new Promise<number>((r) => child.once("exit", (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`ReadForm child exited ${code}`);
  const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
    initMs: number;
    invocations: Array<{ ms: number; status: string }>;
    maxRssMb: number;
    cpuSeconds: number;
  };
  const [cold, ...warm] = result.invocations;
  const warmS = warm.map((w) => w.ms / 1000).sort((a, b) => a - b);
  const mean = warmS.reduce((s, v) => s + v, 0) / Math.max(1, warmS.length);
  const p95 = warmS[Math.min(warmS.length - 1, Math.floor(0.95 * warmS.length))] ?? 0;
  const failed = result.invocations.filter((i) => i.status !== "READ");
  const figures = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus()[0]?.model ?? "cpu"}, ${os.cpus().length} cores, node ${process.versions.node}`,
    cpus,
    memoryMb,
    forms: result.invocations.length,
    assetUnzippedMb: Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, Math.round(v * 10) / 10])),
    initSeconds: Math.round(result.initMs) / 1000,
    coldFirstFormSeconds: Math.round(cold?.ms ?? 0) / 1000,
    warmSecondsPerForm: Math.round(mean * 1000) / 1000,
    warmP95Seconds: Math.round(p95 * 1000) / 1000,
    peakRssMb: Math.round(result.maxRssMb),
    cpuSecondsTotal: Math.round(result.cpuSeconds * 10) / 10,
  };
  console.log(`bench:lambda  ReadForm asset ${assetsDir}  (${figures.machine})`);
  for (const [arch, mb] of Object.entries(figures.assetUnzippedMb)) {
    console.log(`  asset unzipped (function + layers), ${arch}: ${mb} MB of ${LIMIT_MB} MB`);
  }
  console.log(`  init (module load)          ${figures.initSeconds.toFixed(2)} s   (Lambda allows 10 s)`);
  console.log(`  cold first form             ${figures.coldFirstFormSeconds.toFixed(2)} s`);
  console.log(
    `  warm per form               ${figures.warmSecondsPerForm.toFixed(2)} s  (p95 ${figures.warmP95Seconds.toFixed(2)} s, ${warm.length} forms, ${cpus} core${cpus > 1 ? "s" : ""})`,
  );
  console.log(`  peak memory (RSS)           ${figures.peakRssMb} MB at ${memoryMb} MB configured`);
  if (failed.length > 0)
    console.log(`  NOT READ: ${failed.length} invocation(s): ${failed.map((f) => f.status).join(", ")}`);
  if (!values["no-write"]) {
    writeFileSync(BENCH_RESULT, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`  written to ${BENCH_RESULT}`);
  }
  ddb.destroy();
  s3.destroy();
} finally {
  for (const stop of stops) await stop().catch(() => undefined);
}
