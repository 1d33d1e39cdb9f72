// `lockdesk eval <dir>`: run the reader on every ground-truth item in a folder and report how it did.
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { DECISIONS, type Decision } from "../domain/forms.ts";
import { failureLine, mapLimit, openContext, type Reading, readAndDecide } from "./reading.ts";

export const EVAL_USAGE = `usage: lockdesk eval <dir> --persons <csv> --caregivers <csv> [--json]
  Reads every ground-truth <id>.json in <dir>, runs the reader on its scan with the item's receivedDate, and prints
  decision accuracy, the confusion matrix, wrong EXECUTEs, reason recall and exact-match rate per field.
  --json   the last line of stdout is one JSON object:
           {"items","decisionAccuracy","wrongExecute","reasonRecall","fieldAccuracy":{...},"secondsPerPage"}`;

const TruthSchema = z.object({
  file: z.string(),
  receivedDate: z.string(),
  formCode: z.string().nullable(),
  action: z.string().nullable(),
  fields: z.record(z.string(), z.union([z.string(), z.boolean()])),
  expected: z.object({ decision: z.enum(DECISIONS), reasons: z.array(z.string()) }),
});
type Truth = z.infer<typeof TruthSchema>;

export interface EvalSummary {
  items: number;
  decisionAccuracy: number;
  wrongExecute: number;
  reasonRecall: number;
  fieldAccuracy: Record<string, number>;
  secondsPerPage: number;
}

export async function runEval(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      persons: { type: "string" },
      caregivers: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(EVAL_USAGE);
    return 0;
  }
  const dir = positionals[0];
  if (!dir || !values.persons || !values.caregivers) {
    console.error(`lockdesk eval: <dir>, --persons and --caregivers are required\n${EVAL_USAGE}`);
    return 2;
  }
  const truths: Truth[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".json") && n !== "manifest.json").sort()) {
    const parsed = TruthSchema.safeParse(JSON.parse(await readFile(path.join(dir, name), "utf8")));
    if (parsed.success) truths.push(parsed.data);
    else console.error(`${name}: skipped: not a ground-truth item`);
  }
  if (truths.length === 0) {
    console.error(`lockdesk eval: no ground-truth items in ${dir}`);
    return 2;
  }
  const ctx = openContext(values.persons, values.caregivers);
  const results: Array<{ truth: Truth; reading: Reading | null }> = [];
  let done = 0;
  const started = performance.now();
  try {
    await mapLimit(truths, Math.max(1, os.availableParallelism()), async (truth) => {
      const file = path.join(dir, truth.file);
      let reading: Reading | null = null;
      try {
        reading = await readAndDecide(ctx, file, truth.receivedDate);
      } catch (e) {
        console.error(failureLine(file, e));
      }
      results.push({ truth, reading });
      done++;
      const got = reading?.validation.decision ?? "ERROR";
      console.error(
        `[${done}/${truths.length}] ${truth.file}: ${got}${got === truth.expected.decision ? "" : ` (expected ${truth.expected.decision})`}`,
      );
    });
  } finally {
    await ctx.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const summary = summarise(results, wallSeconds);
  printReport(summary, results);
  if (values.json) console.log(JSON.stringify(summary));
  return 0;
}

export function summarise(results: Array<{ truth: Truth; reading: Reading | null }>, wallSeconds: number): EvalSummary {
  let correct = 0;
  let wrongExecute = 0;
  let reasonHits = 0;
  let reasonTotal = 0;
  let pages = 0;
  const fieldHits = new Map<string, { ok: number; n: number }>();
  for (const { truth, reading } of results) {
    const got = reading?.validation.decision;
    if (got === truth.expected.decision) correct++;
    if (got === "EXECUTE" && truth.expected.decision !== "EXECUTE") wrongExecute++;
    for (const r of truth.expected.reasons) {
      reasonTotal++;
      if (reading?.validation.reasons.includes(r as never)) reasonHits++;
    }
    pages += reading?.read.pageCount ?? 1;
    for (const [name, value] of Object.entries(truth.fields)) {
      const s = fieldHits.get(name) ?? { ok: 0, n: 0 };
      s.n++;
      if (reading?.read.form.fields[name]?.value === value) s.ok++;
      fieldHits.set(name, s);
    }
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return {
    items: results.length,
    decisionAccuracy: round(correct / results.length),
    wrongExecute,
    reasonRecall: reasonTotal === 0 ? 1 : round(reasonHits / reasonTotal),
    fieldAccuracy: Object.fromEntries(
      [...fieldHits.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, round(v.ok / v.n)]),
    ),
    secondsPerPage: round(wallSeconds / Math.max(1, pages)),
  };
}

function printReport(s: EvalSummary, results: Array<{ truth: Truth; reading: Reading | null }>): void {
  const labels: Array<Decision | "ERROR"> = [...DECISIONS, "ERROR"];
  const matrix = new Map<string, number>();
  for (const { truth, reading } of results) {
    const k = `${truth.expected.decision}|${reading?.validation.decision ?? "ERROR"}`;
    matrix.set(k, (matrix.get(k) ?? 0) + 1);
  }
  const out: string[] = [];
  out.push(`items               ${s.items}`);
  out.push(`decision accuracy   ${s.decisionAccuracy.toFixed(4)}`);
  out.push(`wrong EXECUTE       ${s.wrongExecute}`);
  out.push(`reason recall       ${s.reasonRecall.toFixed(4)}`);
  out.push(`seconds per page    ${s.secondsPerPage.toFixed(2)} (wall clock, ${os.availableParallelism()} cores)`);
  out.push("");
  out.push("confusion matrix (rows: expected, columns: decided)");
  out.push(`${"".padEnd(10)}${labels.map((l) => l.padStart(9)).join("")}`);
  for (const row of DECISIONS) {
    out.push(`${row.padEnd(10)}${labels.map((c) => String(matrix.get(`${row}|${c}`) ?? 0).padStart(9)).join("")}`);
  }
  out.push("");
  out.push("field exact-match rate");
  for (const [k, v] of Object.entries(s.fieldAccuracy)) out.push(`  ${k.padEnd(36)} ${v.toFixed(3)}`);
  const wrong = results.filter((r) => r.reading?.validation.decision !== r.truth.expected.decision);
  if (wrong.length > 0) {
    out.push("");
    out.push("wrong decisions");
    for (const { truth, reading } of wrong) {
      out.push(
        `  ${truth.file}: expected ${truth.expected.decision} [${truth.expected.reasons.join(",")}], got ${reading?.validation.decision ?? "ERROR"} [${reading?.validation.reasons.join(",") ?? ""}]`,
      );
    }
  }
  console.log(out.join("\n"));
}
