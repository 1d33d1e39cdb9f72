// ReadForm task: {caseId} → {caseId, status} (or route REVIEW when the scan is unreadable and the case parked).
import middy from "@middy/core";
import { parseInput, pipelineAdapters } from "../../shared/composition/aws.ts";
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
  return { ...pipelineAdapters(env), ocr: await ocrFromEnv(env) };
}

const ready = coldStart();
ready.catch(() => {}); // surfaced on the first invocation, not as an unhandled rejection at import
export const handler = makeHandler(ready);
export default handler;
