// Running the pipeline Tasks from the SYNTHESIZED Lambda assets (`lockdesk start --assets DIR` after
// `npx cdk synth -c lockdesk:lambdaArch=x86_64 -o DIR`): what is deployed is what runs. Each function's asset
// directory plays /var/task (its index.mjs handler is imported), its layers' nodejs/node_modules play
// /opt/nodejs/node_modules, and this project's node_modules plays the runtime's own (/var/runtime/node_modules),
// for the AWS SDK v3 only — the one thing a Lambda bundle may take from the runtime. Nothing else of the source
// tree is reachable from a task: a file the asset lacks fails here as it would on AWS.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire, isBuiltin, registerHooks } from "node:module";
import { basename, dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../shared/config/names.ts";

/** What Lambda would put on one function's module path. */
export interface LambdaModulePath {
  /** The asset directory (/var/task). */
  taskRoot: string;
  /** Its layers' nodejs/node_modules folders (/opt/nodejs/node_modules), in the function's layer order. */
  layerModules: string[];
}

export interface AssetFunction extends LambdaModulePath {
  name: PipelineFunctionName;
  /** file: URL of the handler module (index.mjs). */
  handlerUrl: string;
  architecture: string;
}

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export class AssetsError extends Error {
  override name = "AssetsError";
}

/** The pipeline functions of a synthesized cloud assembly: asset dir, layers, architecture. */
export function readAssetFunctions(assetsDir: string): Record<PipelineFunctionName, AssetFunction> {
  const dir = resolve(assetsDir);
  if (!existsSync(dir)) throw new AssetsError(`--assets: ${dir} does not exist (npx cdk synth -o ${assetsDir})`);
  const templates = readdirSync(dir).filter((f) => f.endsWith(".template.json"));
  for (const file of templates) {
    const resources = (JSON.parse(readFileSync(join(dir, file), "utf8")) as { Resources?: Record<string, CfnResource> })
      .Resources;
    if (!resources) continue;
    const found: Partial<Record<PipelineFunctionName, AssetFunction>> = {};
    for (const r of Object.values(resources)) {
      if (r.Type !== "AWS::Lambda::Function") continue;
      const cdkPath = String(r.Metadata?.["aws:cdk:path"] ?? "");
      const name = (Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]).find((n) =>
        cdkPath.endsWith(`/${n}/Function/Resource`),
      );
      if (!name) continue;
      const taskRoot = assetPath(dir, r, `${name}'s asset`);
      const handlerFile = join(taskRoot, "index.mjs");
      if (!existsSync(handlerFile)) throw new AssetsError(`${name}: ${handlerFile} is missing`);
      const layers = (r.Properties?.Layers as Array<{ Ref?: string }> | undefined) ?? [];
      const layerModules = layers.map((l) => {
        const layer = l.Ref ? resources[l.Ref] : undefined;
        if (!layer) throw new AssetsError(`${name}: layer ${JSON.stringify(l)} is not in ${file}`);
        return join(assetPath(dir, layer, `${name}'s layer ${l.Ref}`), "nodejs", "node_modules");
      });
      const archs = (r.Properties?.Architectures as string[] | undefined) ?? ["x86_64"];
      found[name] = {
        name,
        taskRoot,
        layerModules,
        handlerUrl: pathToFileURL(handlerFile).href,
        architecture: archs[0] ?? "x86_64",
      };
    }
    const missing = (Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]).filter((n) => !found[n]);
    if (Object.keys(found).length === 0) continue;
    if (missing.length > 0) throw new AssetsError(`${file}: no asset for ${missing.join(", ")}`);
    return found as Record<PipelineFunctionName, AssetFunction>;
  }
  throw new AssetsError(`--assets: no pipeline stack template with Lambda functions in ${dir}`);
}

/** The variables Lambda sets that say where the function and its layers live (/var/task, NODE_PATH). */
export function lambdaTaskEnv(asset: AssetFunction): Record<string, string> {
  return { LAMBDA_TASK_ROOT: asset.taskRoot, NODE_PATH: asset.layerModules.join(":") };
}

function assetPath(dir: string, r: CfnResource, what: string): string {
  const p = r.Metadata?.["aws:asset:path"];
  if (typeof p !== "string") throw new AssetsError(`${what}: no aws:asset:path (synthesized with bundling?)`);
  const full = resolve(dir, p);
  if (!existsSync(full)) throw new AssetsError(`${what}: ${full} is missing`);
  return full;
}

/** The runtime's own modules: the AWS SDK v3 (Lambda's nodejs22.x ships it); here, this project's install. */
const RUNTIME_MODULES = resolve(dirname(fileURLToPath(import.meta.url)), "../node_modules");
const RUNTIME_PROVIDED = /^@aws-sdk\//;

const paths: LambdaModulePath[] = [];
let hooked = false;

function within(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** A file inside `nodeModules` to resolve from: node looks in <its dir>/node_modules and upwards. */
function anchor(nodeModules: string): string {
  return pathToFileURL(join(basename(nodeModules) === "node_modules" ? dirname(nodeModules) : nodeModules, "x.mjs"))
    .href;
}

/**
 * Puts a function's layers and the runtime's SDK on the module path of code inside its asset or layers (import
 * and require, this thread), and ONLY those: a bare specifier resolves from the asset, then its layers, then — AWS
 * SDK only — the runtime's modules, as on Lambda; a package found anywhere else (a node_modules above the cloud
 * assembly, e.g. the repository's own when cdk.out is inside it) is refused as missing. Code outside registered
 * assets is not affected.
 */
export function addLambdaModulePath(p: LambdaModulePath): void {
  paths.push(p);
  if (hooked) return;
  hooked = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parentUrl = context.parentURL;
      const parent = parentUrl?.startsWith("file:") ? fileURLToPath(parentUrl) : "";
      const owner = parent
        ? paths.find((m) => within(parent, m.taskRoot) || m.layerModules.some((l) => within(parent, l)))
        : undefined;
      if (!owner || isBuiltin(specifier) || /^(\.|\/|[a-z]+:)/i.test(specifier)) {
        return nextResolve(specifier, context);
      }
      const runtime = RUNTIME_PROVIDED.test(specifier) ? [RUNTIME_MODULES] : [];
      const allowed = [owner.taskRoot, ...owner.layerModules, ...runtime];
      // require() resolves from the requiring module, whatever parentURL says: look elsewhere with a require there.
      const isRequire = context.conditions?.includes("require") ?? false;
      for (const from of [parentUrl, ...owner.layerModules.map(anchor), ...runtime.map(anchor)]) {
        try {
          const r =
            isRequire && from !== parentUrl
              ? {
                  url: pathToFileURL(createRequire(fileURLToPath(from as string)).resolve(specifier)).href,
                  shortCircuit: true,
                }
              : nextResolve(specifier, { ...context, parentURL: from });
          if (!r.url.startsWith("file:") || allowed.some((d) => within(fileURLToPath(r.url), d))) return r;
        } catch {
          // not there: the next place Lambda would look
        }
      }
      throw Object.assign(
        new Error(
          `Cannot find package '${specifier}' imported from ${parent}: not in the asset, its layers or the runtime`,
        ),
        { code: "ERR_MODULE_NOT_FOUND" },
      );
    },
  });
}
