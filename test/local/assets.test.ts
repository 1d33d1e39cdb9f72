// What is deployed is what is tested: the Lambda assets are synthesized for this machine's architecture (x86_64,
// as `npx cdk synth -c lockdesk:lambdaArch=x86_64 -o DIR` does), and the local stack runs every Task of the state
// machine from them (`lockdesk start --assets DIR`): each function's index.mjs from its asset folder, ReadForm's
// sharp, tesseract.js, onnxruntime and data from its layers — nothing from the source tree. The samples end as
// their ground truth says. Default: the hand-written form (PP-OCR + MNIST digits), a PDF RETURN and a TIFF REVIEW;
// LOCKDESK_E2E_SAMPLES=sample-01,... or =all picks others.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssetsError, readAssetFunctions } from "../../infra/local/lambda-assets.ts";
import { type Stack, startStack } from "../../infra/local/stack.ts";
import { synthLambdaAssets } from "../../infra/synth-assets.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import { dropIntoInbox, EXPECTED_STATUS, ROOT, selectedSamples, truth } from "./helpers.ts";

const IDS = selectedSamples(["sample-09", "sample-12", "sample-17"]);
const work = mkdtempSync(join(tmpdir(), "lockdesk-assets-"));
const assets = join(work, "cdk.out");
const lines: string[] = [];
let stack: Stack | undefined;
const byFile = new Map<string, CaseRecord>();

beforeAll(async () => {
  synthLambdaAssets(assets, "x86_64");
  const inbox = join(work, "inbox");
  mkdirSync(inbox, { recursive: true });
  stack = await startStack({
    repoRoot: ROOT,
    dataDir: join(work, "data"),
    inbox,
    persons: join(ROOT, "data/persons.csv"),
    caregivers: join(ROOT, "data/approved-caregivers.csv"),
    concurrency: 2,
    assetsDir: assets,
    log: (l) => {
      lines.push(l);
      process.stdout.write(`  [stack] ${l}\n`);
    },
  });
  dropIntoInbox(inbox, IDS);
  await stack.idle();
  for (const c of await stack.cases.listAll()) if (c.scan) byFile.set(c.scan.fileName, c);
}, 900_000);

afterAll(async () => {
  try {
    await stack?.stop();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 120_000);

describe("the local stack running the synthesized Lambda assets (x86_64)", () => {
  it("says which assets folder the tasks run from, and every function comes from it", () => {
    expect(lines).toContain(`tasks         from the Lambda assets in ${assets}`);
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
