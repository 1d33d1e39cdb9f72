// Synthesizes the pipeline's Lambda assets (bundled functions and their layers) into a folder, in process, as
// `npx cdk synth -c lockdesk:lambdaArch=<arch> -o DIR` does for the pipeline stack — for the tests and
// bench:lambda, which run or inspect exactly what would be deployed. Only the pipeline stack is bundled.
import { App } from "aws-cdk-lib";
import { CDK_CONTEXT, loadConfig } from "./config.ts";
import type { LambdaArch } from "./constructs/lambda-layers.ts";
import { createLockdeskStacks } from "./stacks/lockdesk.ts";

export function synthLambdaAssets(outdir: string, arch: LambdaArch, context: Record<string, string> = {}): string {
  const ctx: Record<string, unknown> = { "lockdesk:lambdaArch": arch, ...context };
  const config = loadConfig((key) => ctx[key]);
  const app = new App({
    outdir,
    context: {
      ...CDK_CONTEXT,
      ...ctx,
      "aws:cdk:bundling-stacks": [`${config.prefix}-pipeline`],
      // As the CDK CLI sets them: the templates name each resource's construct path and asset folder.
      "aws:cdk:enable-path-metadata": true,
      "aws:cdk:enable-asset-metadata": true,
    },
  });
  createLockdeskStacks(app, config);
  app.synth();
  return outdir;
}
