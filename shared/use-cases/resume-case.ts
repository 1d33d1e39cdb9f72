// Resume: after a handler's decision a parked case gets a new execution {caseId, resume: true} that re-enters
// at ValidateCase. This helper checks a resume request before the API (or the local stack) starts one.
import { z } from "zod";
import type { CaseStatus } from "../domain/case.ts";
import { InvalidCaseStateError, ValidationError } from "../domain/errors.ts";
import type { CaseStore } from "../ports/case-store.ts";
import { loadCase } from "./case-history.ts";

export const ResumeRequestSchema = z.object({ caseId: z.string().min(1), resume: z.literal(true) });
export type ResumeRequest = z.infer<typeof ResumeRequestSchema>;

/** Statuses a handler can send back into the pipeline from. */
export const RESUMABLE_STATUSES: ReadonlySet<CaseStatus> = new Set<CaseStatus>(["IN_REVIEW", "APPROVED", "FAILED"]);

export interface ResumePlan {
  /** The execution input (ExecutionInputSchema's resume variant). */
  input: ResumeRequest;
  /**
   * A deterministic execution name: the same case version resumed twice (a double click, a retried API call)
   * maps to one execution, because Step Functions refuses a second execution with the same name.
   */
  executionName: string;
}

export async function resumeCase(request: unknown, deps: { cases: Pick<CaseStore, "get"> }): Promise<ResumePlan> {
  const parsed = ResumeRequestSchema.safeParse(request);
  if (!parsed.success) throw new ValidationError(`invalid resume request: ${parsed.error.issues[0]?.message ?? "?"}`);
  const record = await loadCase(deps.cases, parsed.data.caseId);
  if (!RESUMABLE_STATUSES.has(record.status)) {
    throw new InvalidCaseStateError(`case ${record.caseId} cannot be resumed from status ${record.status}`);
  }
  if (record.formCode === null && Object.keys(record.fields).length === 0 && !record.handlerDecision) {
    throw new InvalidCaseStateError(`case ${record.caseId} has no form read and no handler decision to resume with`);
  }
  return { input: parsed.data, executionName: `${record.caseId}-v${record.version}` };
}
