// ParkForReview task: {caseId, reason?} → {caseId, route, status}. The case waits in DynamoDB for a handler.
import middy from "@middy/core";
import { parseInput, pipelineAdapters } from "../../shared/composition/aws.ts";
import { loadEnv } from "../../shared/config/env.ts";
import { ParkCaseInputSchema, type TaskResult } from "../../shared/use-cases/contracts.ts";
import { type ParkCaseDeps, parkCase } from "../../shared/use-cases/park-case.ts";

export function makeHandler(deps: ParkCaseDeps) {
  return middy(async (event: unknown): Promise<TaskResult> => {
    const input = parseInput(ParkCaseInputSchema, event);
    return parkCase({ caseId: input.caseId, reason: input.reason }, deps);
  });
}

export const handler = makeHandler(pipelineAdapters(loadEnv()));
export default handler;
