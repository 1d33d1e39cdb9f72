// `lockdesk read <files...>`: read scanned forms, decide, print per file.
import os from "node:os";
import { parseArgs } from "node:util";
import { maskPersonnummer } from "../shared/domain/case.ts";
import { describePages } from "../shared/extraction/batches.ts";
import { isIsoDate } from "../shared/use-cases/register-case.ts";
import {
  type DocumentReading,
  type FileReading,
  failureLine,
  mailFates,
  mapLimit,
  openContext,
  readAndDecideDocuments,
  today,
} from "./reading.ts";

export const READ_USAGE = `usage: lockdesk read <files...> --persons <csv> --caregivers <csv> [--staff <csv>] [--received YYYY-MM-DD] [--json]
  --persons      population registry CSV (personnummer,givenNames,surname,protectedIdentity,guardians)
  --caregivers   approved private caregivers CSV (name,organisationNumber)
  --received     the receipt date for the age rules (default: today)
  --staff        staff directory CSV (vgrId,name,title,unit,caregiver,email,phone,unitEmail,unitAddress): the
                 vouching staff member is verified against it and their addresses snapped to it
  --json         one JSON object per line on stdout: one per document of each file (a batch file holds several;
                 "document", "pages" and "formPage" are 1-based, "pageCount" is the file's)
  --show-pii     print full personnummer in the text output (default: masked)`;

export async function runRead(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      persons: { type: "string" },
      caregivers: { type: "string" },
      staff: { type: "string" },
      received: { type: "string" },
      json: { type: "boolean", default: false },
      "show-pii": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(READ_USAGE);
    return 0;
  }
  if (positionals.length === 0 || !values.persons || !values.caregivers) {
    console.error(`lockdesk read: files, --persons and --caregivers are required\n${READ_USAGE}`);
    return 2;
  }
  const received = values.received ?? today();
  if (!isIsoDate(received)) {
    console.error(`lockdesk read: --received must be a date YYYY-MM-DD, got '${received}'`);
    return 2;
  }
  const ctx = openContext(values.persons, values.caregivers, values.staff);
  let failures = 0;
  try {
    await mapLimit(positionals, Math.max(1, os.availableParallelism()), async (file, i) => {
      try {
        const r = await readAndDecideDocuments(ctx, file, received);
        if (positionals.length > 1) {
          const decisions = r.documents.map((d) => d.validation.decision).join(", ");
          console.error(`[${i + 1}/${positionals.length}] ${file}: ${decisions}`);
        }
        for (let k = 0; k < r.documents.length; k++) {
          console.log(values.json ? JSON.stringify(toJson(r, k)) : toText(r, k, values["show-pii"] ?? false));
        }
      } catch (e) {
        failures++;
        console.error(failureLine(file, e));
      }
    });
  } finally {
    await ctx.close();
  }
  return failures > 0 ? 1 : 0;
}

/**
 * One document of a file as one JSON object: `document` (1-based, of `documents`), its `pages` and `formPage`
 * (1-based; null without a form), and the file's page count in `pageCount`.
 */
export function toJson(r: FileReading, index = 0): Record<string, unknown> {
  const d = r.documents[index] as DocumentReading;
  return {
    file: r.file,
    document: index + 1,
    documents: r.documents.length,
    pages: d.pages.map((p) => p + 1),
    formPage: d.formPage === null ? null : d.formPage + 1,
    pageCount: r.pageCount,
    formCode: d.read.form.formCode,
    formVersion: d.read.form.formVersion,
    action: d.read.form.action,
    fields: Object.fromEntries(Object.entries(d.read.form.fields).map(([k, v]) => [k, v.value])),
    confidence: Object.fromEntries(
      Object.entries(d.read.form.fields).map(([k, v]) => [k, Math.round(v.confidence * 100) / 100]),
    ),
    decision: d.validation.decision,
    reasons: d.validation.reasons,
    staff: d.validation.staff ? { status: d.validation.staff.status, vgrId: d.validation.staff.vgrId } : null,
    mail: mailFates(d).map((m) => ({
      field: m.field,
      fate: m.fate,
      ...("address" in m ? { address: m.address } : {}),
    })),
    seconds: Math.round(r.seconds * 100) / 100,
  };
}

function toText(r: FileReading, index: number, showPii: boolean): string {
  const d = r.documents[index] as DocumentReading;
  const where =
    r.documents.length > 1
      ? ` [document ${index + 1}/${r.documents.length}: pages ${describePages(d.pages)}${d.formPage === null ? "" : `, form on page ${d.formPage + 1}`}]`
      : "";
  const lines = [
    `${r.file}${where}: ${d.validation.decision}${d.validation.reasons.length ? ` (${d.validation.reasons.join(", ")})` : ""}`,
    `  form ${d.read.form.formCode ?? "(not a form)"} ${d.read.form.formVersion ?? ""}  action ${d.read.form.action ?? "-"}  pages ${describePages(d.pages)} of ${r.pageCount}  ${r.seconds.toFixed(1)} s`,
  ];
  for (const [name, f] of Object.entries(d.read.form.fields)) {
    let v = typeof f.value === "boolean" ? (f.value ? "[x]" : "[ ]") : f.value;
    if (!showPii && name.endsWith("personnummer") && typeof f.value === "string" && f.value !== "") {
      v = maskPersonnummer(f.value);
    }
    lines.push(`  ${name.padEnd(36)} ${String(v).padEnd(44)} ${f.confidence.toFixed(2)}`);
  }
  if (d.validation.staff) lines.push(`  staff directory: ${d.validation.staff.status} (${d.validation.staff.vgrId})`);
  for (const m of mailFates(d)) {
    if (m.fate === "MAIL")
      lines.push(`  ${m.field}: e-mail to ${m.address}${m.source === "DIRECTORY" ? " (directory)" : ""}`);
    else if (m.fate === "LETTER") lines.push(`  ${m.field}: letter (address read with doubt)`);
  }
  return lines.join("\n");
}
