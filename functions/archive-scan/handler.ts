// ArchiveScan task: {caseId} → {caseId, route: DONE, status}. Scan + one-page summary to the archive bucket,
// verified by sha256 before the original leaves incoming/.
import middy from "@middy/core";
import { z } from "zod";
import { parseInput, pipelineAdapters } from "../../shared/composition/aws.ts";
import { loadEnv } from "../../shared/config/env.ts";
import { ValidationError } from "../../shared/domain/errors.ts";
import { type ArchiveScanDeps, archiveScan } from "../../shared/use-cases/archive-scan.ts";
import { CaseRefSchema, type TaskResult } from "../../shared/use-cases/contracts.ts";

export const ArchiveEnvSchema = z.object({
  ARCHIVE_BUCKET: z.string().min(1),
  /** Stamped on each archived object; the bucket's Object Lock default retention enforces it. */
  ARCHIVE_RETENTION_DAYS: z.coerce.number().int().positive().default(3650),
});

export function makeHandler(deps: ArchiveScanDeps) {
  return middy(async (event: unknown): Promise<TaskResult> => archiveScan(parseInput(CaseRefSchema, event), deps));
}

function coldStart(): ArchiveScanDeps {
  const env = loadEnv();
  const parsed = ArchiveEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new ValidationError(`invalid environment: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  }
  const { cases, scans, clock } = pipelineAdapters(env);
  return {
    cases,
    scans,
    clock,
    config: { archiveBucket: parsed.data.ARCHIVE_BUCKET, retentionDays: parsed.data.ARCHIVE_RETENTION_DAYS },
  };
}

export const handler = makeHandler(coldStart());
export default handler;
