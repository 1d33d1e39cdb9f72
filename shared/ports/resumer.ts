/**
 * Starts a new execution for a parked case after a handler's decision (park and resume, see DESIGN.md).
 * On AWS: Step Functions StartExecution with input `{ caseId, resume: true }`; locally: the local ASL runner.
 * Must be safe to call twice for the same decision (executions are idempotent on the case record).
 */
export type Resumer = (caseId: string) => Promise<void>;
