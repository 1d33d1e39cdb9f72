// The DocumentStarter adapter (the real SFN client) against the local stack's StartExecution endpoint: a start per
// document with {caseId, document: true}, named after the case; a second start of the same case is refused by the
// endpoint (ExecutionAlreadyExists, as Step Functions does) and the adapter takes that as done.
import { afterEach, describe, expect, it } from "vitest";
import { type SfnEndpoint, startSfnEndpoint } from "../../local/sfn-endpoint.ts";
import { sfnClient, sfnDocumentStarter } from "../../shared/adapters/aws/sfn-document-starter.ts";
import type { ExecutionInput } from "../../shared/use-cases/contracts.ts";

const ARN = "arn:aws:states:eu-north-1:000000000000:stateMachine:lockdesk-local-case";
let endpoint: SfnEndpoint | undefined;

afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function setup(): Promise<{ runs: Array<{ input: ExecutionInput; name: string }>; url: string }> {
  const runs: Array<{ input: ExecutionInput; name: string }> = [];
  endpoint = await startSfnEndpoint(ARN, (input, name) => runs.push({ input, name }));
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  return { runs, url: endpoint.url };
}

describe("sfnDocumentStarter on the local StartExecution endpoint", () => {
  it("starts each document once, entering at ReadForm; a second start of the same documents is harmless", async () => {
    const { runs, url } = await setup();
    const start = sfnDocumentStarter(sfnClient("eu-north-1", url), ARN);
    await start(["C-ABC-2", "C-ABC-3"]);
    await start(["C-ABC-2", "C-ABC-3"]);
    expect(runs).toEqual([
      { input: { caseId: "C-ABC-2", document: true }, name: "document-C-ABC-2" },
      { input: { caseId: "C-ABC-3", document: true }, name: "document-C-ABC-3" },
    ]);
  });

  it("another state machine or an input outside the contract is refused with a named error", async () => {
    const { runs, url } = await setup();
    await expect(sfnDocumentStarter(sfnClient("eu-north-1", url), `${ARN}-other`)(["C-ABC-2"])).rejects.toMatchObject({
      name: "StateMachineDoesNotExist",
    });
    const res = await fetch(url, {
      method: "POST",
      headers: { "x-amz-target": "AWSStepFunctions.StartExecution", "content-type": "application/x-amz-json-1.0" },
      body: JSON.stringify({ stateMachineArn: ARN, name: "x", input: JSON.stringify({ caseId: "C-1" }) }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe("InvalidExecutionInput");
    expect(runs).toEqual([]);
  });
});
