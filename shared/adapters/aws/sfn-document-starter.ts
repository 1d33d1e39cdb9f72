// DocumentStarter on Step Functions: StartExecution of THE state machine with {caseId, document: true}, named
// after the case. A second start of the same name is refused by Step Functions (ExecutionAlreadyExists): the
// document is already under way or done, which is what a retry or a restart wants.
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { DocumentStarter } from "../../ports/document-starter.ts";

export function sfnDocumentStarter(client: Pick<SFNClient, "send">, stateMachineArn: string): DocumentStarter {
  return async (caseIds) => {
    for (const caseId of caseIds) {
      try {
        await client.send(
          new StartExecutionCommand({
            stateMachineArn,
            name: `document-${caseId}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 80),
            input: JSON.stringify({ caseId, document: true }),
          }),
        );
      } catch (err) {
        if ((err as { name?: string }).name !== "ExecutionAlreadyExists") throw err;
      }
    }
  };
}

/** A client for the endpoint in AWS_ENDPOINT_URL_SFN (the local stack's), else the region's. */
export function sfnClient(region: string, endpoint?: string): SFNClient {
  return new SFNClient({ region, ...(endpoint ? { endpoint } : {}) });
}
