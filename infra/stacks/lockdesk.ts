// Composition of the lockdesk stacks: used by infra/app.ts and by the infra tests (same wiring, no drift).
import type { App } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type { LockdeskConfig } from "../config.ts";
import { ApiStack } from "./api-stack.ts";
import { MailStack } from "./mail-stack.ts";
import { PipelineStack } from "./pipeline-stack.ts";
import { StorageStack } from "./storage-stack.ts";

export interface LockdeskStacks {
  storage: StorageStack;
  mail: MailStack;
  pipeline: PipelineStack;
  api: ApiStack;
}

export function createLockdeskStacks(app: App, config: LockdeskConfig): LockdeskStacks {
  // Region from context (default eu-north-1); the account stays unresolved unless given, so synth needs no
  // credentials. Deploy with `-c lockdesk:account=...` or CDK_DEFAULT_ACCOUNT resolved by the CLI.
  const env = { region: config.region, ...(config.account ? { account: config.account } : {}) };
  const p = config.prefix;
  const storage = new StorageStack(app, `${p}-storage`, {
    env,
    config,
    description: "lockdesk stateful: scans, archive, reference data, case/audit/account tables",
    terminationProtection: true,
  });
  const mail = new MailStack(app, `${p}-mail`, {
    env,
    config,
    description: "lockdesk SES identity and configuration set",
  });
  const pipeline = new PipelineStack(app, `${p}-pipeline`, {
    env,
    config,
    description: "lockdesk stateless: pipeline functions, case state machine, trigger, alarms",
    dataKey: storage.dataKey,
    scansBucket: storage.scansBucket as s3.IBucket,
    archiveBucket: storage.archiveBucket as s3.IBucket,
    referenceBucket: storage.referenceBucket as s3.IBucket,
    casesTable: storage.casesTable as dynamodb.ITable,
    accountsTable: storage.accountsTable as dynamodb.ITable,
    referenceTable: storage.referenceTable as dynamodb.ITable | undefined,
    mailIdentityName: mail.identityName,
    mailConfigurationSetName: mail.configurationSet.configurationSetName,
  });
  pipeline.addStackDependency(storage);
  pipeline.addStackDependency(mail);
  const api = new ApiStack(app, `${p}-api`, {
    env,
    config,
    description: "lockdesk case API: Cognito user pool, HTTP API with JWT authorizer, API/UI function",
    dataKey: storage.dataKey,
    scansBucket: storage.scansBucket as s3.IBucket,
    casesTable: storage.casesTable as dynamodb.ITable,
    auditTable: storage.auditTable as dynamodb.ITable,
    referenceTable: storage.referenceTable as dynamodb.ITable | undefined,
    stateMachine: pipeline.stateMachine,
    archiveBucket: storage.archiveBucket as s3.IBucket,
    referenceBucket: storage.referenceBucket as s3.IBucket,
  });
  api.addStackDependency(storage);
  api.addStackDependency(pipeline);
  return { storage, mail, pipeline, api };
}
