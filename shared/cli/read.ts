// `lockdesk read <files...>`: read scanned forms, decide, print per file.
import os from "node:os";
import { parseArgs } from "node:util";
import { maskPersonnummer } from "../domain/case.ts";
import { isIsoDate } from "../use-cases/register-case.ts";
import { failureLine, mailFates, mapLimit, openContext, type Reading, readAndDecide, today } from "./reading.ts";

export const READ_USAGE = `usage: lockdesk read <files...> --persons <csv> --caregivers <csv> [--staff <csv>] [--received YYYY-MM-DD] [--json]
  --persons      population registry CSV (personnummer,givenNames,surname,protectedIdentity,guardians)
  --caregivers   approved private caregivers CSV (name,organisationNumber)
  --staff        staff directory CSV (vgrId,name,title,unit,caregiver,email,phone,unitEmail,unitAddress): the
                 vouching staff member is verified against it and their addresses snapped to it
  --received     the receipt date for the age rules (default: today)
  --json         one JSON object per line on stdout
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
        const r = await readAndDecide(ctx, file, received);
        if (positionals.length > 1) console.error(`[${i + 1}/${positionals.length}] ${file}: ${r.validation.decision}`);
        console.log(values.json ? JSON.stringify(toJson(r)) : toText(r, values["show-pii"] ?? false));
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

export function toJson(r: Reading): Record<string, unknown> {
  return {
    file: r.file,
    formCode: r.read.form.formCode,
    formVersion: r.read.form.formVersion,
    action: r.read.form.action,
    fields: Object.fromEntries(Object.entries(r.read.form.fields).map(([k, v]) => [k, v.value])),
    confidence: Object.fromEntries(
      Object.entries(r.read.form.fields).map(([k, v]) => [k, Math.round(v.confidence * 100) / 100]),
    ),
    decision: r.validation.decision,
    reasons: r.validation.reasons,
    staff: r.validation.staff ? { status: r.validation.staff.status, vgrId: r.validation.staff.vgrId } : null,
    mail: mailFates(r).map((m) => ({
      field: m.field,
      fate: m.fate,
      ...("address" in m ? { address: m.address } : {}),
    })),
    pages: r.read.pageCount,
    seconds: Math.round(r.seconds * 100) / 100,
  };
}

function toText(r: Reading, showPii: boolean): string {
  const lines = [
    `${r.file}: ${r.validation.decision}${r.validation.reasons.length ? ` (${r.validation.reasons.join(", ")})` : ""}`,
    `  form ${r.read.form.formCode ?? "(not a form)"} ${r.read.form.formVersion ?? ""}  action ${r.read.form.action ?? "-"}  pages ${r.read.pageCount}  ${r.seconds.toFixed(1)} s`,
  ];
  for (const [name, f] of Object.entries(r.read.form.fields)) {
    let v = typeof f.value === "boolean" ? (f.value ? "[x]" : "[ ]") : f.value;
    if (!showPii && name.endsWith("personnummer") && typeof f.value === "string" && f.value !== "") {
      v = maskPersonnummer(f.value);
    }
    lines.push(`  ${name.padEnd(36)} ${String(v).padEnd(44)} ${f.confidence.toFixed(2)}`);
  }
  if (r.validation.staff) lines.push(`  staff directory: ${r.validation.staff.status} (${r.validation.staff.vgrId})`);
  for (const m of mailFates(r)) {
    if (m.fate === "MAIL")
      lines.push(`  ${m.field}: e-mail to ${m.address}${m.source === "DIRECTORY" ? " (directory)" : ""}`);
    else if (m.fate === "LETTER") lines.push(`  ${m.field}: letter (address read with doubt)`);
  }
  return lines.join("\n");
}
