// The CDK stacks: bucket/table settings, per-function least privilege, the trigger, alarms and cdk-nag.
// Synthesizes once (real esbuild bundling, no Docker) in beforeAll.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CfnElement } from "aws-cdk-lib";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CDK_CONTEXT,
  loadConfig,
  PIPELINE_FUNCTIONS,
  type PipelineFunctionName,
  referenceTableKeys,
  TABLES,
} from "../../infra/config.ts";
import { LockdeskChecks } from "../../infra/constructs/nag.ts";
import { createLockdeskStacks, type LockdeskStacks } from "../../infra/stacks/lockdesk.ts";
import { ASL_FILE } from "../../infra/stacks/pipeline-stack.ts";

let stacks: LockdeskStacks;
let storage: Template;
let pipeline: Template;
let mail: Template;
let app: App;
const config = loadConfig(() => undefined);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

beforeAll(() => {
  app = new App({ context: CDK_CONTEXT });
  stacks = createLockdeskStacks(app, config);
  storage = Template.fromStack(stacks.storage);
  pipeline = Template.fromStack(stacks.pipeline);
  mail = Template.fromStack(stacks.mail);
});

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The statements of a function role's policy (its DefaultPolicy), actions flattened. */
function statementsOf(name: PipelineFunctionName): Statement[] {
  const role = stacks.pipeline.functions[name].role;
  const policyId = logicalId(role.node.findChild("DefaultPolicy"));
  const policy = pipeline.toJSON().Resources[policyId];
  expect(policy, `policy of ${name}`).toBeDefined();
  return policy.Properties.PolicyDocument.Statement as Statement[];
}
function actionsOf(name: PipelineFunctionName): string[] {
  return statementsOf(name).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}
function resourcesFor(name: PipelineFunctionName, action: string): string[] {
  return statementsOf(name)
    .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
    .map((r) => JSON.stringify(r));
}
const NAMES = Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[];

describe("storage stack", () => {
  it("scans bucket: browsers may POST presigned upload forms (CORS: POST only)", () => {
    const bucket = storage.toJSON().Resources[logicalId(stacks.storage.scansBucket)];
    expect(bucket.Properties.CorsConfiguration).toEqual({
      CorsRules: [
        {
          AllowedMethods: ["POST"],
          AllowedOrigins: ["*"],
          AllowedHeaders: ["content-type"],
          MaxAge: 3600,
        },
      ],
    });
  });

  it("scans bucket: KMS, versioned, public access blocked, access logs, EventBridge notifications", () => {
    const scansId = logicalId(stacks.storage.scansBucket);
    const bucket = storage.toJSON().Resources[scansId];
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" }, BucketKeyEnabled: true },
        ],
      },
      VersioningConfiguration: { Status: "Enabled" },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stacks.storage.accessLogsBucket) } },
    });
    expect(bucket.DeletionPolicy).toBe("Retain");
    storage.hasResourceProperties("Custom::S3BucketNotifications", {
      BucketName: { Ref: scansId },
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });

  it("archive bucket: Object Lock governance with the configured default retention, lifecycle to Glacier IR", () => {
    storage.hasResourceProperties("AWS::S3::Bucket", {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: "Enabled",
        Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: config.archiveRetentionDays } },
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Transitions: [{ StorageClass: "GLACIER_IR", TransitionInDays: config.archiveTransitionDays }],
          }),
        ]),
      },
      BucketEncryption: Match.anyValue(),
      LoggingConfiguration: Match.anyValue(),
    });
  });

  it("every bucket denies non-TLS access and blocks public access", () => {
    const buckets = storage.findResources("AWS::S3::Bucket");
    expect(Object.keys(buckets)).toHaveLength(4);
    for (const [id, b] of Object.entries(buckets)) {
      expect(b.Properties.PublicAccessBlockConfiguration, id).toMatchObject({ BlockPublicAcls: true });
      expect(b.Properties.VersioningConfiguration, id).toEqual({ Status: "Enabled" });
      storage.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      });
    }
  });

  it("cases table: caseId key, on demand, PITR, KMS, GSIs byStatus and bySubject (oldest first by receivedAt)", () => {
    const C = TABLES.cases;
    storage.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [{ AttributeName: C.pk, KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: "KMS" },
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: C.gsiByStatus,
          KeySchema: [
            { AttributeName: C.gsiByStatusPk, KeyType: "HASH" },
            { AttributeName: C.gsiByStatusSk, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        }),
        Match.objectLike({
          IndexName: C.gsiBySubject,
          KeySchema: [
            { AttributeName: C.gsiBySubjectPk, KeyType: "HASH" },
            { AttributeName: C.gsiBySubjectSk, KeyType: "RANGE" },
          ],
        }),
      ]),
    });
  });

  it("audit table (caseId + sk, GSI byUser) and accounts table, both with PITR", () => {
    const A = TABLES.audit;
    storage.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [
        { AttributeName: A.pk, KeyType: "HASH" },
        { AttributeName: A.sk, KeyType: "RANGE" },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: A.gsiByUser })],
    });
    storage.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [{ AttributeName: TABLES.accounts.pk, KeyType: "HASH" }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    // + the reference table when TABLES.reference is configured (test/infra/pipeline-wiring.test.ts).
    storage.resourceCountIs("AWS::DynamoDB::Table", referenceTableKeys() ? 4 : 3);
  });

  it("the data key rotates", () => {
    storage.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });
});

describe("mail stack", () => {
  it("a domain identity using a TLS-only configuration set", () => {
    mail.hasResourceProperties("AWS::SES::EmailIdentity", { EmailIdentity: config.mailFromDomain });
    mail.hasResourceProperties("AWS::SES::ConfigurationSet", { DeliveryOptions: { TlsPolicy: "REQUIRE" } });
  });
});

describe("pipeline stack: functions", () => {
  it.each(NAMES)("%s: Node 22 on arm64, traced, JSON logs to its own log group, memory from config", (name) => {
    const fn = stacks.pipeline.functions[name];
    const props = pipeline.toJSON().Resources[logicalId(fn.fn)].Properties;
    expect(props).toMatchObject({
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      MemorySize: PIPELINE_FUNCTIONS[name].memoryMb,
      TracingConfig: { Mode: "Active" },
      LoggingConfig: { LogFormat: "JSON", LogGroup: { Ref: logicalId(fn.logGroup) } },
      Role: { "Fn::GetAtt": [logicalId(fn.role), "Arn"] },
    });
    expect(Object.keys(props.Environment.Variables)).toEqual(
      expect.arrayContaining(["CASES_TABLE", "SCANS_BUCKET", "POWERTOOLS_LOG_LEVEL", "POWERTOOLS_SERVICE_NAME"]),
    );
    pipeline.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: config.logRetentionDays });
  });

  it("read-form has 1769 MB (one full vCPU), the others 256 MB", () => {
    expect(PIPELINE_FUNCTIONS.ReadForm.memoryMb).toBe(1769);
    for (const name of NAMES.filter((n) => n !== "ReadForm")) expect(PIPELINE_FUNCTIONS[name].memoryMb).toBe(256);
  });

  it.each(NAMES)("%s: no wildcard actions, no managed policies, case table item access only", (name) => {
    const actions = actionsOf(name);
    for (const a of actions) expect(a, `${name}: ${a}`).not.toMatch(/\*/);
    expect(actions).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]));
    expect(actions).not.toContain("dynamodb:Scan");
    expect(actions).not.toContain("dynamodb:DeleteItem");
    const role = pipeline.toJSON().Resources[logicalId(stacks.pipeline.functions[name].role)];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("with the local reader (default) no function calls Textract; only send-mail sends mail; only archive-scan deletes; writers are archive-scan and send-mail", () => {
    expect(config.ocrEngine).toBe("local");
    for (const name of NAMES) {
      const actions = actionsOf(name);
      expect(actions.includes("textract:DetectDocumentText"), name).toBe(false);
      expect(actions.includes("ses:SendEmail"), name).toBe(name === "SendMail");
      expect(actions.includes("s3:PutObject"), name).toBe(name === "ArchiveScan" || name === "SendMail");
      expect(actions.includes("s3:DeleteObject"), name).toBe(name === "ArchiveScan");
    }
  });

  it.each([
    ["lockdesk:ocrEngine", "textract"],
    ["lockdesk:textractSecondOpinion", "true"],
  ])("with %s=%s only read-form may call Textract", (key, value) => {
    const other = new App({ context: { ...CDK_CONTEXT, "aws:cdk:bundling-stacks": [] } });
    const cfg = loadConfig((k) => (k === key ? value : undefined));
    const t = Template.fromStack(createLockdeskStacks(other, cfg).pipeline).toJSON();
    type Resource = {
      Type: string;
      Properties: { PolicyDocument?: unknown; Roles?: unknown; Environment?: { Variables?: Record<string, string> } };
    };
    const withTextract = Object.entries(t.Resources as Record<string, Resource>)
      .filter(([, r]) => r.Type === "AWS::IAM::Policy")
      .filter(([, r]) => JSON.stringify(r.Properties.PolicyDocument).includes("textract:DetectDocumentText"))
      .map(([, r]) => JSON.stringify(r.Properties.Roles));
    expect(withTextract).toHaveLength(1);
    expect(withTextract[0]).toMatch(/ReadForm/);
    const env = Object.values(t.Resources as Record<string, Resource>).find(
      (r) => r.Type === "AWS::Lambda::Function" && r.Properties.Environment?.Variables?.OCR_ENGINE,
    )?.Properties.Environment?.Variables;
    expect(env?.OCR_ENGINE).toBe(key === "lockdesk:ocrEngine" ? "textract" : "local");
    expect(env?.TEXTRACT_SECOND_OPINION === "1").toBe(key === "lockdesk:textractSecondOpinion");
  });

  it("read-form reads only incoming/* of the scans bucket and reference/* of the reference bucket", () => {
    // The reference data (caregiver list, registry extract): the reader reads with it, as `lockdesk eval` does.
    const resources = resourcesFor("ReadForm", "s3:GetObject");
    expect(resources).toHaveLength(2);
    expect(resources.filter((r) => /Scans.*\/incoming\/\*/.test(r))).toHaveLength(1);
    expect(resources.filter((r) => /Reference.*\/reference\/\*/.test(r))).toHaveLength(1);
  });

  it("send-mail may send only through the lockdesk identity and configuration set", () => {
    const resources = resourcesFor("SendMail", "ses:SendEmail");
    expect(resources).toHaveLength(2);
    expect(resources.join(" ")).toContain(`identity/${config.mailFromDomain}`);
    expect(resources.join(" ")).toContain("configuration-set/");
  });

  it("archive-scan and send-mail write only archive/* of the archive bucket; archive-scan deletes only incoming/*", () => {
    for (const name of ["ArchiveScan", "SendMail"] as const) {
      const resources = resourcesFor(name, "s3:PutObject");
      expect(resources, name).toHaveLength(1);
      expect(resources[0], name).toMatch(/Archive.*\/archive\/\*/);
    }
    const deletes = resourcesFor("ArchiveScan", "s3:DeleteObject");
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toMatch(/Scans.*\/incoming\/\*/);
  });

  it("account mode MANUAL (the default on AWS): no function touches the accounts table", () => {
    expect(config.accountMode).toBe("MANUAL");
    for (const name of NAMES) {
      const touches = JSON.stringify(statementsOf(name)).includes("ExportsOutputFnGetAttAccounts");
      expect(touches, name).toBe(false);
    }
  });
});

describe("pipeline stack: state machine, trigger, alarms", () => {
  it("loads THE ASL file and substitutes every function ARN variable it uses", () => {
    const asl = readFileSync(ASL_FILE, "utf8");
    const variables = [...new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))].sort();
    const sm = Object.values(pipeline.findResources("AWS::StepFunctions::StateMachine"))[0];
    // DefinitionBody.fromFile ships the file as an asset: the deployed definition is byte-for-byte THE file.
    const key: string = sm?.Properties.DefinitionS3Location.Key;
    expect(readFileSync(join(app.outdir, `asset.${key}`), "utf8")).toBe(asl);
    expect(Object.keys(sm?.Properties.DefinitionSubstitutions).sort()).toEqual(variables);
    expect(sm?.Properties).toMatchObject({
      StateMachineType: "STANDARD",
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: "ALL", IncludeExecutionData: false },
    });
  });

  it("the state machine may invoke exactly the pipeline functions (unqualified ARNs)", () => {
    const policies = pipeline.findResources("AWS::IAM::Policy", {
      Properties: { Roles: [{ Ref: logicalId(stacks.pipeline.stateMachine.role) }] },
    });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    const invoke = statements.filter((s) => s.Action === "lambda:InvokeFunction");
    const resources = invoke.flatMap((s) => s.Resource as unknown[]);
    expect(resources).toHaveLength(NAMES.length);
    for (const r of resources) expect(JSON.stringify(r)).toMatch(/^\{"Fn::GetAtt":\["\w+Function\w+","Arn"\]\}$/);
  });

  it("S3 Object Created under incoming/ starts an execution with {scan:{bucket,key,versionId,etag,size,eventTime}}", () => {
    pipeline.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.s3"],
        "detail-type": ["Object Created"],
        detail: { object: { key: [{ prefix: "incoming/" }] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { Ref: logicalId(stacks.pipeline.stateMachine) },
          DeadLetterConfig: Match.anyValue(),
          InputTransformer: {
            InputPathsMap: {
              "detail-bucket-name": "$.detail.bucket.name",
              "detail-object-key": "$.detail.object.key",
              "detail-object-version-id": "$.detail.object.version-id",
              "detail-object-etag": "$.detail.object.etag",
              "detail-object-size": "$.detail.object.size",
              time: "$.time",
            },
            InputTemplate:
              '{"scan":{"bucket":<detail-bucket-name>,"key":<detail-object-key>,"versionId":<detail-object-version-id>,"etag":<detail-object-etag>,"size":<detail-object-size>,"eventTime":<time>}}',
          },
        }),
      ],
    });
  });

  it("alarms on failed executions and on read-form errors", () => {
    pipeline.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ExecutionsFailed",
      Namespace: "AWS/States",
      AlarmActions: Match.anyValue(),
    });
    pipeline.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Errors",
      Namespace: "AWS/Lambda",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: logicalId(stacks.pipeline.functions.ReadForm.fn) } }],
    });
  });
});

describe("cdk-nag (AwsSolutions)", () => {
  it("reports no unacknowledged errors or warnings", () => {
    const report = new LockdeskChecks(app).validateScope(app);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(", ")}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("every acknowledgment carries a written reason", () => {
    const acknowledged: Array<[string, string]> = [];
    for (const c of app.node.findAll()) {
      for (const entry of c.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
          acknowledged.push([id, reason]);
      }
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) expect(reason.trim().length, id).toBeGreaterThanOrEqual(20);
  });
});
