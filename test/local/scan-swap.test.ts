// The scan a case was read from is the scan it acts on, on the whole local stack: a presigned upload used a second
// time after the form was read and validated (simulated by writing another paper under the case's key right after
// the real ValidateCase) stops the case at ExecuteAction — no account action, no mail — and the second object is
// kept as a FAILED case of its own (RegisterCase refuses a key that already has a case).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { PIPELINE_FUNCTIONS } from "../../infra/config.ts";
import { lambdaContext } from "../../local/lambda-context.ts";
import type { TaskFn } from "../../local/runner.ts";
import { type Stack, startStack } from "../../local/stack.ts";
import { SimulatedAccountService } from "../../shared/adapters/local/simulated-account-service.ts";
import { capturedMails, ROOT, SCANS, sampleClock, subjectOf, truth } from "./helpers.ts";

const work = mkdtempSync(join(tmpdir(), "lockdesk-swap-"));
const KEY = "incoming/2025-03-27/1b0e4a52-mailroom-upload.png";
const SAMPLE = "sample-01"; // a 1177-EGEN LOCK the pipeline executes

describe("a scan replaced after it was read (local stack)", () => {
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("stops the case before the account action and mail; the second upload is a FAILED case", async () => {
    let swapped = false;
    const validate: TaskFn = async (input) => {
      const spec = PIPELINE_FUNCTIONS.ValidateCase;
      const mod = (await import(pathToFileURL(join(ROOT, spec.entry)).href)) as {
        handler: (e: unknown, c: unknown) => Promise<unknown>;
      };
      const out = await mod.handler(
        input,
        lambdaContext({
          functionName: "lockdesk-local-ValidateCase",
          invokedFunctionArn: "arn:aws:lambda:eu-north-1:000000000000:function:lockdesk-local-ValidateCase",
          memoryMb: spec.memoryMb,
          timeoutSeconds: spec.timeoutSeconds,
        }),
      );
      if (!swapped && stack) {
        swapped = true;
        await stack.s3.send(
          new PutObjectCommand({
            Bucket: stack.names.scansBucket,
            Key: KEY,
            Body: readFileSync(join(SCANS, truth("sample-02").file)),
            ContentType: "image/png",
          }),
        );
      }
      return out as Awaited<ReturnType<TaskFn>>;
    };
    stack = await startStack({
      repoRoot: ROOT,
      dataDir: join(work, "data"),
      inbox: null,
      persons: join(ROOT, "data/persons.csv"),
      caregivers: join(ROOT, "data/approved-caregivers.csv"),
      concurrency: 2,
      now: sampleClock(),
      taskOverrides: { ValidateCase: validate },
      log: (l) => process.stdout.write(`  [stack] ${l}\n`),
    });
    // The mail room's upload (as the presigned POST would store it).
    await stack.s3.send(
      new PutObjectCommand({
        Bucket: stack.names.scansBucket,
        Key: KEY,
        Body: readFileSync(join(SCANS, truth(SAMPLE).file)),
        ContentType: "image/png",
        Metadata: { "received-date": truth(SAMPLE).receivedDate, "received-date-by": "user:post" },
      }),
    );
    await stack.idle();

    const cases = (await stack.cases.listAll()).filter((c) => c.scan?.key === KEY);
    expect(cases).toHaveLength(2);
    const read = cases.find((c) => c.formCode !== null);
    const second = cases.find((c) => c !== read);
    expect(read?.decision, "the first paper was read and validated").toBe("EXECUTE");
    expect(read?.status).toBe("FAILED");
    expect(read?.failure?.error).toBe("ScanChangedError");
    expect(read?.execution).toBeUndefined();
    expect(read?.mails ?? []).toEqual([]);
    expect(read?.history.some((h) => h.by === "ExecuteAction" && /^scan changed after registration/.test(h.what))).toBe(
      true,
    );
    expect(second?.status).toBe("FAILED");
    expect(second?.failure?.cause).toMatch(/another object was uploaded under the key of case/);

    const ddb = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.endpoints.region });
    const accounts = new SimulatedAccountService(ddb, stack.names.accountsTable);
    expect((await accounts.status(subjectOf(truth(SAMPLE)))).locked).toBe(false);
    ddb.destroy();
    const mails = await capturedMails(stack.endpoints.sesStore);
    expect(mails.filter((m) => cases.some((c) => m.subject.endsWith(`ärende ${c.caseId}`)))).toEqual([]);
  }, 300_000);
});
