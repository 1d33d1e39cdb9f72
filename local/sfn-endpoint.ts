// The local stack's Step Functions endpoint: StartExecution only (the AWS JSON 1.0 protocol the SDK speaks), so
// ReadForm's DocumentStarter (shared/adapters/aws/sfn-document-starter.ts) runs unchanged against the local ASL
// runner: a batch file's later documents start THE state machine through the same SFNClient call as on AWS.
// Like Step Functions, a name already started (in this process) is refused with ExecutionAlreadyExists.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ExecutionInput, ExecutionInputSchema } from "../shared/use-cases/contracts.ts";

export interface SfnEndpoint {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024; // Step Functions' own input limit

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
  res.end(JSON.stringify(body));
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("request too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Serves StartExecution on 127.0.0.1 (port 0): `start` runs the execution (the runner; not awaited). */
export async function startSfnEndpoint(
  stateMachineArn: string,
  start: (input: ExecutionInput, name: string) => void,
): Promise<SfnEndpoint> {
  const started = new Set<string>();
  const server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      if (req.method !== "POST" || target !== "AWSStepFunctions.StartExecution") {
        reply(res, 400, { __type: "UnknownOperationException", message: `not served locally: ${target}` });
        return;
      }
      let request: { stateMachineArn?: string; name?: string; input?: string };
      let input: ExecutionInput;
      try {
        request = JSON.parse(await bodyOf(req)) as typeof request;
        input = ExecutionInputSchema.parse(JSON.parse(request.input ?? "{}"));
      } catch (err) {
        reply(res, 400, { __type: "InvalidExecutionInput", message: (err as Error).message.split("\n")[0] });
        return;
      }
      if (request.stateMachineArn !== stateMachineArn) {
        reply(res, 400, { __type: "StateMachineDoesNotExist", message: "unknown state machine" });
        return;
      }
      const name = request.name ?? `exec-${started.size + 1}`;
      if (started.has(name)) {
        reply(res, 400, { __type: "ExecutionAlreadyExists", message: `execution ${name} exists` });
        return;
      }
      started.add(name);
      start(input, name);
      const arn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
      reply(res, 200, { executionArn: arn, startDate: Date.now() / 1000 });
    })().catch((err: unknown) => reply(res, 500, { __type: "InternalFailure", message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
