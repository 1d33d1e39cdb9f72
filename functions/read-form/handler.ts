// ReadForm task: {caseId} → {caseId, status} (or route REVIEW when the scan is unreadable and the case parked).
// A batch file's later documents are registered here and started through Step Functions (STATE_MACHINE_ARN).
import middy from "@middy/core";
import { sfnClient, sfnDocumentStarter } from "../../shared/adapters/aws/sfn-document-starter.ts";
import { parseInput, pipelineAdapters, referenceData } from "../../shared/composition/aws.ts";
import { ocrFromEnv } from "../../shared/composition/ocr.ts";
import { loadEnv } from "../../shared/config/env.ts";
import { CaseRefSchema, type TaskResult } from "../../shared/use-cases/contracts.ts";
import { type ReadFormDeps, readFormForCase } from "../../shared/use-cases/read-form.ts";

/** deps may be a promise: the OCR engine is created asynchronously at cold start. */
export function makeHandler(deps: ReadFormDeps | Promise<ReadFormDeps>) {
  return middy(
    async (event: unknown): Promise<TaskResult> => readFormForCase(parseInput(CaseRefSchema, event), await deps),
  );
}

async function coldStart(): Promise<ReadFormDeps> {
  const env = loadEnv();
  const adapters = pipelineAdapters(env);
  // The reader gets what `lockdesk eval` gives it (cli/reading.ts): the caregiver list and the registry's names,
  // from the same reference data ValidateCase composes.
  const { registry, caregivers, staff } = referenceData(env, adapters.scans);
  const arn = env.STATE_MACHINE_ARN;
  return {
    ...adapters,
    registry,
    caregivers,
    ...(staff ? { staff } : {}),
    ...(arn ? { startDocuments: sfnDocumentStarter(sfnClient(env.AWS_REGION, env.AWS_ENDPOINT_URL_SFN), arn) } : {}),
    ocr: await ocrFromEnv(env),
  };
}

const ready = coldStart();
ready.catch(() => {}); // surfaced on the first invocation, not as an unhandled rejection at import
export const handler = makeHandler(ready);
export default handler;
