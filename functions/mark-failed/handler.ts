// MarkFailed task (every Catch): {caseId?, scan?, error:{Error, Cause}} → {caseId, status: FAILED}.
// Extra keys of the execution state are ignored by the schema.
import middy from "@middy/core";
import { parseInput, pipelineAdapters } from "../../shared/composition/aws.ts";
import { loadEnv } from "../../shared/config/env.ts";
import { MarkFailedInputSchema, type TaskResult } from "../../shared/use-cases/contracts.ts";
import { type MarkFailedDeps, markFailed } from "../../shared/use-cases/mark-failed.ts";

export function makeHandler(deps: MarkFailedDeps) {
  return middy(
    async (event: unknown): Promise<TaskResult> => markFailed(parseInput(MarkFailedInputSchema, event), deps),
  );
}

export const handler = makeHandler(pipelineAdapters(loadEnv()));
export default handler;
