/**
 * Starts THE state machine for each later document of a batch file ({caseId, document: true}: it enters at
 * ReadForm). On AWS: Step Functions StartExecution named after the case (a second start is refused, not run
 * twice); locally: the local ASL runner. Must be safe to call twice for the same cases.
 */
export type DocumentStarter = (caseIds: readonly string[]) => Promise<void>;
