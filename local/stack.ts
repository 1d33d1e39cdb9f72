// The embedded local stack: emulators + the ASL runner + the inbox folder + restart recovery, wired together.
// The handlers and adapters are the ones that run on AWS; only the process environment differs (endpoints of
// the emulators, and OCR_ENGINE / PERSON_REGISTRY / ACCOUNT_SERVICE for the adapters that have a local twin).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createReferenceTable, DynamoCaregiverList } from "../shared/adapters/aws/dynamo-caregiver-list.ts";
import { CsvCaregiverList, caregiverListVersion } from "../shared/adapters/local/csv-caregiver-list.ts";
import { ENV, PREFIXES } from "../shared/config/names.ts";
import type { CaseRecord, CaseStatus } from "../shared/domain/case.ts";
import type { CaseStore } from "../shared/ports/case-store.ts";
import type { ExecutionInput, ScanArrived } from "../shared/use-cases/contracts.ts";
import { awsEnvFor, type EmulatorPorts, type Endpoints, type S3ObjectCreated, startEmulators } from "./emulators.ts";
import { type FakeRegistryServer, startFakeRegistryServer } from "./fake-registry-server.ts";
import { type Inbox, printableName, startInbox } from "./inbox.ts";
import {
  type ExecutionOutcome,
  LOCAL_ACCOUNT,
  LocalStepFunctions,
  loadDefinition,
  loadTaskHandlers,
  type ProgressEvent,
  type TaskHandlers,
} from "./runner.ts";
import { startSfnEndpoint } from "./sfn-endpoint.ts";
import { acquireStackLock, isOwnerAlive } from "./stack-lock.ts";

export const LOCAL_NAMES = {
  casesTable: "lockdesk-local-cases",
  auditTable: "lockdesk-local-audit",
  accountsTable: "lockdesk-local-accounts",
  scansBucket: "lockdesk-local-scans",
  archiveBucket: "lockdesk-local-archive",
  referenceBucket: "lockdesk-local-reference",
  /** The approved-caregivers list admins publish (DynamoCaregiverList); seeded from --caregivers at start. */
  referenceTable: "lockdesk-local-reference",
} as const;

/** Who publishes the --caregivers CSV into the reference table at start (the admin history shows it). */
export const SEED_USER = "system";

export const FINAL_STATUSES: ReadonlySet<CaseStatus> = new Set<CaseStatus>([
  "IN_REVIEW",
  "AWAITING_SECOND_APPROVAL",
  "AWAITING_MANUAL_EXECUTION",
  "EXECUTED",
  "RETURNED",
  "CLOSED",
  "FAILED",
]);

export interface StackOptions {
  repoRoot: string;
  dataDir: string;
  /** null: no inbox watcher (scans are put into the bucket directly). */
  inbox: string | null;
  persons: string;
  caregivers: string;
  /** The staff directory CSV (`--staff`): uploaded to the reference bucket and used by ValidateCase (STAFF_KEY). */
  staff?: string;
  /** API/UI port (0 = free port); undefined = no API. */
  apiPort?: number;
  ports?: EmulatorPorts;
  concurrency?: number;
  /** Progress lines for the terminal (never personal data: file names, case ids, statuses). */
  log?: (line: string) => void;
  /**
   * The stack's clock for arrivals: the inbox's day and receipt-date window and the arrival stamp of each upload.
   * Default: the system clock, or LOCKDESK_CLOCK_START (an ISO time the clock starts at and runs on from: for
   * replaying the dated dev samples, whose receipt dates are of March 2025, through `npm start` or the bench).
   */
  now?: () => Date;
  /** Replace single task handlers (tests). */
  taskOverrides?: TaskHandlers;
  /** Run the Tasks from the synthesized Lambda assets in this folder (`cdk synth -o DIR`) instead of the source. */
  assetsDir?: string;
  mailFrom?: string;
  /**
   * Serve --persons over HTTP from the fake registry (local/fake-registry-server.ts) on a free port, and give
   * the handlers PERSON_REGISTRY_URL: ValidateCase then runs HttpPersonRegistry, as on AWS.
   */
  registryHttp?: boolean;
}

export interface RecoveryReport {
  objects: number;
  registered: number;
  resumed: number;
  archived: number;
  setAside: number;
}

export interface EndpointsFile {
  pid: number;
  startedAt: string;
  endpoints: Endpoints;
  names: typeof LOCAL_NAMES;
  apiUrl?: string;
}

export interface Stack {
  endpoints: Endpoints;
  names: typeof LOCAL_NAMES;
  runner: LocalStepFunctions;
  cases: CaseStore;
  s3: S3Client;
  apiUrl?: string;
  /** The fake HTTP registry (registryHttp only): its URL, knobs and the paths it was asked for. */
  registry?: FakeRegistryServer;
  /** The approved-caregivers list on the reference table (what the API's admin page publishes to). */
  caregivers: DynamoCaregiverList;
  recovery: RecoveryReport;
  /** Outcomes of every execution of this process, in completion order. */
  outcomes: ExecutionOutcome[];
  /** Waits until the inbox is empty and no execution is queued or running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function endpointsFilePath(dataDir: string): string {
  return join(dataDir, "endpoints.json");
}

export function readEndpointsFile(dataDir: string): EndpointsFile | null {
  const p = endpointsFilePath(dataDir);
  if (!existsSync(p)) return null;
  try {
    return JSON.parse(readFileSync(p, "utf8")) as EndpointsFile;
  } catch {
    return null;
  }
}

/** Where the handlers find the HTTP registry (registryHttp): a loopback URL and its credential. */
export interface LocalRegistry {
  url: string;
  token: string;
}

/** Registry variables a previous stack of this process (or the shell) may have left: unset in CSV mode. */
const REGISTRY_ENV_NAMES = [
  ENV.personRegistryUrl,
  ENV.personRegistrySecretId,
  ENV.personRegistryTimeoutMs,
  "PERSON_REGISTRY_TOKEN",
  "PERSON_REGISTRY_SECRET_JSON_KEY",
  "PERSON_REGISTRY_AUTH",
] as const;

/** The environment of every handler in this process: the same variables the CDK stacks set, plus local twins. */
export function localEnvironment(
  endpoints: Endpoints,
  options: StackOptions,
  registry?: LocalRegistry,
): Record<string, string> {
  return {
    ...(registry
      ? {
          [ENV.personRegistryUrl]: registry.url,
          // No Secrets Manager locally: env.ts accepts a literal token only for a loopback URL.
          PERSON_REGISTRY_TOKEN: registry.token,
        }
      : {}),
    [ENV.referenceTable]: LOCAL_NAMES.referenceTable,
    ...awsEnvFor(endpoints),
    [ENV.casesTable]: LOCAL_NAMES.casesTable,
    [ENV.auditTable]: LOCAL_NAMES.auditTable,
    [ENV.accountsTable]: LOCAL_NAMES.accountsTable,
    [ENV.scansBucket]: LOCAL_NAMES.scansBucket,
    [ENV.archiveBucket]: LOCAL_NAMES.archiveBucket,
    [ENV.referenceBucket]: LOCAL_NAMES.referenceBucket,
    [ENV.personsKey]: `${PREFIXES.reference}persons.csv`,
    [ENV.caregiversKey]: `${PREFIXES.reference}approved-caregivers.csv`,
    ...(options.staff ? { [ENV.staffKey]: `${PREFIXES.reference}staff.csv` } : {}),
    [ENV.mailFrom]: options.mailFrom ?? "sparr-och-loggservice@lockdesk.local",
    [ENV.accountMode]: "SIMULATED",
    [ENV.fourEyesAllUnlocks]: process.env[ENV.fourEyesAllUnlocks] ?? "",
    [ENV.serviceName]: "lockdesk-local",
    [ENV.logLevel]: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
    S3_FORCE_PATH_STYLE: "true",
    OCR_ENGINE: "tesseract",
    PERSON_REGISTRY: `csv:${options.persons}`,
    CAREGIVER_LIST: `csv:${options.caregivers}`,
    ACCOUNT_SERVICE: "simulated",
    LOCKDESK_LOCAL: "1",
  };
}

async function ensureTables(endpoints: Endpoints, repoRoot: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region });
  const store = (await import(join(repoRoot, "shared/adapters/aws/dynamo-case-store.ts"))) as {
    createTables: (c: DynamoDBClient, n: { cases: string; audit: string }) => Promise<void>;
  };
  await store.createTables(client, { cases: LOCAL_NAMES.casesTable, audit: LOCAL_NAMES.auditTable });
  const accounts = (await import(join(repoRoot, "shared/adapters/local/simulated-account-service.ts"))) as {
    createAccountsTable: (c: DynamoDBClient, name: string) => Promise<void>;
  };
  await accounts.createAccountsTable(client, LOCAL_NAMES.accountsTable);
  await createReferenceTable(client, LOCAL_NAMES.referenceTable);
  client.destroy();
}

/**
 * Publishes the --caregivers CSV as SEED_USER when this data dir has never seen that content: a restart with the
 * same file writes nothing and leaves an admin's later upload current; a different file is published.
 */
async function seedCaregivers(list: DynamoCaregiverList, file: string, log: (line: string) => void): Promise<void> {
  const csv = readFileSync(file, "utf8");
  const version = caregiverListVersion(csv);
  const history = await list.history();
  if (history.some((c) => c.version === version)) return;
  const r = await list.publish(csv, SEED_USER);
  if (r.changed) log(`approved caregivers  version ${r.version} (${r.count} rows) published from ${file}`);
}

/** The reference CSVs also go to the reference bucket, where the AWS registry adapter reads them. */
async function uploadReference(s3: S3Client, options: StackOptions): Promise<void> {
  for (const [file, key] of [
    [options.persons, `${PREFIXES.reference}persons.csv`],
    [options.caregivers, `${PREFIXES.reference}approved-caregivers.csv`],
    ...(options.staff ? [[options.staff, `${PREFIXES.reference}staff.csv`] as const] : []),
  ] as const) {
    await s3.send(
      new PutObjectCommand({
        Bucket: LOCAL_NAMES.referenceBucket,
        Key: key,
        Body: readFileSync(file),
        ContentType: "text/csv",
      }),
    );
  }
}

/** Execution name for a scan, as the EventBridge rule would derive it: bucket + key + etag. */
export function executionNameForScan(scan: { bucket: string; key: string; etag?: string | undefined }): string {
  return `scan:${scan.bucket}/${scan.key}#${scan.etag ?? ""}`;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const clockStart = process.env.LOCKDESK_CLOCK_START;
  if (!options.now && clockStart) {
    const base = Date.parse(clockStart);
    if (Number.isNaN(base)) throw new Error(`LOCKDESK_CLOCK_START is not an ISO time: ${clockStart}`);
    const origin = Date.now();
    options = { ...options, now: () => new Date(base + (Date.now() - origin)) };
  }
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // Survives kill -9 and pid reuse: the lock names the owner's pid and start time (stack-lock.ts).
  const releaseLock = acquireStackLock(dataDir);

  // S3 events can arrive before the runner exists (objects uploaded during start-up): buffer them.
  const early: S3ObjectCreated[] = [];
  let onObject: (e: S3ObjectCreated) => void = (e) => early.push(e);
  // s3rver answers the PUT before its event crosses the process boundary: idle() waits for events to settle.
  let lastEventAt = 0;
  let emulators: Awaited<ReturnType<typeof startEmulators>>;
  try {
    emulators = await startEmulators({
      dataDir,
      buckets: [LOCAL_NAMES.scansBucket, LOCAL_NAMES.archiveBucket, LOCAL_NAMES.referenceBucket],
      onObjectCreated: (e) => {
        lastEventAt = Date.now();
        onObject(e);
      },
      ...(options.ports ? { ports: options.ports } : {}),
    });
  } catch (err) {
    releaseLock();
    throw err;
  }
  const { endpoints } = emulators;
  const stops: Array<() => Promise<void>> = [() => emulators.stop()];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    releaseLock();
  };
  try {
    let registry: FakeRegistryServer | undefined;
    let localRegistry: LocalRegistry | undefined;
    if (options.registryHttp) {
      const token = randomBytes(18).toString("base64url");
      const server = await startFakeRegistryServer(readFileSync(options.persons, "utf8"), { requiredSecret: token });
      stops.push(() => server.close());
      registry = server;
      localRegistry = { url: server.url, token };
    } else {
      for (const name of REGISTRY_ENV_NAMES) delete process.env[name];
    }
    Object.assign(process.env, localEnvironment(endpoints, options, localRegistry));
    // StartExecution for a batch file's later documents (ReadForm's starter): served before the task containers
    // start (they take the environment at spawn), executions run by the runner made below.
    let startDocument: (input: ExecutionInput, name: string) => void = () => {
      throw new Error("runner not ready");
    };
    const stateMachineArn = `arn:aws:states:${endpoints.region}:${LOCAL_ACCOUNT}:stateMachine:lockdesk-local-case`;
    const sfnEndpoint = await startSfnEndpoint(stateMachineArn, (input, name) => startDocument(input, name));
    stops.push(() => sfnEndpoint.close());
    Object.assign(process.env, { AWS_ENDPOINT_URL_SFN: sfnEndpoint.url, STATE_MACHINE_ARN: stateMachineArn });
    const s3 = new S3Client({ endpoint: endpoints.s3, region: endpoints.region, forcePathStyle: true });
    await ensureTables(endpoints, options.repoRoot);
    await uploadReference(s3, options);

    const { DynamoCaseStore, documentClient } = (await import(
      join(options.repoRoot, "shared/adapters/aws/dynamo-case-store.ts")
    )) as typeof import("../shared/adapters/aws/dynamo-case-store.ts");
    const ddb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region });
    const cases: CaseStore = new DynamoCaseStore(documentClient(ddb), LOCAL_NAMES.casesTable);
    // The same list (table + CSV fallback) ValidateCase composes from REFERENCE_TABLE / REFERENCE_BUCKET.
    const caregivers = new DynamoCaregiverList(documentClient(ddb), LOCAL_NAMES.referenceTable, {
      fallback: CsvCaregiverList.fromFile(options.caregivers),
    });
    await seedCaregivers(caregivers, options.caregivers, log);
    if (registry) log(`person registry  HTTP ${registry.url} (serving ${options.persons})`);

    const definition = loadDefinition(join(options.repoRoot, "infra/state-machine/case.asl.json"), endpoints.region);
    const handlers = await loadTaskHandlers(
      options.repoRoot,
      endpoints.region,
      options.taskOverrides ?? {},
      options.assetsDir ? { assetsDir: options.assetsDir } : {},
    );
    if (options.assetsDir) options.log?.(`tasks         from the Lambda assets in ${resolve(options.assetsDir)}`);
    const files = new Map<string, string>(); // caseId or key → file name, for progress lines
    const outcomes: ExecutionOutcome[] = [];
    const label = (e: { caseId?: string; key?: string }) =>
      (e.caseId && files.get(e.caseId)) || (e.key && files.get(e.key)) || e.caseId || "?";
    const runner = new LocalStepFunctions({
      definition,
      handlers,
      concurrency: options.concurrency ?? cpus().length,
      retryIntervalMs: 200,
      onProgress: (e: ProgressEvent) => {
        const key = e.executionId.startsWith("scan:")
          ? e.executionId.slice(e.executionId.indexOf("/") + 1).split("#")[0]
          : undefined;
        if (e.caseId && key && files.has(key) && !files.has(e.caseId)) files.set(e.caseId, files.get(key) ?? key);
        if (e.step === "done" || e.step === "failed") return;
        const extra = e.route ? ` ${e.route}` : "";
        log(
          `${label({ ...(e.caseId ? { caseId: e.caseId } : {}), ...(key ? { key } : {}) })}  ${e.step}${extra}  ${e.caseId ?? ""}`,
        );
      },
    });

    const finish = async (o: ExecutionOutcome) => {
      outcomes.push(o);
      const caseId = o.caseId;
      const record = caseId ? await cases.get(caseId).catch(() => null) : null;
      const inputKey = "scan" in o.input ? o.input.scan.key : undefined;
      const name =
        (caseId && files.get(caseId)) ||
        record?.scan?.fileName ||
        (inputKey && (files.get(inputKey) ?? printableName(inputKey.split("/").pop() ?? ""))) ||
        o.executionId;
      if (o.status === "FAILED") log(`${name}  execution failed (${o.error ?? "?"})  ${caseId ?? ""}`);
      else if (record) {
        const reasons = record.reasons.length > 0 ? ` [${record.reasons.join(", ")}]` : "";
        log(`${name}  ${record.status}${record.decision ? ` ${record.decision}` : ""}${reasons}  ${record.caseId}`);
      }
    };
    // Progress lines still being written (they read the case): stop() waits for them before the emulators go.
    const finishing = new Set<Promise<void>>();
    const track = (p: Promise<ExecutionOutcome>) => {
      const f: Promise<void> = p
        .then(finish)
        .catch(() => undefined)
        .finally(() => finishing.delete(f));
      finishing.add(f);
    };
    const startScan = (scan: ScanArrived) => track(runner.start({ scan }, executionNameForScan(scan)));
    const startResume = (caseId: string) => {
      const input: ExecutionInput = { caseId, resume: true };
      track(runner.start(input, `resume:${caseId}`));
    };
    const startAtTask = (fn: "ExecuteAction" | "ArchiveScan", caseId: string) =>
      track(runner.startAtTask(fn, caseId, `recover:${fn}:${caseId}`));
    startDocument = (input, name) => {
      // Progress lines name the file (a later document's case is registered with the file's name).
      if ("caseId" in input) {
        void cases
          .get(input.caseId)
          .then((r) => r?.scan?.fileName && files.set(input.caseId, r.scan.fileName))
          .catch(() => undefined);
      }
      track(runner.start(input, name));
    };
    stops.push(async () => {
      onObject = () => undefined;
      // Ctrl-C: do not wait for long OCR runs; whatever is mid-pipeline is recovered on the next start.
      await Promise.race([runner.stop(), new Promise((r) => setTimeout(r, 2000))]);
      await Promise.race([Promise.allSettled([...finishing]), new Promise((r) => setTimeout(r, 1000))]);
    });
    onObject = (e) => {
      if (e.bucket !== LOCAL_NAMES.scansBucket || !e.key.startsWith(PREFIXES.incoming)) return;
      // Progress lines show the key's last part: without control characters (a key may come from anywhere).
      files.set(e.key, printableName(e.key.split("/").pop() ?? e.key));
      const scan: ScanArrived = {
        bucket: e.bucket,
        key: e.key,
        eventTime: options.now ? options.now().toISOString() : e.eventTime,
      };
      if (e.etag) scan.etag = e.etag;
      if (e.size !== undefined) scan.size = e.size;
      startScan(scan);
    };

    // The name ReadForm's starter uses (sfn-document-starter.ts): a start by a recovered file case and this one
    // for the same document join one execution instead of racing on the case.
    const startLaterDocument = (caseId: string) => startDocument({ caseId, document: true }, `document-${caseId}`);
    const recovery = await recover({ s3, cases, startScan, startResume, startAtTask, startLaterDocument, files, log });
    for (const e of early.splice(0)) onObject(e);

    let inbox: Inbox | null = null;
    if (options.inbox) {
      inbox = startInbox({
        dir: options.inbox,
        s3,
        bucket: LOCAL_NAMES.scansBucket,
        ...(options.now ? { now: options.now } : {}),
        onReceived: (e) => {
          files.set(e.key, e.file);
          log(`${e.file}  received (receipt date ${e.receivedDate})`);
        },
        onRejected: (e) => log(`${e.file}  rejected: ${e.reason}`),
        onError: (e) =>
          log(`${e.file}  upload failed: ${printableName(String((e.error as Error).message ?? e.error))}`),
      });
      const ib = inbox;
      stops.push(() => ib.stop());
    }

    let apiUrl: string | undefined;
    if (options.apiPort !== undefined) {
      const api = await startApi(
        options.repoRoot,
        options.apiPort,
        { cases, ddb, s3, caregivers, resume: startResume },
        log,
      );
      if (api) {
        apiUrl = api.url;
        stops.push(api.stop);
      }
    }

    const file: EndpointsFile = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      endpoints,
      names: LOCAL_NAMES,
    };
    if (apiUrl) file.apiUrl = apiUrl;
    writeFileSync(endpointsFilePath(dataDir), `${JSON.stringify(file, null, 2)}\n`);
    stops.unshift(async () => rmSync(endpointsFilePath(dataDir), { force: true }));

    const stack: Stack = {
      endpoints,
      names: LOCAL_NAMES,
      runner,
      cases,
      s3,
      caregivers,
      recovery,
      outcomes,
      async idle() {
        // Idle twice in a row, 400 ms apart, with no S3 event in between: an object just PUT may still have its
        // event on the way from the s3rver process.
        let quietSince: number | null = null;
        for (;;) {
          if (inbox) await inbox.poll();
          await runner.idle();
          if (inbox) await inbox.poll();
          const quiet = runner.pending === 0 && !(options.inbox && hasPendingFiles(options.inbox));
          if (!quiet || (quietSince !== null && lastEventAt >= quietSince)) quietSince = null;
          else if (quietSince === null) quietSince = Date.now();
          else if (Date.now() - quietSince >= 400) return;
          await new Promise((r) => setTimeout(r, quietSince === null ? 300 : 200));
        }
      },
      stop: async () => {
        await stopAll();
        ddb.destroy();
        s3.destroy();
      },
    };
    if (apiUrl) stack.apiUrl = apiUrl;
    if (registry) stack.registry = registry;
    return stack;
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function hasPendingFiles(dir: string): boolean {
  try {
    return readdirSync(dir, { withFileTypes: true }).some(
      (e) => e.isFile() && !e.name.startsWith(".") && !e.name.toLowerCase().endsWith(".json"),
    );
  } catch {
    return false;
  }
}

/** Whether a process with this pid still runs: a zombie left by kill -9 does not (see stack-lock.ts). */
export function isAlive(pid: number): boolean {
  return isOwnerAlive({ pid, startTime: null });
}

interface RecoverDeps {
  s3: S3Client;
  cases: CaseStore;
  startScan: (scan: ScanArrived) => void;
  startResume: (caseId: string) => void;
  startAtTask: (fn: "ExecuteAction" | "ArchiveScan", caseId: string) => void;
  /** A batch file's later document, entered at ReadForm ({caseId, document:true}). */
  startLaterDocument: (caseId: string) => void;
  files: Map<string, string>;
  log: (line: string) => void;
}

/**
 * Restart safety. The case record is the source of truth and every step is idempotent, so recovery re-runs
 * from the step a case reached:
 * - an object in incoming/ with no case, or a case still RECEIVED → a new execution with the scan (RegisterCase
 *   creates the case, or continues a RECEIVED one);
 * - a batch file's later document still RECEIVED → THE definition entered at ReadForm ({caseId, document:true});
 * - READ / APPROVED → resumed at ValidateCase ({caseId, resume:true}), as a handler's decision would;
 * - EXECUTING → THE definition entered at ExecuteAction (ValidateCase refuses a case already acting):
 *   ExecuteAction finds a recorded account result and does not call the service again (and the service's
 *   conditional updates make a repeated call ALREADY_LOCKED, not a second change); SendMail finds a recorded mail
 *   and does not send again;
 * - EXECUTED / RETURNED without an archive record → entered at ArchiveScan (the last step; idempotent copy).
 * Cases already parked or final are left alone.
 */
async function recover(deps: RecoverDeps): Promise<RecoveryReport> {
  const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
  const report: RecoveryReport = { objects: 0, registered: 0, resumed: 0, archived: 0, setAside: 0 };
  const all = await deps.cases.listAll();
  const byKey = new Map<string, CaseRecord>();
  // A batch file's documents share its key: the file's own case (the first document) stands for the object.
  for (const c of all) if (c.scan?.key && !c.document?.index) byKey.set(c.scan.key, c);

  let token: string | undefined;
  do {
    const page = await deps.s3.send(
      new ListObjectsV2Command({
        Bucket: LOCAL_NAMES.scansBucket,
        Prefix: PREFIXES.incoming,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const obj of page.Contents ?? []) {
      if (!obj.Key) continue;
      report.objects++;
      const existing = byKey.get(obj.Key);
      if (existing && existing.status !== "RECEIVED") continue;
      const head = await deps.s3.send(new HeadObjectCommand({ Bucket: LOCAL_NAMES.scansBucket, Key: obj.Key }));
      const scan: ScanArrived = {
        bucket: LOCAL_NAMES.scansBucket,
        key: obj.Key,
        eventTime: (head.LastModified ?? obj.LastModified ?? new Date()).toISOString(),
      };
      if (head.ETag) scan.etag = head.ETag.replace(/"/g, "");
      if (head.ContentLength !== undefined) scan.size = head.ContentLength;
      deps.files.set(obj.Key, printableName(obj.Key.split("/").pop() ?? obj.Key));
      deps.log(`${deps.files.get(obj.Key)}  recovering: ${existing ? "registered, not read" : "no case yet"}`);
      deps.startScan(scan);
      report.registered++;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  for (const c of all) {
    const name = c.scan?.fileName ?? c.caseId;
    if (c.scan?.fileName) deps.files.set(c.caseId, c.scan.fileName);
    if (c.status === "RECEIVED" && c.document && c.document.index > 0) {
      // A batch file's later document registered by ReadForm whose execution did not get to read it.
      deps.log(`${name}  recovering: document ${c.document.index + 1} of ${c.document.count}, not read  ${c.caseId}`);
      deps.startLaterDocument(c.caseId);
      report.registered++;
    } else if (c.status === "READ" || c.status === "APPROVED") {
      deps.log(`${name}  recovering: resume from ${c.status}  ${c.caseId}`);
      deps.startResume(c.caseId);
      report.resumed++;
    } else if (c.status === "EXECUTING") {
      deps.log(`${name}  recovering: continue at ExecuteAction  ${c.caseId}`);
      deps.startAtTask("ExecuteAction", c.caseId);
      report.resumed++;
    } else if ((c.status === "EXECUTED" || c.status === "RETURNED") && !c.archive) {
      deps.log(`${name}  recovering: archive  ${c.caseId}`);
      deps.startAtTask("ArchiveScan", c.caseId);
      report.archived++;
    }
  }
  return report;
}

/**
 * The review API/UI (functions/api/local.ts), when it exists: imported dynamically so the stack runs without it.
 * Its resumer is this runner (park and resume: a handler's decision starts {caseId, resume:true}).
 */
async function startApi(
  repoRoot: string,
  port: number,
  deps: {
    cases: CaseStore;
    ddb: DynamoDBClient;
    s3: S3Client;
    caregivers: DynamoCaregiverList;
    resume: (caseId: string) => void;
  },
  log: (line: string) => void,
): Promise<{ url: string; stop: () => Promise<void> } | null> {
  const entry = join(repoRoot, "functions/api/local.ts");
  if (!existsSync(entry)) {
    log("API/UI: functions/api/local.ts not present yet — skipped");
    return null;
  }
  try {
    const mod = (await import(entry)) as typeof import("../functions/api/local.ts");
    const { DynamoAuditLog } = await import("../shared/adapters/aws/dynamo-audit-log.ts");
    const { S3ScanStore } = await import("../shared/adapters/aws/s3-scan-store.ts");
    const { documentClient } = await import("../shared/adapters/aws/dynamo-case-store.ts");
    const api = await mod.createLocalApi({
      cases: deps.cases,
      audit: new DynamoAuditLog(documentClient(deps.ddb), LOCAL_NAMES.auditTable),
      scans: new S3ScanStore(deps.s3),
      resumer: async (caseId) => deps.resume(caseId),
      s3: deps.s3,
      intake: { bucket: LOCAL_NAMES.scansBucket, prefix: PREFIXES.incoming },
      port,
    });
    // createLocalApi has no caregivers option; its server reads this same deps object per request, so the admin
    // caregiver endpoints and page work locally and publish to the table ValidateCase reads.
    api.deps.caregivers = deps.caregivers;
    return { url: api.url, stop: () => api.close() };
  } catch (err) {
    log(`API/UI: could not start (${(err as Error).message}) — skipped`);
    return null;
  }
}
