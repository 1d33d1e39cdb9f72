// The module path of a function run from its synthesized asset (`lockdesk start --assets`): its own folder, its
// layers and — AWS SDK only — the runtime's modules, as on Lambda; a package that only a node_modules above the cloud
// assembly has (the repository's, when cdk.out is inside it) is missing, as it would be on AWS.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers.ts";

const root = mkdtempSync(join(tmpdir(), "lockdesk-modpath-"));
const asset = join(root, "cdk.out", "asset.fn");
const layer = join(root, "cdk.out", "asset.layer", "nodejs", "node_modules");

function pkg(dir: string, name: string, value: string): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, "package.json"), JSON.stringify({ name, version: "1.0.0", main: "index.js" }));
  writeFileSync(join(dir, name, "index.js"), `module.exports = ${JSON.stringify(value)};`);
}

/** What the asset's code gets for each specifier, in a plain node process (vitest resolves modules itself). */
let results: Record<string, string>;

beforeAll(() => {
  pkg(join(root, "node_modules"), "outside-pkg", "outside"); // above the cloud assembly: not on Lambda
  pkg(layer, "layer-pkg", "layer");
  mkdirSync(asset, { recursive: true });
  writeFileSync(
    join(asset, "index.mjs"),
    [
      "import { createRequire } from 'node:module';",
      "const require = createRequire(import.meta.url);",
      "export const load = (s) => import(s);",
      "export const need = (s) => require(s);",
    ].join("\n"),
  );
  const probe = join(root, "probe.mts");
  writeFileSync(
    probe,
    [
      `import { addLambdaModulePath } from ${JSON.stringify(pathToFileURL(join(ROOT, "local/lambda-assets.ts")).href)};`,
      `addLambdaModulePath({ taskRoot: ${JSON.stringify(asset)}, layerModules: [${JSON.stringify(layer)}] });`,
      `const m = await import(${JSON.stringify(pathToFileURL(join(asset, "index.mjs")).href)});`,
      "const out = {};",
      // biome-ignore-start lint/suspicious/noTemplateCurlyInString: the child's own source, template literals included
      "const show = (v) => (typeof v === 'string' ? v : Object.keys(v).includes('S3Client') ? 'S3Client' : typeof v);",
      "for (const s of ['layer-pkg', 'outside-pkg', '@aws-sdk/client-s3', 'node:path']) {",
      "  try { const v = await m.load(s); out[`import ${s}`] = show(v.default ?? v); } catch (e) { out[`import ${s}`] = `error: ${e.message}`; }",
      "  try { out[`require ${s}`] = show(m.need(s)); } catch (e) { out[`require ${s}`] = `error: ${e.message}`; }",
      // biome-ignore-end lint/suspicious/noTemplateCurlyInString: end of the child's source
      "}",
      "console.log(JSON.stringify(out));",
    ].join("\n"),
  );
  const tsx = join(ROOT, "node_modules/tsx/dist/esm/index.mjs");
  const run = spawnSync(process.execPath, ["--import", pathToFileURL(tsx).href, probe], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  results = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}");
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a task's module path from its asset", () => {
  it("finds packages in its layers (import and require) and node's built-ins", () => {
    expect(results["import layer-pkg"]).toBe("layer");
    expect(results["require layer-pkg"]).toBe("layer");
    expect(results["import node:path"]).toBe("object");
  });

  it("finds the AWS SDK in the runtime's modules", () => {
    expect(results["import @aws-sdk/client-s3"]).toBe("S3Client");
  });

  it("does not find a package only a node_modules above the assets has", () => {
    expect(results["import outside-pkg"]).toMatch(/not in the asset, its layers or the runtime/);
    expect(results["require outside-pkg"]).toMatch(/error: .*outside-pkg/);
  });
});
