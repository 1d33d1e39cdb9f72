// What a fresh (or restarted) local stack sets up before the first scan: the tables, the reference CSVs in the
// reference bucket, and the approved-caregivers list seeded into the reference table.
import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createReferenceTable, type DynamoCaregiverList } from "../shared/adapters/aws/dynamo-caregiver-list.ts";
import { createTables } from "../shared/adapters/aws/dynamo-case-store.ts";
import { caregiverListVersion } from "../shared/adapters/local/csv-caregiver-list.ts";
import { createAccountsTable } from "../shared/adapters/local/simulated-account-service.ts";
import { PREFIXES } from "../shared/config/names.ts";
import type { Endpoints } from "./emulators.ts";
import { LOCAL_NAMES, SEED_USER, type StackOptions } from "./stack-config.ts";

export async function ensureTables(endpoints: Endpoints): Promise<void> {
  const client = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region });
  await createTables(client, { cases: LOCAL_NAMES.casesTable, audit: LOCAL_NAMES.auditTable });
  await createAccountsTable(client, LOCAL_NAMES.accountsTable);
  await createReferenceTable(client, LOCAL_NAMES.referenceTable);
  client.destroy();
}

/**
 * Publishes the --caregivers CSV as SEED_USER when this data dir has never seen that content: a restart with the
 * same file writes nothing and leaves an admin's later upload current; a different file is published.
 */
export async function seedCaregivers(
  list: DynamoCaregiverList,
  file: string,
  log: (line: string) => void,
): Promise<void> {
  const csv = readFileSync(file, "utf8");
  const version = caregiverListVersion(csv);
  const history = await list.history();
  if (history.some((c) => c.version === version)) return;
  const r = await list.publish(csv, SEED_USER);
  if (r.changed) log(`approved caregivers  version ${r.version} (${r.count} rows) published from ${file}`);
}

/** The reference CSVs also go to the reference bucket, where the AWS registry adapter reads them. */
export async function uploadReference(s3: S3Client, options: StackOptions): Promise<void> {
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
