// `lockdesk eval <dir>`: run the reader on every ground-truth item in a folder and report how it did.
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DECISIONS, type Decision } from "../shared/domain/forms.ts";
import {
  type EffectSummary,
  type EvalItem,
  type FileTruth,
  itemLabel,
  loadTruths,
  matchDocuments,
  summariseByEffect,
} from "./eval-batches.ts";
import { type FileReading, failureLine, mailFates, mapLimit, openContext, readAndDecideDocuments } from "./reading.ts";

export const EVAL_USAGE = `usage: lockdesk eval <dir> --persons <csv> --caregivers <csv> [--staff <csv>] [--json]
  Reads every ground-truth <id>.json in <dir>, runs the reader on its scan with the item's receivedDate, and prints
  decision accuracy, the confusion matrix, wrong EXECUTEs, reason recall, exact-match rate per field and mail
  safety: over every address field of every form, the addresses that would be e-mailed (by the rule SendMail
  applies), those of them that differ from the ground truth, and those that would become letters.
  A batch file's ground truth lists its documents: each is an item, matched to the reader's by form page; a
  document the reader did not find is a wrong decision, documents it made beyond the truth are extraDocuments.
  Effects named in manifest.json (beside <dir> or one level up) are reported per effect.
  --staff  staff directory CSV: vouching staff verified against it, their addresses snapped to it
  --json   the last line of stdout is one JSON object:
           {"items","decisionAccuracy","wrongExecute","reasonRecall","fieldAccuracy":{...},"secondsPerPage",
            "mailedAddresses","wrongMailAddresses","letters","typedLetters",
            "extraDocuments","byEffect":{"<effect>":{"items","decisionAccuracy","wrongExecute"}}}`;

export interface EvalSummary {
  items: number;
  decisionAccuracy: number;
  wrongExecute: number;
  reasonRecall: number;
  fieldAccuracy: Record<string, number>;
  secondsPerPage: number;
  /** Addresses (over every address field of every form) that would be e-mailed. */
  mailedAddresses: number;
  /** Of those, the ones that differ from the ground truth (a mail to a stranger). */
  wrongMailAddresses: number;
  /** Addresses written on a form that would become letters instead (read with doubt). */
  letters: number;
  /** Of the letters, those on typed (not hand-written) scans. */
  typedLetters: number;
  extraDocuments: number;
  byEffect: Record<string, EffectSummary>;
}

export interface MailOutcome {
  file: string;
  field: string;
  fate: "MAIL" | "LETTER";
  /** Only for the report's list of wrong mails: the address read and the one written. */
  wrong?: { mailed: string; truth: string };
}

/** Every written address's fate, by the rule SendMail applies (reading.ts mailFates → domain addressFate). */
export function mailOutcomes(results: EvalItem[]): MailOutcome[] {
  const out: MailOutcome[] = [];
  for (const { truth, reading } of results) {
    if (!reading) continue;
    const file = itemLabel(truth);
    for (const m of mailFates(reading)) {
      if (m.fate === "NONE") continue;
      const written = String(truth.fields[m.field] ?? "").trim();
      if (m.fate === "LETTER") out.push({ file, field: m.field, fate: "LETTER" });
      else if (m.address.toLowerCase() !== written.toLowerCase()) {
        out.push({ file, field: m.field, fate: "MAIL", wrong: { mailed: m.address, truth: written } });
      } else out.push({ file, field: m.field, fate: "MAIL" });
    }
  }
  return out;
}

export async function runEval(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      persons: { type: "string" },
      caregivers: { type: "string" },
      staff: { type: "string" },
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
  const { files: truths, skipped } = await loadTruths(dir);
  for (const name of skipped) console.error(`${name}: skipped: not a ground-truth item`);
  if (truths.length === 0) {
    console.error(`lockdesk eval: no ground-truth items in ${dir}`);
    return 2;
  }
  const ctx = openContext(values.persons, values.caregivers, values.staff);
  const results: EvalItem[] = [];
  let extraDocuments = 0;
  let pages = 0;
  let done = 0;
  const started = performance.now();
  try {
    await mapLimit(truths, Math.max(1, os.availableParallelism()), async (truth: FileTruth) => {
      const file = path.join(dir, truth.file);
      let reading: FileReading | null = null;
      try {
        reading = await readAndDecideDocuments(ctx, file, truth.receivedDate);
      } catch (e) {
        console.error(failureLine(file, e));
      }
      const matched = matchDocuments(truth, reading);
      results.push(...matched.items);
      extraDocuments += matched.extra;
      pages += reading?.pageCount ?? 1;
      done++;
      const got = matched.items.map((i) => i.reading?.validation.decision ?? "ERROR").join(", ");
      const want = truth.documents.map((t) => t.expected.decision).join(", ");
      const extra = matched.extra > 0 ? ` +${matched.extra} extra document(s)` : "";
      console.error(
        `[${done}/${truths.length}] ${truth.file}: ${got}${got === want ? "" : ` (expected ${want})`}${extra}`,
      );
    });
  } finally {
    await ctx.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const summary = summarise(results, wallSeconds, { pages, extraDocuments });
  printReport(summary, results);
  if (values.json) console.log(JSON.stringify(summary));
  return 0;
}

export function summarise(
  results: EvalItem[],
  wallSeconds: number,
  files: { pages: number; extraDocuments: number },
): EvalSummary {
  let correct = 0;
  let wrongExecute = 0;
  let reasonHits = 0;
  let reasonTotal = 0;
  const fieldHits = new Map<string, { ok: number; n: number }>();
  for (const { truth, reading } of results) {
    const got = reading?.validation.decision;
    if (got === truth.expected.decision) correct++;
    if (got === "EXECUTE" && truth.expected.decision !== "EXECUTE") wrongExecute++;
    for (const r of truth.expected.reasons) {
      reasonTotal++;
      if (reading?.validation.reasons.includes(r as never)) reasonHits++;
    }
    for (const [name, value] of Object.entries(truth.fields)) {
      const s = fieldHits.get(name) ?? { ok: 0, n: 0 };
      s.n++;
      if (reading?.read.form.fields[name]?.value === value) s.ok++;
      fieldHits.set(name, s);
    }
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const mail = mailOutcomes(results);
  const typed = new Set(results.filter((r) => r.truth.handwriting === false).map((r) => itemLabel(r.truth)));
  return {
    items: results.length,
    decisionAccuracy: round(correct / results.length),
    wrongExecute,
    reasonRecall: reasonTotal === 0 ? 1 : round(reasonHits / reasonTotal),
    fieldAccuracy: Object.fromEntries(
      [...fieldHits.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, round(v.ok / v.n)]),
    ),
    secondsPerPage: round(wallSeconds / Math.max(1, files.pages)),
    mailedAddresses: mail.filter((m) => m.fate === "MAIL").length,
    wrongMailAddresses: mail.filter((m) => m.wrong).length,
    letters: mail.filter((m) => m.fate === "LETTER").length,
    typedLetters: mail.filter((m) => m.fate === "LETTER" && typed.has(m.file)).length,
    extraDocuments: files.extraDocuments,
    byEffect: summariseByEffect(results),
  };
}

function printReport(s: EvalSummary, results: EvalItem[]): void {
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
  out.push(`mailed addresses    ${s.mailedAddresses}`);
  out.push(`wrong mail address  ${s.wrongMailAddresses}`);
  out.push(`letters             ${s.letters} (typed scans: ${s.typedLetters})`);
  out.push(`extra documents     ${s.extraDocuments}`);
  out.push(`seconds per page    ${s.secondsPerPage.toFixed(2)} (wall clock, ${os.availableParallelism()} cores)`);
  out.push("");
  out.push("confusion matrix (rows: expected, columns: decided)");
  out.push(`${"".padEnd(10)}${labels.map((l) => l.padStart(9)).join("")}`);
  for (const row of DECISIONS) {
    out.push(`${row.padEnd(10)}${labels.map((c) => String(matrix.get(`${row}|${c}`) ?? 0).padStart(9)).join("")}`);
  }
  out.push("");
  out.push("per effect (a document counts once for each of its effects)");
  for (const [k, v] of Object.entries(s.byEffect)) {
    out.push(
      `  ${k.padEnd(12)} items ${String(v.items).padStart(3)}  accuracy ${v.decisionAccuracy.toFixed(3)}  wrong EXECUTE ${v.wrongExecute}`,
    );
  }
  out.push("");
  out.push("field exact-match rate");
  for (const [k, v] of Object.entries(s.fieldAccuracy)) out.push(`  ${k.padEnd(36)} ${v.toFixed(3)}`);
  const mail = mailOutcomes(results).filter((m) => m.fate === "LETTER" || m.wrong);
  if (mail.length > 0) {
    out.push("");
    out.push("addresses not mailed as written (letters) or mailed wrong");
    for (const m of mail) {
      out.push(
        `  ${m.file} ${m.field}: ${m.wrong ? `WRONG MAIL to ${m.wrong.mailed} (written ${m.wrong.truth})` : "letter"}`,
      );
    }
  }
  const wrong = results.filter((r) => r.reading?.validation.decision !== r.truth.expected.decision);
  if (wrong.length > 0) {
    out.push("");
    out.push("wrong decisions");
    for (const { truth, reading } of wrong) {
      out.push(
        `  ${itemLabel(truth)}: expected ${truth.expected.decision} [${truth.expected.reasons.join(",")}], got ${reading?.validation.decision ?? "ERROR"} [${reading?.validation.reasons.join(",") ?? ""}]`,
      );
    }
  }
  console.log(out.join("\n"));
}
