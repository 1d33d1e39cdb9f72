// RegisterCase task: {scan} → {caseId, route?, status}. A duplicate delivery of the same S3 object maps to the
// same case (route DONE once it is past registration).
import middy from "@middy/core";
import { z } from "zod";
import { parseInput, pipelineAdapters } from "../../shared/composition/aws.ts";
import { loadEnv } from "../../shared/config/env.ts";
import { ScanArrivedSchema, type TaskResult } from "../../shared/use-cases/contracts.ts";
import { type RegisterCaseDeps, registerCase } from "../../shared/use-cases/register-case.ts";

const InputSchema = z.object({ scan: ScanArrivedSchema });

export function makeHandler(deps: RegisterCaseDeps) {
  return middy(async (event: unknown): Promise<TaskResult> => registerCase(parseInput(InputSchema, event), deps));
}

// Cold start: parse the environment once and fail fast.
export const handler = makeHandler(pipelineAdapters(loadEnv()));
export default handler;
