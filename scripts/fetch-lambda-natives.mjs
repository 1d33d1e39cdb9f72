#!/usr/bin/env node
// The native parts of the Lambda layers for BOTH Lambda architectures (linux arm64 and x64, glibc), fetched from the
// npm registry when the project is installed (`npm ci` runs this as postinstall). npm installs the optional
// platform packages of sharp only for THIS machine; the Lambda layer needs the target's. The exact versions and
// their sha512 come from package-lock.json (sharp pins them), so the layer is as locked as node_modules itself;
// synth then stays offline and fails (never warns) when a layer's native part is missing (infra/constructs).
// onnxruntime-node needs nothing here: its npm package carries the linux-arm64 and linux-x64 binaries.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
/** Where the fetched packages go: node_modules/.lambda-natives/<arch>/node_modules/@img/<name> (npm ci wipes it). */
export const NATIVES_DIR = join(root, "node_modules", ".lambda-natives");
/** Node's arch names of the Lambda architectures. */
export const NODE_ARCHES = ["arm64", "x64"];

/** The sharp platform packages a linux-<arch> glibc Lambda needs. */
export function sharpNativePackages(arch) {
  return [`@img/sharp-linux-${arch}`, `@img/sharp-libvips-linux-${arch}`];
}

/** name → { version, integrity } from package-lock.json (sharp's optional platform packages are all listed there). */
export function lockedPackage(name, lockText = readFileSync(join(root, "package-lock.json"), "utf8")) {
  const entry = JSON.parse(lockText).packages?.[`node_modules/${name}`];
  if (!entry?.version || !entry?.integrity) throw new Error(`${name} is not in package-lock.json`);
  return { version: entry.version, integrity: entry.integrity };
}

/** The folder of a package for a target arch: the install itself when npm installed it (this machine's), else fetched. */
export function nativePackageDir(name, arch) {
  const installed = join(root, "node_modules", name);
  if (existsSync(join(installed, "package.json"))) return installed;
  return join(NATIVES_DIR, arch, "node_modules", name);
}

function installedVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

function sri(file, integrity) {
  const [algo] = integrity.split("-");
  return `${algo}-${createHash(algo).update(readFileSync(file)).digest("base64")}`;
}

function npm(args, cwd) {
  // Inside `npm ci` npm_execpath is npm itself; run it with this node.
  const viaNode = process.env.npm_execpath?.endsWith(".js");
  const cmd = viaNode ? process.execPath : "npm";
  const full = viaNode ? [process.env.npm_execpath, ...args] : args;
  return spawnSync(cmd, full, { cwd, encoding: "utf8", shell: !viaNode && process.platform === "win32" });
}

/** Fetches one package (exact locked version, sha512 checked) into NATIVES_DIR/<arch>; returns what it did. */
export function fetchNative(name, arch) {
  const { version, integrity } = lockedPackage(name);
  const dest = join(NATIVES_DIR, arch, "node_modules", name);
  const installed = join(root, "node_modules", name);
  if (installedVersion(installed) === version) return `${name}@${version}: installed by npm for this machine`;
  if (installedVersion(dest) === version) return `${name}@${version}: present`;
  const work = mkdtempSync(join(tmpdir(), "lambda-natives-"));
  try {
    const packed = npm(["pack", `${name}@${version}`, "--pack-destination", work, "--json", "--silent"], work);
    if (packed.status !== 0) throw new Error(`npm pack ${name}@${version} failed: ${packed.stderr.trim()}`);
    const file = join(work, JSON.parse(packed.stdout)[0].filename);
    if (sri(file, integrity) !== integrity)
      throw new Error(`${name}@${version}: integrity differs from package-lock.json`);
    const unpack = join(work, "unpacked");
    mkdirSync(unpack);
    const tar = spawnSync("tar", ["-xzf", file, "-C", unpack, "--strip-components=1"], { encoding: "utf8" });
    if (tar.status !== 0) throw new Error(`tar: ${tar.stderr.trim()}`);
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(join(dest, ".."), { recursive: true });
    renameSync(unpack, dest);
    return `${name}@${version}: fetched (${integrity.slice(0, 20)}…)`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main() {
  if (process.env.LOCKDESK_SKIP_LAMBDA_NATIVES === "1") return;
  let failed = false;
  for (const arch of NODE_ARCHES) {
    for (const name of sharpNativePackages(arch)) {
      try {
        console.log(`lambda natives: ${fetchNative(name, arch)}`);
      } catch (e) {
        failed = true;
        console.error(`lambda natives: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  if (failed) {
    // Not fatal for the install (tests and the local stack need none of this); synth fails with this command.
    console.error("lambda natives: cdk synth will fail until this succeeds: npm run lambda:natives");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
