// Composition root for the Lambda functions: AWS SDK clients and adapters built from the environment.
// Endpoints come from AWS_ENDPOINT_URL_* so the local stack runs the very same adapters against its emulators.
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoAuditLog } from "../adapters/aws/dynamo-audit-log.ts";
import { DynamoCaregiverList } from "../adapters/aws/dynamo-caregiver-list.ts";
import { DynamoCaseStore, documentClient } from "../adapters/aws/dynamo-case-store.ts";
import { S3ScanStore } from "../adapters/aws/s3-scan-store.ts";
import { HttpPersonRegistry, type SecretProvider } from "../adapters/http/http-person-registry.ts";
import { HttpStaffDirectory } from "../adapters/http/http-staff-directory.ts";
import { SecretsManagerSecret } from "../adapters/http/secrets-manager-secret.ts";
import { CsvCaregiverList } from "../adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../adapters/local/csv-person-registry.ts";
import { CsvStaffDirectory } from "../adapters/local/csv-staff-directory.ts";
import type { Env } from "../config/env.ts";
import { PersonRegistryUnavailableError, StaffDirectoryUnavailableError, ValidationError } from "../domain/errors.ts";
import type { CaseStore } from "../ports/case-store.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import type { CaseLogger } from "../ports/logger.ts";
import type { CaregiverList, PersonRegistry } from "../ports/person-registry.ts";
import type { ScanStore } from "../ports/scan-store.ts";
import type { StaffDirectory } from "../ports/staff-directory.ts";

export interface AwsClients {
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  s3: S3Client;
}

export function awsClients(env: Env): AwsClients {
  const region = env.AWS_REGION;
  const dynamoEndpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
  const s3Endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const dynamo = new DynamoDBClient({ region, ...(dynamoEndpoint ? { endpoint: dynamoEndpoint } : {}) });
  const s3 = new S3Client({
    region,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    ...(s3Endpoint ? { endpoint: s3Endpoint } : {}),
  });
  return { dynamo, doc: documentClient(dynamo), s3 };
}

export interface PipelineAdapters {
  cases: CaseStore;
  scans: ScanStore;
  audit?: DynamoAuditLog;
  clock: Clock;
  logger: CaseLogger;
}

let powertoolsLogger: CaseLogger | undefined;
/** One Powertools logger per container (structured JSON for CloudWatch; case ids only, never personal data). */
export function lambdaLogger(): CaseLogger {
  if (!powertoolsLogger) {
    const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "lockdesk" });
    powertoolsLogger = {
      info: (message, attributes) => (attributes ? logger.info(message, attributes) : logger.info(message)),
      warn: (message, attributes) => (attributes ? logger.warn(message, attributes) : logger.warn(message)),
      error: (message, attributes) => (attributes ? logger.error(message, attributes) : logger.error(message)),
    };
  }
  return powertoolsLogger;
}

export function pipelineAdapters(env: Env, clients: AwsClients = awsClients(env)): PipelineAdapters {
  const adapters: PipelineAdapters = {
    cases: new DynamoCaseStore(clients.doc, env.CASES_TABLE),
    scans: new S3ScanStore(clients.s3),
    clock: systemClock,
    logger: lambdaLogger(),
  };
  if (env.AUDIT_TABLE) adapters.audit = new DynamoAuditLog(clients.doc, env.AUDIT_TABLE);
  return adapters;
}

/** What referenceData may be given instead of building it (tests, the local stack); everything else from env. */
export interface ReferenceDeps {
  /** Document client for the reference table (REFERENCE_TABLE). */
  doc?: DynamoDBDocumentClient;
  /** Secrets Manager client for PERSON_REGISTRY_SECRET_ID. */
  secrets?: SecretsManagerClient;
  /** fetch for HttpPersonRegistry. */
  fetch?: typeof fetch;
}

export interface ReferenceData {
  registry: PersonRegistry;
  caregivers: CaregiverList;
  /** The staff directory, when one is configured (STAFF_DIRECTORY_URL or STAFF_KEY); absent: no staff check. */
  staff?: StaffDirectory;
}

/**
 * The person registry and the approved-caregivers list ValidateCase checks against, chosen by the environment:
 * - registry: HttpPersonRegistry when PERSON_REGISTRY_URL is set (credential from Secrets Manager
 *   PERSON_REGISTRY_SECRET_ID, or PERSON_REGISTRY_TOKEN on loopback), else the registry extract CSV in the reference
 *   bucket;
 * - caregivers: DynamoCaregiverList on REFERENCE_TABLE (what admins publish) with the reference-bucket CSV as its
 *   fallback until a first publication, else that CSV alone.
 * The CSVs are loaded lazily once per container; a failed load is not cached (it surfaces as
 * PersonRegistryUnavailableError, retried). Only what is selected needs REFERENCE_BUCKET.
 */
export function referenceData(env: Env, scans: ScanStore, deps: ReferenceDeps = {}): ReferenceData {
  const csv = referenceCsv(env, scans);
  const staff = staffDirectory(env, csv, deps);
  return {
    registry: personRegistry(env, csv, deps),
    caregivers: caregiverList(env, csv, deps),
    ...(staff ? { staff } : {}),
  };
}

/** HttpStaffDirectory for STAFF_DIRECTORY_URL, else the staff.csv at STAFF_KEY in the reference bucket, else none. */
function staffDirectory(env: Env, csv: ReferenceCsv, deps: ReferenceDeps): StaffDirectory | undefined {
  const baseUrl = env.STAFF_DIRECTORY_URL;
  if (!baseUrl) return env.STAFF_KEY ? csv.staff(env.STAFF_KEY) : undefined;
  let secret: SecretProvider;
  if (env.STAFF_DIRECTORY_SECRET_ID) {
    const client = deps.secrets ?? new SecretsManagerClient({ region: env.AWS_REGION });
    secret = new SecretsManagerSecret(client, env.STAFF_DIRECTORY_SECRET_ID, {
      ...(env.STAFF_DIRECTORY_SECRET_JSON_KEY ? { jsonKey: env.STAFF_DIRECTORY_SECRET_JSON_KEY } : {}),
    }).provider();
  } else if (env.STAFF_DIRECTORY_TOKEN) {
    // parseEnv allows a literal token only for a loopback URL (a local fake directory).
    const token = env.STAFF_DIRECTORY_TOKEN;
    secret = async () => token;
  } else {
    throw new ValidationError("invalid environment: STAFF_DIRECTORY_SECRET_ID");
  }
  return new HttpStaffDirectory({
    baseUrl,
    secret,
    auth: env.STAFF_DIRECTORY_AUTH,
    timeoutMs: env.STAFF_DIRECTORY_TIMEOUT_MS,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

/**
 * The person registry alone (SendMail: the citizen's postal address for a letter), chosen like referenceData's;
 * undefined when the environment names no registry (then a citizen's letter says "adress saknas").
 */
export function optionalPersonRegistry(
  env: Env,
  scans: ScanStore,
  deps: ReferenceDeps = {},
): PersonRegistry | undefined {
  if (!env.PERSON_REGISTRY_URL && !env.REFERENCE_BUCKET) return undefined;
  return personRegistry(env, referenceCsv(env, scans), deps);
}

function personRegistry(env: Env, csv: ReferenceCsv, deps: ReferenceDeps): PersonRegistry {
  const baseUrl = env.PERSON_REGISTRY_URL;
  if (!baseUrl) return csv.registry();
  let secret: SecretProvider;
  if (env.PERSON_REGISTRY_SECRET_ID) {
    const client = deps.secrets ?? new SecretsManagerClient({ region: env.AWS_REGION });
    secret = new SecretsManagerSecret(client, env.PERSON_REGISTRY_SECRET_ID, {
      ...(env.PERSON_REGISTRY_SECRET_JSON_KEY ? { jsonKey: env.PERSON_REGISTRY_SECRET_JSON_KEY } : {}),
    }).provider();
  } else if (env.PERSON_REGISTRY_TOKEN) {
    // parseEnv allows a literal token only for a loopback URL (the local stack's fake registry).
    const token = env.PERSON_REGISTRY_TOKEN;
    secret = async () => token;
  } else {
    throw new ValidationError("invalid environment: PERSON_REGISTRY_SECRET_ID");
  }
  return new HttpPersonRegistry({
    baseUrl,
    secret,
    auth: env.PERSON_REGISTRY_AUTH,
    timeoutMs: env.PERSON_REGISTRY_TIMEOUT_MS,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

function caregiverList(env: Env, csv: ReferenceCsv, deps: ReferenceDeps): CaregiverList {
  const table = env.REFERENCE_TABLE;
  if (!table) return csv.caregivers();
  const doc = deps.doc ?? awsClients(env).doc;
  // Without a bucket there is no fallback: until a first publication current() is a RegistryDataError.
  return new DynamoCaregiverList(doc, table, env.REFERENCE_BUCKET ? { fallback: csv.caregivers() } : {});
}

interface ReferenceCsv {
  registry(): PersonRegistry;
  caregivers(): CaregiverList;
  staff(key: string): StaffDirectory;
}

/** The CSVs in the reference bucket, each loaded on first use. */
function referenceCsv(env: Env, scans: ScanStore): ReferenceCsv {
  const bucket = (): string => {
    if (!env.REFERENCE_BUCKET) throw new ValidationError("invalid environment: REFERENCE_BUCKET");
    return env.REFERENCE_BUCKET;
  };
  const load = async (key: string): Promise<string> => {
    const from = bucket();
    try {
      return new TextDecoder().decode((await scans.get(from, key)).bytes);
    } catch (err) {
      throw new PersonRegistryUnavailableError(`reference data ${key} could not be loaded`, { cause: err });
    }
  };
  const lazy = <T>(key: string, make: (text: string) => T): (() => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => {
      value ??= load(key).then(make);
      value.catch(() => {
        value = undefined; // retry on the next call instead of caching a failure
      });
      return value;
    };
  };
  return {
    registry: () => {
      bucket(); // fail fast at cold start: this selection needs the bucket
      const persons = lazy(env.PERSONS_KEY, (text) => new CsvPersonRegistry(text));
      return { findByPersonnummer: async (pnr) => (await persons()).findByPersonnummer(pnr) };
    },
    caregivers: () => {
      bucket();
      const list = lazy(env.CAREGIVERS_KEY, (text) => new CsvCaregiverList(text));
      return { current: async () => (await list()).current() };
    },
    staff: (key) => {
      bucket();
      const directory = lazy(key, (text) => new CsvStaffDirectory(text));
      // A staff.csv that cannot be loaded just now is this port's outage (retried, then parked).
      const loaded = () =>
        directory().catch((e: unknown) => {
          if (e instanceof PersonRegistryUnavailableError) {
            throw new StaffDirectoryUnavailableError(`reference data ${key} could not be loaded`, { cause: e });
          }
          throw e;
        });
      return {
        findByVgrId: async (vgrId) => (await loaded()).findByVgrId(vgrId),
        entries: async () => (await loaded()).entries(),
      };
    },
  };
}

/** Parses a task's input with its contract schema; a mismatch is a named ValidationError (Catch → MarkFailed). */
export function parseInput<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
  event: unknown,
): T {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    const where = parsed.error.issues
      .map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new ValidationError(`invalid task input: ${where}`);
  }
  return parsed.data;
}
