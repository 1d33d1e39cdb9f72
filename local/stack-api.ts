// The review API/UI inside the local stack, over the stack's emulators, resuming through its runner.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoCaregiverList } from "../shared/adapters/aws/dynamo-caregiver-list.ts";
import { PREFIXES } from "../shared/config/names.ts";
import type { CaseStore } from "../shared/ports/case-store.ts";
import { LOCAL_NAMES } from "./stack-config.ts";

/**
 * The review API/UI (functions/api/local.ts), when it exists: imported dynamically so the stack runs without it.
 * Its resumer is this runner (park and resume: a handler's decision starts {caseId, resume:true}).
 */
export async function startApi(
  repoRoot: string,
  port: number,
  deps: {
    cases: CaseStore;
    ddb: DynamoDBClient;
    s3: S3Client;
    caregivers: DynamoCaregiverList;
    resume: (caseId: string) => void;
    /** The persons.csv ValidateCase reads: the case page shows the registry's facts from it. */
    personsCsv: string;
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
    const { CsvPersonRegistry } = await import("../shared/adapters/local/csv-person-registry.ts");
    api.deps.persons = new CsvPersonRegistry(readFileSync(deps.personsCsv, "utf8"));
    return { url: api.url, stop: () => api.close() };
  } catch (err) {
    log(`API/UI: could not start (${(err as Error).message}) — skipped`);
    return null;
  }
}
