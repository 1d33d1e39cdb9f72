// ValidateCase task: {caseId} → {caseId, route: EXECUTE | RETURN | REVIEW | DONE, status}.
// PersonRegistryUnavailableError is thrown as is: the state machine retries, then parks (REGISTRY_UNAVAILABLE).
import middy from "@middy/core";
import { parseInput, pipelineAdapters, referenceData } from "../../shared/composition/aws.ts";
import { loadEnv } from "../../shared/config/env.ts";
import { CaseRefSchema, type TaskResult } from "../../shared/use-cases/contracts.ts";
import { type ValidateCaseDeps, validateCase } from "../../shared/use-cases/validate-case.ts";
import { validateForm } from "../../shared/use-cases/validate-form.ts";

export function makeHandler(deps: ValidateCaseDeps) {
  return middy(async (event: unknown): Promise<TaskResult> => validateCase(parseInput(CaseRefSchema, event), deps));
}

function coldStart(): ValidateCaseDeps {
  const env = loadEnv();
  const adapters = pipelineAdapters(env);
  return {
    ...adapters,
    ...referenceData(env, adapters.scans),
    validate: validateForm,
    fourEyes: { allUnlocks: env.FOUR_EYES_ALL_UNLOCKS },
    ...(env.MIN_CONFIDENCE !== undefined ? { minConfidence: env.MIN_CONFIDENCE } : {}),
  };
}

export const handler = makeHandler(coldStart());
export default handler;
