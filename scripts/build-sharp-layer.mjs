#!/usr/bin/env node
// Builds the sharp Lambda layer (linux-arm64, glibc) into infra/layers/sharp/nodejs: `npm run build:sharp-layer`.
// Needs the network (like deploy); synth works without it (the stacks warn and attach no layer). The version is
// the one this repository uses (package-lock.json, else package.json), so the layer and the local tests agree.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
/** The layer's nodejs/ folder (infra/constructs/sharp-layer.ts SHARP_LAYER_DIR + "/nodejs"). */
export const LAYER_NODEJS_DIR = `${root}infra/layers/sharp/nodejs`;

export function sharpVersion() {
  try {
    const lock = JSON.parse(readFileSync(`${root}package-lock.json`, "utf8"));
    const locked = lock.packages?.["node_modules/sharp"]?.version;
    if (typeof locked === "string" && locked) return locked;
  } catch {
    // fall through to package.json
  }
  const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
  const range = pkg.dependencies?.sharp ?? pkg.devDependencies?.sharp;
  if (typeof range !== "string") throw new Error("sharp is not a dependency in package.json");
  return range.replace(/^[\^~=v]+/, "");
}

/** The npm arguments that install sharp for the Lambda platform (linux, arm64, glibc) into `prefix`. */
export function npmInstallArgs(version, prefix) {
  return [
    "install",
    "--prefix",
    prefix,
    "--os=linux",
    "--cpu=arm64",
    "--libc=glibc",
    "--omit=dev",
    "--no-audit",
    "--no-fund",
    "--no-save",
    `sharp@${version}`,
  ];
}

function exit(code) {
  process.exit(code);
}

function main() {
  const version = sharpVersion();
  if (existsSync(LAYER_NODEJS_DIR)) rmSync(LAYER_NODEJS_DIR, { recursive: true, force: true });
  mkdirSync(LAYER_NODEJS_DIR, { recursive: true });
  const args = npmInstallArgs(version, LAYER_NODEJS_DIR);
  console.log(`npm ${args.join(" ")}`);
  const run = spawnSync("npm", args, { stdio: "inherit", shell: process.platform === "win32" });
  if (run.status !== 0) {
    console.error("build:sharp-layer failed (it needs the network to reach the npm registry)");
    return exit(run.status ?? 1);
  }
  if (!existsSync(`${LAYER_NODEJS_DIR}/node_modules/@img/sharp-linux-arm64`)) {
    console.error("build:sharp-layer: @img/sharp-linux-arm64 is missing from the layer");
    return exit(1);
  }
  console.log(`sharp ${version} (linux-arm64) is in ${LAYER_NODEJS_DIR}; run npm run synth / deploy`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
