// `npm run bench`: a batch of scans through the embedded local stack (emulators, THE ASL file, the real handlers
// with tesseract.js). Prints forms per minute, p50/p95 from drop into the inbox to the final state, and where
// the time goes: ReadForm (decode + OCR + extraction), the other tasks, orchestration, and queueing.
//   npm run bench -- [--count N] [--concurrency N] [--ids sample-01,sample-05]
// Environment: LOCKDESK_READFORM_THREADS (ReadForm containers, 0 = in the main thread as before), LOCKDESK_OCR_WORKERS
// (tesseract workers per container). The machine may be shared: run it twice and look at "cpu … % of N cores".
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FINAL_STATUSES, startStack } from "../local/stack.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SCANS = join(ROOT, "test/fixtures/scans");

const { values } = parseArgs({
  options: {
    count: { type: "string" },
    concurrency: { type: "string" },
    ids: { type: "string" },
    verbose: { type: "boolean" },
  },
});
const ids = values.ids
  ? values.ids.split(",").map((s) => s.trim())
  : readdirSync(SCANS)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""))
      .sort();
const count = Number(values.count ?? ids.length);
const concurrency = Number(values.concurrency ?? availableParallelism());

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (part: number, whole: number) => `${whole > 0 ? ((100 * part) / whole).toFixed(0) : "0"} %`;

const work = mkdtempSync(join(tmpdir(), "lockdesk-bench-"));
const inbox = join(work, "inbox");
mkdirSync(inbox, { recursive: true });
// The samples' sidecars carry receipt dates of March 2025: the stack's arrival clock starts then, so they are within
// the mail room's 14-day window. Copies beyond the first of a sample are rescans of the same bytes: DUPLICATE_SCAN.
process.env.LOCKDESK_CLOCK_START ??= "2025-03-28T09:00:00.000Z";
const stack = await startStack({
  repoRoot: ROOT,
  dataDir: join(work, "data"),
  inbox,
  persons: join(ROOT, "data/persons.csv"),
  caregivers: join(ROOT, "data/approved-caregivers.csv"),
  concurrency,
  log: values.verbose ? (l) => process.stdout.write(`  ${l}\n`) : () => undefined,
});
try {
  // Distinct file names per copy (each its own case; a repeated sample is a DUPLICATE_SCAN of its first copy).
  const dropped = new Map<string, number>();
  const t0 = Date.now();
  for (let i = 0; i < count; i++) {
    const id = ids[i % ids.length] ?? "";
    const truth = JSON.parse(readFileSync(join(SCANS, `${id}.json`), "utf8")) as { file: string };
    const name = `bench-${String(i).padStart(3, "0")}-${id}`;
    const file = `${name}${extname(truth.file)}`;
    copyFileSync(join(SCANS, `${id}.json`), join(inbox, `${name}.json`));
    copyFileSync(join(SCANS, truth.file), join(inbox, file));
    dropped.set(file, Date.now());
  }
  process.stdout.write(
    `bench: ${count} scans dropped, concurrency ${concurrency}, ${availableParallelism()} cores (${cpus()[0]?.model ?? "cpu"}), ` +
      `ReadForm threads ${process.env.LOCKDESK_READFORM_THREADS ?? "default"}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}\n`,
  );
  const cpu0 = process.cpuUsage();
  await stack.idle();
  const t1 = Date.now();
  const cpu = process.cpuUsage(cpu0);

  const latencies: number[] = [];
  let readMs = 0;
  let otherTaskMs = 0;
  const byFunction: Record<string, { ms: number; calls: number }> = {};
  const reads: Array<[string, number]> = [];
  let execMs = 0;
  let queueMs = 0;
  const statuses: Record<string, number> = {};
  for (const c of await stack.cases.listAll()) {
    if (!c.scan) continue;
    statuses[c.status] = (statuses[c.status] ?? 0) + 1;
  }
  for (const o of stack.outcomes) {
    if (!("scan" in o.input)) continue;
    const file = basename(o.input.scan.key);
    const droppedAt = dropped.get(file);
    if (droppedAt === undefined) continue;
    latencies.push(o.endedAt - droppedAt);
    const tasks = Object.entries(o.taskMs);
    readMs += tasks.filter(([fn]) => fn === "ReadForm").reduce((s, [, ms]) => s + ms, 0);
    otherTaskMs += tasks.filter(([fn]) => fn !== "ReadForm").reduce((s, [, ms]) => s + ms, 0);
    reads.push([file, o.taskMs.ReadForm ?? 0]);
    for (const [fn, ms] of tasks) {
      const f = byFunction[fn] ?? { ms: 0, calls: 0 };
      byFunction[fn] = f;
      f.ms += ms;
      f.calls++;
    }
    execMs += o.endedAt - o.startedAt;
    queueMs += o.startedAt - droppedAt;
  }
  latencies.sort((a, b) => a - b);
  const finals = Object.entries(statuses)
    .filter(([s]) => FINAL_STATUSES.has(s as never))
    .reduce((n, [, k]) => n + k, 0);
  const orchestration = Math.max(0, execMs - readMs - otherTaskMs);
  // Everything in an execution that is not ReadForm is orchestration in the issue's sense: the other tasks'
  // emulator round trips plus the ASL runner's own transitions.
  const notOcr = Math.max(0, execMs - readMs);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const lines = [
    `forms:           ${finals}/${count} final (${Object.entries(statuses)
      .map(([s, n]) => `${s} ${n}`)
      .join(", ")})`,
    `wall time:       ${sec(t1 - t0)} (drop of the first scan → last final state)`,
    `throughput:      ${((finals * 60_000) / Math.max(1, t1 - t0)).toFixed(1)} forms/minute`,
    `drop → final:    p50 ${sec(percentile(latencies, 50))}, p95 ${sec(percentile(latencies, 95))}, max ${sec(latencies.at(-1) ?? Number.NaN)}`,
    `cpu:             ${sec(cpuMs)} in this process (all threads; s3rver's child process not counted), ${(cpuMs / 1000 / Math.max(1, finals)).toFixed(2)} s per form, ${((100 * cpuMs) / Math.max(1, t1 - t0) / availableParallelism()).toFixed(0)} % of ${availableParallelism()} cores`,
    `time in executions (sum over ${latencies.length} executions, ${sec(execMs)}; mean ${sec(execMs / Math.max(1, latencies.length))} each):`,
    `  ReadForm (decode + OCR + extraction)  ${sec(readMs)}  ${pct(readMs, execMs)}`,
    `  other tasks (register, validate, act, mail, archive)  ${sec(otherTaskMs)}  ${pct(otherTaskMs, execMs)}`,
    `  ASL runner (transitions, retries' waits)  ${sec(orchestration)}  ${pct(orchestration, execMs)}`,
    `  per function (mean per execution that ran it): ${Object.entries(byFunction)
      .map(([fn, f]) => `${fn} ${(f.ms / f.calls).toFixed(0)} ms`)
      .join(", ")}`,
    `  slowest ReadForm: ${reads
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([f, ms]) => `${f} ${sec(ms)}`)
      .join(", ")}`,
    `orchestration / OCR: ${sec(notOcr)} / ${sec(readMs)} = ${readMs > 0 ? ((100 * notOcr) / readMs).toFixed(1) : "?"} % (aim ≤ 5 %)`,
    `waiting before an execution started (inbox poll + queue), sum: ${sec(queueMs)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);
