// Composition root for the Lambda functions: AWS SDK clients and adapters built from the environment.
// Endpoints come from AWS_ENDPOINT_URL_* so the local stack runs the very same adapters against its emulators.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoAuditLog } from "../adapters/aws/dynamo-audit-log.ts";
import { DynamoCaseStore, documentClient } from "../adapters/aws/dynamo-case-store.ts";
import { S3ScanStore } from "../adapters/aws/s3-scan-store.ts";
import { CsvCaregiverList } from "../adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../adapters/local/csv-person-registry.ts";
import type { Env } from "../config/env.ts";
import { PersonRegistryUnavailableError, ValidationError } from "../domain/errors.ts";
import type { CaseStore } from "../ports/case-store.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import type { CaregiverList, PersonRegistry } from "../ports/person-registry.ts";
import type { ScanStore } from "../ports/scan-store.ts";

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
}

export function pipelineAdapters(env: Env, clients: AwsClients = awsClients(env)): PipelineAdapters {
  const adapters: PipelineAdapters = {
    cases: new DynamoCaseStore(clients.doc, env.CASES_TABLE),
    scans: new S3ScanStore(clients.s3),
    clock: systemClock,
  };
  if (env.AUDIT_TABLE) adapters.audit = new DynamoAuditLog(clients.doc, env.AUDIT_TABLE);
  return adapters;
}

/**
 * Registry extract and approved-caregiver list from the reference bucket (CSV, the contract's columns). Loaded
 * lazily once per container; a failed load is not cached (it surfaces as PersonRegistryUnavailableError, retried).
 */
export function referenceData(env: Env, scans: ScanStore): { registry: PersonRegistry; caregivers: CaregiverList } {
  const bucket = env.REFERENCE_BUCKET;
  if (!bucket) throw new ValidationError("invalid environment: REFERENCE_BUCKET");
  let persons: Promise<CsvPersonRegistry> | undefined;
  let list: Promise<CsvCaregiverList> | undefined;
  const load = async (key: string): Promise<string> => {
    try {
      return new TextDecoder().decode((await scans.get(bucket, key)).bytes);
    } catch (err) {
      throw new PersonRegistryUnavailableError(`reference data ${key} could not be loaded`, { cause: err });
    }
  };
  const registryLoad = (): Promise<CsvPersonRegistry> => {
    persons ??= load(env.PERSONS_KEY).then((text) => new CsvPersonRegistry(text));
    persons.catch(() => {
      persons = undefined; // retry on the next call instead of caching a failure
    });
    return persons;
  };
  const listLoad = (): Promise<CsvCaregiverList> => {
    list ??= load(env.CAREGIVERS_KEY).then((text) => new CsvCaregiverList(text));
    list.catch(() => {
      list = undefined;
    });
    return list;
  };
  return {
    registry: { findByPersonnummer: async (pnr) => (await registryLoad()).findByPersonnummer(pnr) },
    caregivers: { current: async () => (await listLoad()).current() },
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
