// The local stack's names, options and environment: the tables and buckets it creates, what `lockdesk start` passes,
// the variables every handler gets (the ones the CDK stacks set, plus local twins), and the endpoints file.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ENV, PREFIXES } from "../shared/config/names.ts";
import type { CaseStatus } from "../shared/domain/case.ts";
import { awsEnvFor, type EmulatorPorts, type Endpoints } from "./emulators.ts";
import type { TaskHandlers } from "./runner.ts";

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

export interface EndpointsFile {
  pid: number;
  startedAt: string;
  endpoints: Endpoints;
  names: typeof LOCAL_NAMES;
  apiUrl?: string;
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
export const REGISTRY_ENV_NAMES = [
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
