// `npm run cost`: AWS cost per 1,000 one-page forms, from the per-form call counts of the pipeline.
// The state transitions are counted by walking THE state machine (infra/state-machine/case.asl.json) along the
// happy path; everything else is the usage profile below, each number with where it comes from.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../config.ts";
import { type AslDefinition, loadAsl, walkAsl } from "./asl-path.ts";

export interface Prices {
  region: string;
  pricesAsOf: string;
  textract: { detectDocumentTextPerPage: number };
  lambda: { arm64PerGbSecond: number; perRequest: number };
  stepFunctions: { standardPerStateTransition: number };
  dynamodb: { onDemandPerWriteRequestUnit: number; onDemandPerReadRequestUnit: number };
  ses: { perEmailRecipient: number };
  s3: {
    perPutRequest: number;
    perGetRequest: number;
    standardPerGbMonth: number;
    glacierInstantRetrievalPerGbMonth: number;
  };
  eventBridge: { perAwsServiceEvent: number };
  cloudWatchLogs: { perGbIngested: number };
  kms: { perRequest: number };
  xray: { perTraceRecorded: number };
}

export const PRICES_PATH = fileURLToPath(new URL("./prices.json", import.meta.url));

export function loadPrices(path: string = PRICES_PATH): Prices {
  return JSON.parse(readFileSync(path, "utf8")) as Prices;
}

/** What one one-page form costs in calls, on the EXECUTE path (the most expensive route). */
export interface UsageProfile {
  textractPages: number;
  /** Billed duration per invocation in seconds, by function (functions not on the path: 0). */
  lambdaSeconds: Record<PipelineFunctionName, number>;
  dynamoWriteUnits: number;
  dynamoReadUnits: number;
  emailRecipients: number;
  s3Puts: number;
  s3Gets: number;
  eventBridgeEvents: number;
  logBytes: number;
  kmsRequests: number;
  traces: number;
  /** Archived bytes per form (scan copy + summary PDF), for the storage line. */
  archivedBytes: number;
  /** Memory per function when it differs from PIPELINE_FUNCTIONS (e.g. the memory bench:lambda measured at). */
  lambdaMemoryMb?: Partial<Record<PipelineFunctionName, number>>;
}

// Case item ≈ 6 KB (40 fields with confidence + history). Every put writes the table and both GSIs (projection
// ALL): 6 WRU × 3. Puts on the EXECUTE path: RegisterCase 1, ReadForm 1, ValidateCase 1, ExecuteAction 2
// (EXECUTING, result), SendMail 1, ArchiveScan 1 = 7. Strongly consistent gets of 6 KB = 2 RRU, one per task
// (6) + the bySubject query (eventually consistent, ≈1 RRU); the accounts table adds 1 WRU + 1 RRU. Three claim
// items (< 1 KB, in no index: the object's key at RegisterCase, the scan's sha256 and content at ValidateCase) add
// 3 WRU.
const CLAIM_WRU = 3;
const CASE_ITEM_WRU = 6;
const CASE_PUTS = 7;
const TABLE_AND_GSIS = 3;

export const EXECUTE_PATH_PROFILE: UsageProfile = {
  textractPages: 1,
  // Estimates, warm invocations (cold starts add ~0.5-1 s to the first call per container and are amortised
  // over the calls a container serves). ReadForm: Textract ≈1.2-2 s per page + decode/registration ≈0.5 s.
  lambdaSeconds: {
    RegisterCase: 0.3,
    ReadForm: 2.5,
    ValidateCase: 0.3,
    ParkCase: 0,
    MarkFailed: 0,
    ExecuteAction: 0.2,
    SendMail: 0.4,
    ArchiveScan: 0.6,
  },
  dynamoWriteUnits: CASE_ITEM_WRU * CASE_PUTS * TABLE_AND_GSIS + 1 + CLAIM_WRU,
  dynamoReadUnits: 2 * 6 + 1 + 1,
  // One confirmation; on 1177-VG/VH an optional second address (requester.email2) is used on some forms.
  emailRecipients: 1.2,
  // PUT: the scanner's upload, the archive copy, the summary PDF. GET: RegisterCase (metadata), ReadForm,
  // ExecuteAction and SendMail (the scan is still the one read), ArchiveScan (source + verification read of the
  // copy). Reference lists are cached per container.
  s3Puts: 3,
  s3Gets: 6,
  eventBridgeEvents: 1,
  // ~1.5 KB of JSON log lines per function call + the state machine's execution events (no data).
  logBytes: 6 * 1500 + 24 * 400,
  // S3 Bucket Keys and DynamoDB's key caching keep KMS calls to a few per form.
  kmsRequests: 3,
  traces: 1,
  archivedBytes: 350_000,
};

/** What `npm run bench:lambda` measured on the synthesized ReadForm asset (infra/cost/lambda-bench.json). */
export interface LambdaBench {
  date: string;
  machine: string;
  cpus: number;
  memoryMb: number;
  forms: number;
  initSeconds: number;
  coldFirstFormSeconds: number;
  warmSecondsPerForm: number;
  peakRssMb: number;
}

export const BENCH_PATH = fileURLToPath(new URL("./lambda-bench.json", import.meta.url));

export function loadBench(path: string = BENCH_PATH): LambdaBench | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as LambdaBench;
}

/**
 * Forms one warm ReadForm container reads before Lambda recycles it: its init and cold first form are spread
 * over them. An assumption (containers live minutes to hours; a batch of scans keeps them warm), not a measure.
 */
export const FORMS_PER_CONTAINER = 50;

/**
 * The local engine (OCR_ENGINE=local, the default): no Textract call; ReadForm's Lambda seconds are the bench's
 * warm seconds per form plus its share of the container's cold start, at the memory the bench ran with.
 */
export function localEngineProfile(bench: LambdaBench, base: UsageProfile = EXECUTE_PATH_PROFILE): UsageProfile {
  const coldExtra = Math.max(0, bench.initSeconds + bench.coldFirstFormSeconds - bench.warmSecondsPerForm);
  const seconds = bench.warmSecondsPerForm + coldExtra / FORMS_PER_CONTAINER;
  return {
    ...base,
    textractPages: 0,
    lambdaSeconds: { ...base.lambdaSeconds, ReadForm: Math.round(seconds * 1000) / 1000 },
    lambdaMemoryMb: { ...base.lambdaMemoryMb, ReadForm: bench.memoryMb },
  };
}

export interface CostLine {
  item: string;
  quantityPerForm: number;
  unit: string;
  unitPrice: number;
  /** USD per 1,000 forms. */
  per1000: number;
}

export interface CostReport {
  region: string;
  pricesAsOf: string;
  stateTransitions: number;
  statesOnPath: string[];
  lines: CostLine[];
  /** USD per 1,000 forms (processing; storage is reported apart as a monthly figure). */
  totalPer1000: number;
  archiveStoragePerMonthPer1000: number;
}

/** The states an EXECUTE case enters, by walking the ASL with task results that take the EXECUTE route. */
export function executePathStates(asl: AslDefinition): string[] {
  const run = walkAsl(
    asl,
    { scan: { bucket: "b", key: "incoming/x.png", eventTime: "2025-03-17T08:00:00Z" } },
    (state, _resource, input) => {
      const caseId = (input as { caseId?: string }).caseId ?? "case";
      return state === "ValidateCase" ? { caseId, route: "EXECUTE" } : { caseId };
    },
  );
  if (run.end !== "Succeed") throw new Error("the EXECUTE path of the state machine does not succeed");
  return run.states;
}

export function computeCost(
  asl: AslDefinition,
  prices: Prices,
  usage: UsageProfile = EXECUTE_PATH_PROFILE,
): CostReport {
  const states = executePathStates(asl);
  const lines: CostLine[] = [];
  const add = (item: string, quantityPerForm: number, unit: string, unitPrice: number): void => {
    lines.push({ item, quantityPerForm, unit, unitPrice, per1000: quantityPerForm * unitPrice * 1000 });
  };
  add("Textract DetectDocumentText", usage.textractPages, "page", prices.textract.detectDocumentTextPerPage);
  for (const [name, seconds] of Object.entries(usage.lambdaSeconds) as Array<[PipelineFunctionName, number]>) {
    if (seconds <= 0) continue;
    const memoryMb = usage.lambdaMemoryMb?.[name] ?? PIPELINE_FUNCTIONS[name].memoryMb;
    const gbSeconds = (memoryMb / 1024) * seconds;
    add(`Lambda ${name} (${memoryMb} MB × ${seconds} s)`, gbSeconds, "GB-s", prices.lambda.arm64PerGbSecond);
  }
  const invocations = Object.values(usage.lambdaSeconds).filter((s) => s > 0).length;
  add("Lambda requests", invocations, "request", prices.lambda.perRequest);
  add("Step Functions state transitions", states.length, "transition", prices.stepFunctions.standardPerStateTransition);
  add("DynamoDB writes (table + GSIs)", usage.dynamoWriteUnits, "WRU", prices.dynamodb.onDemandPerWriteRequestUnit);
  add("DynamoDB reads", usage.dynamoReadUnits, "RRU", prices.dynamodb.onDemandPerReadRequestUnit);
  add("SES e-mail", usage.emailRecipients, "recipient", prices.ses.perEmailRecipient);
  add("S3 PUT", usage.s3Puts, "request", prices.s3.perPutRequest);
  add("S3 GET", usage.s3Gets, "request", prices.s3.perGetRequest);
  add("EventBridge (S3 event)", usage.eventBridgeEvents, "event", prices.eventBridge.perAwsServiceEvent);
  add("CloudWatch Logs ingestion", usage.logBytes / 1e9, "GB", prices.cloudWatchLogs.perGbIngested);
  add("KMS requests", usage.kmsRequests, "request", prices.kms.perRequest);
  add("X-Ray traces", usage.traces, "trace", prices.xray.perTraceRecorded);
  const totalPer1000 = lines.reduce((sum, l) => sum + l.per1000, 0);
  return {
    region: prices.region,
    pricesAsOf: prices.pricesAsOf,
    stateTransitions: states.length,
    statesOnPath: states,
    lines,
    totalPer1000,
    archiveStoragePerMonthPer1000: (usage.archivedBytes * 1000 * prices.s3.glacierInstantRetrievalPerGbMonth) / 1e9,
  };
}

export function formatReport(report: CostReport, engine = "textract"): string {
  const rows = report.lines.map((l) => [
    l.item,
    `${Number(l.quantityPerForm.toPrecision(4))} ${l.unit}`,
    `$${l.unitPrice.toFixed(10).replace(/\.?0+$/, "")}`,
    `$${l.per1000.toFixed(4)}`,
  ]);
  const header = ["item", "per form", "unit price", "per 1,000 forms"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (r: string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [
    `lockdesk: AWS cost per 1,000 one-page forms (EXECUTE path), ReadForm engine ${engine}, ${report.region}, prices as of ${report.pricesAsOf}`,
    `state transitions per form (from the ASL): ${report.stateTransitions} — ${report.statesOnPath.join(" → ")}`,
    "",
    fmt(header),
    fmt(widths.map((w) => "-".repeat(w))),
    ...rows.map(fmt),
    fmt(widths.map((w) => "-".repeat(w))),
    fmt(["TOTAL", "", "", `$${report.totalPer1000.toFixed(4)}`]),
    "",
    `archive storage (Glacier IR, after the lifecycle transition): $${report.archiveStoragePerMonthPer1000.toFixed(4)} per month per 1,000 forms archived`,
  ].join("\n");
}

/** Both engines, the local one from the bench's figures (or a note to run the bench). */
export function costOfBothEngines(bench: LambdaBench | undefined = loadBench()): string {
  const asl = loadAsl();
  const prices = loadPrices();
  const textract = computeCost(asl, prices);
  const out = [formatReport(textract, "textract (DetectDocumentText; ReadForm seconds estimated)")];
  if (!bench) {
    out.push("", "local engine: no infra/cost/lambda-bench.json — run `npm run bench:lambda` first");
    return out.join("\n");
  }
  const local = computeCost(asl, prices, localEngineProfile(bench));
  out.push(
    "",
    formatReport(
      local,
      `local (tesseract.js + PP-OCR; ReadForm seconds from bench:lambda ${bench.date}: ${bench.warmSecondsPerForm} s warm per form on ${bench.cpus} core(s) of ${bench.machine}, cold start spread over ${FORMS_PER_CONTAINER} forms)`,
    ),
    "",
    `per 1,000 one-page forms: local $${local.totalPer1000.toFixed(2)}, textract $${textract.totalPer1000.toFixed(2)}; a Textract second opinion adds $${(prices.textract.detectDocumentTextPerPage * 1000).toFixed(2)} per 1,000 pages it is asked about`,
  );
  return out.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(costOfBothEngines());
}
