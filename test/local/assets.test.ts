// What is deployed is what is tested: the Lambda assets are synthesized for this machine's architecture (x86_64,
// as `npx cdk synth -c lockdesk:lambdaArch=x86_64 -o DIR` does), and the local stack runs every Task of the state
// machine from them (`lockdesk start --assets DIR`, the real command in a child process): each function's index.mjs
// from its asset folder (in plain node, with the module path Lambda gives: asset, layers, the runtime's SDK), ReadForm's
// sharp, tesseract.js, onnxruntime and data from its layers — nothing from the source tree. The samples end as
// their ground truth says. Default: the hand-written form (PP-OCR + MNIST digits), a PDF RETURN and a TIFF REVIEW;
// LOCKDESK_E2E_SAMPLES=sample-01,... or =all picks others.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthLambdaAssets } from "../../infra/synth-assets.ts";
import { AssetsError, readAssetFunctions } from "../../local/lambda-assets.ts";
import { FINAL_STATUSES, LOCAL_NAMES, readEndpointsFile } from "../../local/stack.ts";
import { DynamoCaseStore, documentClient } from "../../shared/adapters/aws/dynamo-case-store.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import { dropIntoInbox, EXPECTED_STATUS, ROOT, selectedSamples, sleep, truth } from "./helpers.ts";

const IDS = selectedSamples(["sample-09", "sample-12", "sample-17"]);
const work = mkdtempSync(join(tmpdir(), "lockdesk-assets-"));
const assets = join(work, "cdk.out");
const dataDir = join(work, "data");
let child: ChildProcess | null = null;
let output = "";
const byFile = new Map<string, CaseRecord>();

async function casesOfRunningStack(): Promise<CaseRecord[]> {
  const ep = readEndpointsFile(dataDir);
  if (!ep) return [];
  const client = new DynamoDBClient({
    endpoint: ep.endpoints.dynamodb,
    region: ep.endpoints.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    return await new DynamoCaseStore(documentClient(client), LOCAL_NAMES.casesTable).listAll();
  } catch {
    return [];
  } finally {
    client.destroy();
  }
}

beforeAll(async () => {
  synthLambdaAssets(assets, "x86_64");
  const inbox = join(work, "inbox");
  mkdirSync(inbox, { recursive: true });
  dropIntoInbox(inbox, IDS);
  // The real command line, as the README says: lockdesk start --assets DIR.
  child = spawn(
    process.execPath,
    [join(ROOT, "bin/lockdesk.mjs"), "start", "--assets", assets, "--data-dir", dataDir, "--inbox", inbox],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      // The samples were received in March 2025: the stack runs on a clock of those days (the receipt-date window).
      env: {
        ...process.env,
        POWERTOOLS_LOG_LEVEL: "ERROR",
        LOCKDESK_PORT: "0",
        LOCKDESK_CLOCK_START: "2025-03-28T09:00:00.000Z",
      },
    },
  );
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const files = IDS.map((id) => truth(id).file);
  const until = Date.now() + 600_000;
  for (;;) {
    const cases = await casesOfRunningStack();
    const done = cases.filter((c) => c.scan && files.includes(c.scan.fileName) && FINAL_STATUSES.has(c.status));
    if (done.length === files.length) {
      for (const c of done) if (c.scan) byFile.set(c.scan.fileName, c);
      break;
    }
    if (child.exitCode !== null || Date.now() > until) throw new Error(`lockdesk start --assets:\n${output}`);
    await sleep(1000);
  }
}, 900_000);

afterAll(async () => {
  try {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child?.once("exit", r));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 120_000);

describe("the local stack running the synthesized Lambda assets (x86_64)", () => {
  it("says which assets folder the tasks run from, and every function comes from it", () => {
    expect(output).toContain(`tasks         from the Lambda assets in ${assets}`);
    const fns = readAssetFunctions(assets);
    for (const f of Object.values(fns)) {
      expect(f.taskRoot.startsWith(assets), f.name).toBe(true);
      expect(f.architecture, f.name).toBe("x86_64");
    }
    expect(fns.ReadForm.layerModules).toHaveLength(2);
  });

  it.each(IDS)("%s ends as its ground truth says", (id) => {
    const t = truth(id);
    const c = byFile.get(t.file);
    expect(c, `${id}: a case`).toBeDefined();
    expect(c?.status, id).toBe(EXPECTED_STATUS[t.decision]);
    expect(c?.decision, id).toBe(t.decision);
    for (const r of t.reasons) expect(c?.reasons ?? [], id).toContain(r);
  });

  it("a folder without a synthesized pipeline is refused with one clear line", () => {
    expect(() => readAssetFunctions(join(work, "inbox"))).toThrow(AssetsError);
    expect(() => readAssetFunctions(join(work, "missing"))).toThrow(/does not exist/);
  });
});
