// Stateless: one Lambda per state, the state machine (loaded from THE ASL file), the S3 → EventBridge → Step
// Functions trigger and the alarms. Each function gets exactly the permissions its step needs.
import { ArnFormat, Duration, Stack, type StackProps } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cwActions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import {
  aslArnVariable,
  ENV,
  type LockdeskConfig,
  PIPELINE_FUNCTIONS,
  type PipelineFunctionName,
  PREFIXES,
  REFERENCE_TABLE_ENV,
  referenceTableKeys,
  TABLES,
} from "../config.ts";
import { lambdaArchitecture } from "../constructs/lambda-layers.ts";
import { acknowledge, acknowledgePattern } from "../constructs/nag.ts";
import { PipelineFunction, type PipelineFunctionProps, REPO_ROOT } from "../constructs/pipeline-function.ts";

import { accountEnvironment, personRegistryEnvironment, staffDirectoryEnvironment } from "./pipeline-environment.ts";
import { readFormPackaging } from "./read-form-packaging.ts";

// The configuration-dependent variables and ReadForm's packaging live beside the stack; re-exported for callers.
export { accountEnvironment, personRegistryEnvironment, staffDirectoryEnvironment } from "./pipeline-environment.ts";
export { READ_FORM_LAYER_MODULES, TEMPLATES_SOURCE } from "./read-form-packaging.ts";

export const ASL_FILE = `${REPO_ROOT}infra/state-machine/case.asl.json`;

export interface PipelineStackProps extends StackProps {
  config: LockdeskConfig;
  dataKey: kms.IKey;
  scansBucket: s3.IBucket;
  archiveBucket: s3.IBucket;
  referenceBucket: s3.IBucket;
  casesTable: dynamodb.ITable;
  accountsTable: dynamodb.ITable;
  /** The reference table (approved caregivers), when TABLES.reference is configured. */
  referenceTable?: dynamodb.ITable | undefined;
  /** SES identity (domain) and configuration set names: send-mail may send only through these. */
  mailIdentityName: string;
  mailConfigurationSetName: string;
}

const CASE_ITEM_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];

export class PipelineStack extends Stack {
  readonly functions: Record<PipelineFunctionName, PipelineFunction>;
  readonly stateMachine: sfn.StateMachine;
  readonly trigger: events.Rule;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config } = props;

    // Each function gets the variables its handler reads, nothing more (functions/*/handler.ts, shared/config/env.ts).
    const common: Record<string, string> = {
      [ENV.casesTable]: props.casesTable.tableName,
      [ENV.scansBucket]: props.scansBucket.bucketName,
      [ENV.logLevel]: config.logLevel,
      [ENV.serviceName]: "lockdesk",
    };
    const referenceTable = referenceTableKeys();
    // THE state machine's name is fixed so ReadForm can be given its ARN (it starts an execution per later document
    // of a batch file) without a dependency cycle (the state machine names ReadForm's ARN).
    const stateMachineName = `${this.stackName}-case`;
    const stateMachineArn = this.formatArn({
      service: "states",
      resource: "stateMachine",
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // ValidateCase checks against the reference data; ReadForm reads with it (as `lockdesk eval` measures).
    const referenceEnv: Record<string, string> = {
      [ENV.referenceBucket]: props.referenceBucket.bucketName,
      [ENV.personsKey]: config.personsKey,
      [ENV.caregiversKey]: config.caregiversKey,
      ...(referenceTable && props.referenceTable ? { [REFERENCE_TABLE_ENV]: props.referenceTable.tableName } : {}),
      ...personRegistryEnvironment(config),
    };
    const extraEnv: Partial<Record<PipelineFunctionName, Record<string, string>>> = {
      // ReadForm reads a hand-written VGR-ID and name against the staff directory (extraction/staff-read.ts).
      ReadForm: { ...referenceEnv, ...staffDirectoryEnvironment(config), STATE_MACHINE_ARN: stateMachineArn },
      ValidateCase: {
        ...referenceEnv,
        ...(config.fourEyesAllUnlocks ? { [ENV.fourEyesAllUnlocks]: "true" } : {}),
        ...staffDirectoryEnvironment(config),
      },
      ExecuteAction: accountEnvironment(config, props.accountsTable),
      SendMail: {
        [ENV.archiveBucket]: props.archiveBucket.bucketName,
        [ENV.mailFrom]: config.mailFrom,
        [ENV.sesConfigurationSet]: props.mailConfigurationSetName,
        // A letter to the citizen is addressed from the person registry (the registry extract, or the HTTP registry).
        [ENV.referenceBucket]: props.referenceBucket.bucketName,
        [ENV.personsKey]: config.personsKey,
        ...personRegistryEnvironment(config),
      },
      ArchiveScan: {
        [ENV.archiveBucket]: props.archiveBucket.bucketName,
        [ENV.archiveRetentionDays]: String(config.archiveRetentionDays),
      },
    };

    const make = (name: PipelineFunctionName, extra: Partial<PipelineFunctionProps> = {}): PipelineFunction => {
      const def = PIPELINE_FUNCTIONS[name];
      return new PipelineFunction(this, name, {
        entry: def.entry,
        memoryMb: def.memoryMb,
        timeoutSeconds: def.timeoutSeconds,
        logRetention: retentionDays(config.logRetentionDays),
        architecture: lambdaArchitecture(config.lambdaArch),
        ...extra,
        environment: { ...common, ...(extraEnv[name] ?? {}), ...(extra.environment ?? {}) },
      });
    };
    this.functions = {
      RegisterCase: make("RegisterCase"),
      // ReadForm runs the measured reader (OCR_ENGINE=local: tesseract.js + PP-OCR + the MNIST comb decoder, the
      // reader behind every accuracy figure) from its layers; `lockdesk:ocrEngine=textract` sends the page to
      // DetectDocumentText instead. See readFormPackaging below.
      ReadForm: make("ReadForm", readFormPackaging(this, config)),
      ValidateCase: make("ValidateCase"),
      ParkCase: make("ParkCase"),
      MarkFailed: make("MarkFailed"),
      ExecuteAction: make("ExecuteAction"),
      SendMail: make("SendMail"),
      ArchiveScan: make("ArchiveScan"),
    };
    const f = this.functions;

    // --- Least-privilege grants, written out (no grantReadWrite*: those add Scan/BatchWrite/Delete etc.). ---
    const casesArn = props.casesTable.tableArn;
    const caseItems = new iam.PolicyStatement({ actions: CASE_ITEM_ACTIONS, resources: [casesArn] });
    for (const fn of Object.values(f)) fn.role.addToPrincipalPolicy(caseItems);
    // ValidateCase looks up earlier cases of the same subject.
    f.ValidateCase.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:Query"],
        resources: [`${casesArn}/index/${TABLES.cases.gsiBySubject}`],
      }),
    );
    const incomingObjects = props.scansBucket.arnForObjects(`${PREFIXES.incoming}*`);
    const readIncoming = new iam.PolicyStatement({
      actions: ["s3:GetObject", "s3:GetObjectVersion"],
      resources: [incomingObjects],
    });
    // RegisterCase reads the object's metadata (receipt date, file name); ReadForm reads the bytes.
    f.RegisterCase.role.addToPrincipalPolicy(readIncoming);
    f.ReadForm.role.addToPrincipalPolicy(readIncoming);
    // ExecuteAction and SendMail compare the object with the case's sha256 before acting or mailing.
    f.ExecuteAction.role.addToPrincipalPolicy(readIncoming);
    f.SendMail.role.addToPrincipalPolicy(readIncoming);
    if (config.ocrEngine === "textract" || config.textractSecondOpinion) {
      f.ReadForm.role.addToPrincipalPolicy(
        // DetectDocumentText supports no resource-level permissions.
        new iam.PolicyStatement({ actions: ["textract:DetectDocumentText"], resources: ["*"] }),
      );
    }
    const readReference = new iam.PolicyStatement({
      actions: ["s3:GetObject", "s3:GetObjectVersion"],
      resources: [props.referenceBucket.arnForObjects(`${PREFIXES.reference}*`)],
    });
    f.ValidateCase.role.addToPrincipalPolicy(readReference);
    f.ReadForm.role.addToPrincipalPolicy(readReference);
    // ReadForm starts THE state machine for each later document of a batch file (and nothing else).
    f.ReadForm.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["states:StartExecution"], resources: [stateMachineArn] }),
    );
    if (config.accountMode === "SIMULATED") {
      f.ExecuteAction.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: CASE_ITEM_ACTIONS, resources: [props.accountsTable.tableArn] }),
      );
    }
    if (config.accountMode === "HTTP" && config.accountServiceSecretId) {
      // The staff tool's credentials: read this one secret, nothing else in Secrets Manager.
      f.ExecuteAction.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["secretsmanager:GetSecretValue"],
          resources: [secretResourceArn(this, "AccountServiceSecret", config.accountServiceSecretId)],
        }),
      );
    }
    if (config.personRegistry) {
      // The person registry's credential: ValidateCase and SendMail (letter addresses) read this one secret only.
      const registrySecret = new iam.PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [secretResourceArn(this, "PersonRegistrySecret", config.personRegistry.secretId)],
      });
      f.ValidateCase.role.addToPrincipalPolicy(registrySecret);
      f.SendMail.role.addToPrincipalPolicy(registrySecret);
      f.ReadForm.role.addToPrincipalPolicy(registrySecret);
    }
    // SendMail reads the registry extract (one object, not the prefix) for a letter's postal address.
    f.SendMail.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: [props.referenceBucket.arnForObjects(config.personsKey)],
      }),
    );
    if (config.staffDirectory) {
      // The staff directory's credential: ValidateCase and ReadForm read this one secret, nothing else.
      const staffSecret = new iam.PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [secretResourceArn(this, "StaffDirectorySecret", config.staffDirectory.secretId)],
      });
      f.ValidateCase.role.addToPrincipalPolicy(staffSecret);
      f.ReadForm.role.addToPrincipalPolicy(staffSecret);
    }
    if (referenceTable && props.referenceTable) {
      // The reference data (approved caregivers, managed by admins in the API): validation and reading only read it.
      const readReferenceTable = new iam.PolicyStatement({
        actions: ["dynamodb:GetItem", "dynamodb:Query"],
        resources: [props.referenceTable.tableArn],
      });
      f.ValidateCase.role.addToPrincipalPolicy(readReferenceTable);
      f.ReadForm.role.addToPrincipalPolicy(readReferenceTable);
    }
    f.SendMail.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["ses:SendEmail"],
        resources: [
          this.formatArn({ service: "ses", resource: "identity", resourceName: props.mailIdentityName }),
          this.formatArn({
            service: "ses",
            resource: "configuration-set",
            resourceName: props.mailConfigurationSetName,
          }),
        ],
      }),
    );
    // ArchiveScan: copy incoming/<key> to archive/<year>/<caseId>/, read the copy back to verify its sha256, then
    // delete the original from the inbox. SendMail writes a PDF letter there when a form has no e-mail address.
    // Object Lock default retention (governance) applies to every new object: no s3:PutObjectRetention needed.
    const archiveObjects = props.archiveBucket.arnForObjects(`${PREFIXES.archive}*`);
    f.ArchiveScan.role.addToPrincipalPolicy(readIncoming);
    f.ArchiveScan.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:DeleteObject"], resources: [incomingObjects] }),
    );
    f.ArchiveScan.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:PutObject", "s3:GetObject"], resources: [archiveObjects] }),
    );
    f.SendMail.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:PutObject"], resources: [archiveObjects] }),
    );
    // KMS: the data key encrypts buckets and tables. Readers decrypt; writers also generate data keys.
    // Every function writes the case item (a CMK-encrypted table), so every one needs both, on this key only.
    for (const fn of Object.values(f)) props.dataKey.grant(fn.role, "kms:Decrypt", "kms:GenerateDataKey");

    for (const [name, fn] of Object.entries(f)) {
      acknowledgePattern(
        fn.role,
        "AwsSolutions-IAM5",
        /^Resource::.*\/(incoming|reference|archive)\/\*$/,
        `${name}: object access is limited to one bucket prefix (incoming/, reference/ or archive/); object keys are not known in advance.`,
      );
    }

    // --- The state machine: THE ASL file, with the function ARNs substituted. ---
    const smLogs = new logs.LogGroup(this, "StateMachineLogs", {
      retention: retentionDays(config.logRetentionDays),
    });
    const substitutions: Record<string, string> = {};
    for (const [name, fn] of Object.entries(f) as Array<[PipelineFunctionName, PipelineFunction]>) {
      substitutions[aslArnVariable(name)] = fn.fn.functionArn;
    }
    this.stateMachine = new sfn.StateMachine(this, "CaseStateMachine", {
      stateMachineName,
      definitionBody: sfn.DefinitionBody.fromFile(ASL_FILE),
      definitionSubstitutions: substitutions,
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      // ALL levels, but never the execution data: inputs/outputs are case ids, errors may carry personal data.
      logs: { destination: smLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
      timeout: Duration.minutes(30),
    });
    // The ASL invokes the unqualified function ARNs: no versions/aliases (grantInvoke would add "<arn>:*").
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["lambda:InvokeFunction"],
        resources: Object.values(f).map((fn) => fn.fn.functionArn),
      }),
    );
    acknowledge(
      this.stateMachine,
      "CloudWatch Logs delivery (logs:CreateLogDelivery etc.) and X-Ray (PutTraceSegments, GetSamplingRules) support no resource-level permissions; CDK adds them for logging and tracing.",
      "AwsSolutions-IAM5[Resource::*]",
    );
    // --- Trigger: S3 Object Created in incoming/ → StartExecution. ---
    // Idempotency: EventBridge → Step Functions cannot set the execution name (so it cannot dedupe), and
    // EventBridge delivers at least once. RegisterCase therefore does a conditional create keyed by
    // bucket + key + versionId; a duplicate delivery finds the case and ends with route DONE.
    const triggerDlq = new sqs.Queue(this, "TriggerDeadLetters", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      triggerDlq,
      "This queue is itself the dead-letter queue of the EventBridge trigger.",
      "AwsSolutions-SQS3",
    );
    this.trigger = new events.Rule(this, "ScanArrived", {
      description: "A scan landed in incoming/: start the case state machine",
      eventPattern: {
        source: ["aws.s3"],
        detailType: ["Object Created"],
        detail: {
          bucket: { name: [props.scansBucket.bucketName] },
          object: { key: [{ prefix: PREFIXES.incoming }] },
        },
      },
    });
    this.trigger.addTarget(
      new targets.SfnStateMachine(this.stateMachine, {
        input: events.RuleTargetInput.fromObject({
          scan: {
            bucket: events.EventField.fromPath("$.detail.bucket.name"),
            key: events.EventField.fromPath("$.detail.object.key"),
            versionId: events.EventField.fromPath("$.detail.object.version-id"),
            etag: events.EventField.fromPath("$.detail.object.etag"),
            size: events.EventField.fromPath("$.detail.object.size"),
            eventTime: events.EventField.fromPath("$.time"),
          },
        }),
        deadLetterQueue: triggerDlq,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
    );

    // --- Alarms → an SNS topic for the operators. ---
    const alarmTopic = new sns.Topic(this, "Alarms", {
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, "SnsManagedKey", "alias/aws/sns"),
    });
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(new cwActions.SnsAction(alarmTopic));
      return a;
    };
    alarm(
      "ExecutionsFailedAlarm",
      this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: "Sum" }),
      "A case execution failed: the case is FAILED and a handler must look at it.",
    );
    alarm(
      "ReadFormErrorsAlarm",
      f.ReadForm.fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
      "read-form raised errors (OCR throttling, unreadable scans or bugs).",
    );
    alarm(
      "TriggerDeadLettersAlarm",
      triggerDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: "Maximum" }),
      "A scan arrived but its execution could not be started.",
    );
  }
}

function retentionDays(days: number): logs.RetentionDays {
  // RetentionDays values are the day counts CloudWatch accepts; take the smallest allowed one >= days.
  const allowed = Object.values(logs.RetentionDays)
    .filter((v): v is logs.RetentionDays => typeof v === "number" && v > 0)
    .sort((a, b) => a - b);
  return allowed.find((v) => v >= days) ?? logs.RetentionDays.TEN_YEARS;
}

/**
 * The IAM resource of a secret given by complete ARN (used as it is) or by name: Secrets Manager appends a random
 * 6-character suffix to the name, so the policy matches exactly `<name>-??????`.
 */
export function secretResourceArn(scope: Construct, constructId: string, idOrArn: string): string {
  if (idOrArn.startsWith("arn:")) return idOrArn;
  const secret = secretsmanager.Secret.fromSecretNameV2(scope, constructId, idOrArn);
  return `${secret.secretArn}-??????`;
}
