// A pipeline Lambda with our defaults: Node 22 on arm64, ESM bundle built by the local esbuild (no Docker),
// its own log group with retention, X-Ray tracing, JSON logs, and a role that starts empty: every permission
// is added explicitly by the stack (least privilege; no AWSLambdaBasicExecutionRole with logs:* on "*").
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { type BundlingOptions, NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { acknowledge } from "./nag.ts";

/** The repository root (infra/constructs/ → ../../). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * esbuild settings of every lockdesk Lambda: local bundling (no Docker), ESM for Node 22, minified but keeping
 * class names (Step Functions matches Retry/Catch on the error name, which our errors take from their class,
 * shared/domain/errors.ts: new.target.name), the AWS SDK v3 from the runtime.
 */
export function lambdaBundling(externalModules: string[], extra: Partial<BundlingOptions> = {}): BundlingOptions {
  return {
    forceDockerBundling: false,
    format: OutputFormat.ESM,
    target: "node22",
    minify: true,
    keepNames: true,
    sourceMap: true,
    externalModules: ["@aws-sdk/*", ...externalModules],
    // ESM bundles that contain CommonJS dependencies need `require`.
    banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    ...extra,
  };
}

export interface PipelineFunctionProps {
  /** Entry file relative to the repository root; it exports `handler`. */
  entry: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  /** Modules left out of the bundle (provided by the runtime or a layer). */
  externalModules?: string[];
  layers?: lambda.ILayerVersion[];
  /** Default arm64. */
  architecture?: lambda.Architecture;
  /** esbuild hooks, e.g. copying data files beside the bundle (local bundling runs them in a shell). */
  commandHooks?: BundlingOptions["commandHooks"];
}

export class PipelineFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const entry = `${REPO_ROOT}${props.entry}`;
    if (!existsSync(entry)) {
      throw new Error(`PipelineFunction ${id}: entry ${props.entry} does not exist`);
    }
    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention,
      // Logs hold case ids only (never personal data); they go with the stateless stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `lockdesk ${id}: least-privilege execution role`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        // The log group's Arn attribute ends in ":*", which already covers its streams.
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, "Function", {
      entry,
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      environment: { NODE_OPTIONS: "--enable-source-maps", ...props.environment },
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      ...(props.layers ? { layers: props.layers } : {}),
      bundling: lambdaBundling(
        props.externalModules ?? [],
        props.commandHooks ? { commandHooks: props.commandHooks } : {},
      ),
    });
    acknowledge(
      this.role,
      "X-Ray PutTraceSegments/PutTelemetryRecords (and, for read-form with Textract, textract:DetectDocumentText) support no resource-level permissions.",
      "AwsSolutions-IAM5[Resource::*]",
    );
    acknowledge(
      this.fn,
      "Node.js 22 is the project's pinned runtime (package.json engines, tested locally on Node 22); upgrade deliberately, not by lint.",
      "AwsSolutions-L1",
    );
  }
}
