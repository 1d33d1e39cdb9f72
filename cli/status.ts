// `lockdesk status`: the cases of a local stack, running or stopped. A running stack is read through its
// DynamoDB endpoint (DATA_DIR/endpoints.json); a stopped one by starting dynalite on its data dir for the read.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { CaseRecord } from "../shared/domain/case.ts";
import { DECISIONS } from "../shared/i18n/history-sv.ts";
import { reasonText, statusText } from "../web/texts.ts";

export const STATUS_USAGE = "användning: lockdesk status [--data-dir KATALOG] [--json]";

/** The pipeline's decision in Swedish (the table; --json keeps the codes for scripts). */
export const DECISION_TEXTS: Record<string, string> = DECISIONS;

/** The human-readable table of `lockdesk status`, in Swedish. */
export function statusTable(cases: readonly CaseSummary[]): string {
  const rows = [["ÄRENDE", "FIL", "STATUS", "BESLUT", "ORSAKER"]];
  for (const c of cases) {
    rows.push([
      c.caseId,
      c.file,
      statusText(c.status),
      c.decision ? (DECISION_TEXTS[c.decision] ?? c.decision) : "–",
      c.reasons.map(reasonText).join("; ") || "–",
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const lines = rows.map((r) =>
    r
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  lines.push(cases.length === 1 ? "1 ärende" : `${cases.length} ärenden`);
  return `${lines.join("\n")}\n`;
}

export interface CaseSummary {
  caseId: string;
  file: string;
  status: string;
  decision: string | null;
  reasons: string[];
  receivedDate: string;
  formCode: string | null;
}

export function summarize(c: CaseRecord): CaseSummary {
  return {
    caseId: c.caseId,
    file: c.scan?.fileName ?? "",
    status: c.status,
    decision: c.decision,
    reasons: [...c.reasons],
    receivedDate: c.receivedDate,
    formCode: c.formCode,
  };
}

/** Reads every case of the stack in dataDir (oldest first). No personal data leaves this function. */
export async function listLocalCases(dataDir: string): Promise<CaseSummary[]> {
  const { readEndpointsFile, LOCAL_NAMES, isAlive } = await import("../local/stack.ts");
  const { startEmulators, LOCAL_REGION } = await import("../local/emulators.ts");
  const { DynamoCaseStore, documentClient } = await import("../shared/adapters/aws/dynamo-case-store.ts");
  const running = readEndpointsFile(dataDir);
  let endpoint: string | null = null;
  if (running && isAlive(running.pid)) endpoint = running.endpoints.dynamodb;
  const emulators = endpoint ? null : await startEmulators({ dataDir, buckets: [], dynamodbOnly: true });
  const url = endpoint ?? emulators?.endpoints.dynamodb ?? "";
  const client = new DynamoDBClient({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const store = new DynamoCaseStore(documentClient(client), LOCAL_NAMES.casesTable);
    let all: CaseRecord[] = [];
    try {
      all = await store.listAll();
    } catch (err) {
      if ((err as Error).name !== "ResourceNotFoundException") throw err; // never started: no table yet
    }
    return all
      .map(summarize)
      .sort((a, b) => a.receivedDate.localeCompare(b.receivedDate) || a.file.localeCompare(b.file));
  } finally {
    client.destroy();
    await emulators?.stop();
  }
}

export async function runStatus(argv: string[]): Promise<number> {
  let values: { "data-dir"?: string | undefined; json?: boolean | undefined };
  try {
    values = parseArgs({
      args: argv,
      options: { "data-dir": { type: "string" }, json: { type: "boolean" } },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`lockdesk status: felaktigt argument (${(err as Error).message})\n${STATUS_USAGE}\n`);
    return 2;
  }
  const dataDir = resolve(values["data-dir"] ?? process.env.LOCKDESK_DATA_DIR ?? ".lockdesk");
  let cases: CaseSummary[];
  try {
    cases = await listLocalCases(dataDir);
  } catch (err) {
    process.stderr.write(`lockdesk status: ärendena kunde inte läsas (${(err as Error).message})\n`);
    return 1;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(cases)}\n`);
    return 0;
  }
  process.stdout.write(statusTable(cases));
  return 0;
}
