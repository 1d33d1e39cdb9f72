// The embedded local stack: emulators + the ASL runner + the inbox folder + restart recovery, wired together.
// The handlers and adapters are the ones that run on AWS; only the process environment differs (endpoints of
// the emulators, and OCR_ENGINE / PERSON_REGISTRY / ACCOUNT_SERVICE for the adapters that have a local twin).
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoCaregiverList } from "../shared/adapters/aws/dynamo-caregiver-list.ts";
import { CsvCaregiverList } from "../shared/adapters/local/csv-caregiver-list.ts";
import { PREFIXES } from "../shared/config/names.ts";
import type { CaseStore } from "../shared/ports/case-store.ts";
import type { ExecutionInput, ScanArrived } from "../shared/use-cases/contracts.ts";
import { type Endpoints, type S3ObjectCreated, startEmulators } from "./emulators.ts";
import { type FakeRegistryServer, startFakeRegistryServer } from "./fake-registry-server.ts";
import { type Inbox, printableName, startInbox } from "./inbox.ts";
import { type RecoveryReport, recover } from "./recovery.ts";
import {
  type ExecutionOutcome,
  LOCAL_ACCOUNT,
  LocalStepFunctions,
  loadDefinition,
  loadTaskHandlers,
  type ProgressEvent,
} from "./runner.ts";
import { startSfnEndpoint } from "./sfn-endpoint.ts";
import { startApi } from "./stack-api.ts";
import {
  type EndpointsFile,
  endpointsFilePath,
  LOCAL_NAMES,
  type LocalRegistry,
  localEnvironment,
  REGISTRY_ENV_NAMES,
  type StackOptions,
} from "./stack-config.ts";
import { acquireStackLock, isOwnerAlive } from "./stack-lock.ts";
import { ensureTables, seedCaregivers, uploadReference } from "./stack-setup.ts";

export type { RecoveryReport } from "./recovery.ts";
// The stack's names, options and environment (stack-config.ts), its setup (stack-setup.ts), restart recovery
// (recovery.ts) and the API/UI (stack-api.ts) live beside it; re-exported for the stack's callers.
export {
  type EndpointsFile,
  endpointsFilePath,
  FINAL_STATUSES,
  LOCAL_NAMES,
  type LocalRegistry,
  localEnvironment,
  readEndpointsFile,
  SEED_USER,
  type StackOptions,
} from "./stack-config.ts";

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
    await ensureTables(endpoints);
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
        { cases, ddb, s3, caregivers, resume: startResume, personsCsv: options.persons },
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
