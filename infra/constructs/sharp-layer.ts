// sharp for Lambda: its native binary must match the Lambda platform (linux-<arch>, glibc), not the build machine.
// The layer is assembled at synth from node_modules (lambda-layers.ts): sharp's JavaScript and the target's
// platform packages, which `npm ci` fetched from the npm registry for both Lambda architectures
// (scripts/fetch-lambda-natives.mjs). Synth stays offline and FAILS when they are missing: a function without its
// sharp would fail on its first image. ONE layer per stack, shared by every function in it that declares sharp
// external. The architecture is `lockdesk:lambdaArch` (arm64 | x86_64, default arm64).
import { Stack } from "aws-cdk-lib";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { type LambdaArch, NATIVES_HINT, nodeModulesLayer, sharpPackages } from "./lambda-layers.ts";

const ID = "SharpLayer";

export interface SharpLayerProps {
  /** What needs sharp (for the error): "read-form image decoding". */
  purpose: string;
  /** The Lambda architecture; default: the `lockdesk:lambdaArch` context, else arm64. */
  arch?: LambdaArch;
}

/** The Lambda architecture chosen by `-c lockdesk:lambdaArch=x86_64|arm64` (default arm64). */
export function contextArch(scope: Construct): LambdaArch {
  const v = scope.node.tryGetContext("lockdesk:lambdaArch");
  if (v === undefined || v === null || v === "") return "arm64";
  if (v === "arm64" || v === "x86_64") return v;
  throw new Error(`lockdesk:lambdaArch must be arm64 or x86_64, not ${String(v)}`);
}

/** The sharp layer of a stack. Use `SharpLayer.of(scope, ...)`: one per stack, shared. */
export class SharpLayer extends Construct {
  readonly layer: lambda.LayerVersion;
  readonly arch: LambdaArch;

  static of(scope: Construct, props: SharpLayerProps): SharpLayer {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof SharpLayer ? existing : new SharpLayer(stack, ID, props);
  }

  constructor(scope: Construct, id: string, props: SharpLayerProps) {
    super(scope, id);
    this.arch = props.arch ?? contextArch(this);
    this.layer = nodeModulesLayer(this, "Layer", {
      arch: this.arch,
      packages: sharpPackages(this.arch),
      description: `sharp (linux-${this.arch}, glibc) from node_modules`,
      hint: `${props.purpose} needs it. ${NATIVES_HINT}`,
    });
  }

  /** For a function's `layers`. */
  get layers(): lambda.ILayerVersion[] {
    return [this.layer];
  }
}
