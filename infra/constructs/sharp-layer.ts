// sharp for Lambda: its native binary must match the Lambda platform (linux-arm64, glibc), not the build
// machine, so it comes from a layer built by a separate, networked step (`npm run build:sharp-layer`, see
// scripts/build-sharp-layer.mjs) into infra/layers/sharp (gitignored). Synth must work offline without it: then
// no layer is attached and a warning says so (deploying then gives functions that fail on image decoding).
// ONE layer per stack, shared by every function in it that declares sharp external.
import { existsSync } from "node:fs";
import { Annotations, Stack } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { REPO_ROOT } from "./pipeline-function.ts";

/** The layer's root: the layer zip holds `nodejs/node_modules/sharp` (Lambda adds /opt/nodejs/node_modules to the path). */
export const SHARP_LAYER_DIR = `${REPO_ROOT}infra/layers/sharp`;
export const SHARP_LAYER_WARNING_ID = "lockdesk:sharp-layer";
const ID = "SharpLayer";

export function sharpLayerBuilt(dir: string = SHARP_LAYER_DIR): boolean {
  return existsSync(`${dir}/nodejs/node_modules/sharp/package.json`);
}

export interface SharpLayerProps {
  /** What needs sharp (for the warning): "read-form image decoding". */
  purpose: string;
  /** The layer directory; tests only. */
  dir?: string;
}

/**
 * The sharp layer when it has been built, else nothing and a synth warning. Use `SharpLayer.of(scope, ...)`: one
 * layer per stack, shared by every function in it that declares sharp external.
 */
export class SharpLayer extends Construct {
  readonly layer: lambda.LayerVersion | undefined;

  static of(scope: Construct, props: SharpLayerProps): SharpLayer {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof SharpLayer ? existing : new SharpLayer(stack, ID, props);
  }

  constructor(scope: Construct, id: string, props: SharpLayerProps) {
    super(scope, id);
    const dir = props.dir ?? SHARP_LAYER_DIR;
    if (!sharpLayerBuilt(dir)) {
      Annotations.of(this).addWarningV2(
        SHARP_LAYER_WARNING_ID,
        `No sharp layer in ${dir}: ${props.purpose} will fail on AWS until it is built (npm run build:sharp-layer, needs the network); then synth again.`,
      );
      this.layer = undefined;
      return;
    }
    this.layer = new lambda.LayerVersion(this, "Layer", {
      code: lambda.Code.fromAsset(dir),
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      description: "sharp (linux-arm64, glibc), built by npm run build:sharp-layer",
    });
  }

  /** For a function's `layers`: the layer, or an empty list when it has not been built. */
  get layers(): lambda.ILayerVersion[] {
    return this.layer ? [this.layer] : [];
  }
}
