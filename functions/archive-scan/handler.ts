// ArchiveScan task: {caseId} → {caseId, route: DONE, status}. Scan + one-page summary to the archive bucket,
// verified by sha256 before the original leaves incoming/.
import middy from "@middy/core";
import { z } from "zod";
import { parseInput, pipelineAdapters } from "../../shared/composition/aws.ts";
import { loadEnv, parseEnvWith } from "../../shared/config/env.ts";
import { type ArchiveScanDeps, archiveScan } from "../../shared/use-cases/archive-scan.ts";
import { CaseRefSchema, type TaskResult } from "../../shared/use-cases/contracts.ts";

export const ArchiveEnvSchema = z.object({
  ARCHIVE_BUCKET: z.string().min(1),
  /** Stamped on each archived object; the bucket's Object Lock default retention enforces it. */
  ARCHIVE_RETENTION_DAYS: z.coerce.number().int().positive().default(3650),
});

const parseArchiveEnv = parseEnvWith(ArchiveEnvSchema);

export function makeHandler(deps: ArchiveScanDeps) {
  return middy(async (event: unknown): Promise<TaskResult> => archiveScan(parseInput(CaseRefSchema, event), deps));
}

function coldStart(): ArchiveScanDeps {
  const env = loadEnv();
  const archiveEnv = parseArchiveEnv(process.env);
  const { cases, scans, clock } = pipelineAdapters(env);
  return {
    cases,
    scans,
    clock,
    config: { archiveBucket: archiveEnv.ARCHIVE_BUCKET, retentionDays: archiveEnv.ARCHIVE_RETENTION_DAYS },
  };
}

export const handler = makeHandler(coldStart());
export default handler;
