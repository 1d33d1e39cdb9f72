// Deployment configuration and the shared names (table keys, environment variable names) that the
// CDK stacks, the DynamoDB adapter and the Lambda handlers must agree on. No AWS SDK or CDK imports here:
// adapters and handlers import this file too, and it must stay cheap to bundle.

/**
 * DynamoDB key schema. The cases table is keyed by caseId alone (one item per case: the case record is small
 * and always read whole). GSIs project ALL so list views need no second read.
 */
export const TABLES = {
  cases: {
    pk: "caseId",
    /** GSI: cases by status, oldest first (the handlers' work queue). */
    gsiByStatus: "byStatus",
    gsiByStatusPk: "status",
    gsiByStatusSk: "receivedAt",
    /** GSI: cases by the subject's personnummer (sparse: only cases whose subject was read). */
    gsiBySubject: "bySubject",
    gsiBySubjectPk: "subjectPersonnummer",
    gsiBySubjectSk: "receivedAt",
    /**
     * Idempotency of scan deliveries: EventBridge → Step Functions cannot set the execution name, so the same
     * S3 object may start two executions (EventBridge delivers at least once). RegisterCase derives the caseId
     * from bucket+key+versionId+etag and creates the item with `attribute_not_exists(caseId)`; the second execution
     * finds the case and returns route DONE when it is past registration.
     * Claims (CaseStore.claim) are items of this table too, keyed `claim#<fingerprint>` with `claimOf`: no status
     * and no subject, so in no index; list scans leave them out.
     */
  },
  /** Append-only audit log: one item per read/decision; sk = `${at}#${user}` keeps entries ordered by time. */
  audit: {
    pk: "caseId",
    sk: "sk",
    gsiByUser: "byUser",
    gsiByUserPk: "user",
    gsiByUserSk: "at",
  },
  /** The simulated 1177 account service's state: one item per personnummer. */
  accounts: {
    pk: "personnummer",
  },
  /**
   * Reference data maintained by admins (the approved-caregivers list): pk = list name ("caregivers"),
   * sk = "current" (pointer), "version#<v>" (content-addressed versions) or "change#<seq>" (history).
   */
  reference: {
    pk: "pk",
    sk: "sk",
  },
} as const;

/**
 * The reference table's keys when TABLES declares one (`reference: { pk, sk }`), else undefined: the stacks create
 * and wire the table only then.
 */
export function referenceTableKeys(): { pk: string; sk: string } | undefined {
  const t = (TABLES as Record<string, { pk?: unknown; sk?: unknown } | undefined>).reference;
  if (!t) return undefined;
  return { pk: typeof t.pk === "string" ? t.pk : "pk", sk: typeof t.sk === "string" ? t.sk : "sk" };
}

/** Environment variable names the stacks set on every pipeline function (handlers parse them with zod). */
export const ENV = {
  casesTable: "CASES_TABLE",
  auditTable: "AUDIT_TABLE",
  accountsTable: "ACCOUNTS_TABLE",
  referenceTable: "REFERENCE_TABLE",
  scansBucket: "SCANS_BUCKET",
  archiveBucket: "ARCHIVE_BUCKET",
  archiveRetentionDays: "ARCHIVE_RETENTION_DAYS",
  referenceBucket: "REFERENCE_BUCKET",
  personsKey: "PERSONS_KEY",
  caregiversKey: "CAREGIVERS_KEY",
  /** ValidateCase: the HTTP person registry (unset: the registry CSV in the reference bucket). */
  personRegistryUrl: "PERSON_REGISTRY_URL",
  personRegistrySecretId: "PERSON_REGISTRY_SECRET_ID",
  personRegistryTimeoutMs: "PERSON_REGISTRY_TIMEOUT_MS",
  personRegistryAuth: "PERSON_REGISTRY_AUTH",
  personRegistrySecretJsonKey: "PERSON_REGISTRY_SECRET_JSON_KEY",
  /** ValidateCase: the staff directory, as a CSV in the reference bucket or over HTTP (neither: no staff check). */
  staffKey: "STAFF_KEY",
  staffDirectoryUrl: "STAFF_DIRECTORY_URL",
  staffDirectorySecretId: "STAFF_DIRECTORY_SECRET_ID",
  staffDirectoryAuth: "STAFF_DIRECTORY_AUTH",
  staffDirectorySecretJsonKey: "STAFF_DIRECTORY_SECRET_JSON_KEY",
  mailFrom: "MAIL_FROM",
  sesConfigurationSet: "SES_CONFIGURATION_SET",
  accountMode: "ACCOUNT_MODE",
  /** ValidateCase and the API: "true" = every UNLOCK/UNBLOCK needs two handlers (shared/domain/four-eyes.ts). */
  fourEyesAllUnlocks: "FOUR_EYES_ALL_UNLOCKS",
  logLevel: "POWERTOOLS_LOG_LEVEL",
  serviceName: "POWERTOOLS_SERVICE_NAME",
} as const;

/** The reference table's environment variable (validate-case reads, the API reads and writes). */
export const REFERENCE_TABLE_ENV = ENV.referenceTable;

/** S3 prefixes. */
export const PREFIXES = {
  incoming: "incoming/",
  /** Archive bucket: archive/<year>/<caseId>/ holds the scan copy, the summary PDF and any letters. */
  archive: "archive/",
  reference: "reference/",
} as const;

/** The pipeline's Lambda functions: name → entry file (each exports `handler`) and memory size. */
export const PIPELINE_FUNCTIONS = {
  RegisterCase: { entry: "functions/register-case/handler.ts", memoryMb: 256, timeoutSeconds: 30 },
  // The local reader is CPU-bound on one tesseract worker: 1,769 MB is where Lambda gives one full vCPU (the
  // cheapest GB-seconds per form at full speed; more memory adds a second, partly used vCPU at a higher price per
  // second), and its peak RSS (bench:lambda) stays far below it. README "ReadForm on Lambda".
  ReadForm: { entry: "functions/read-form/handler.ts", memoryMb: 1769, timeoutSeconds: 120 },
  ValidateCase: { entry: "functions/validate-case/handler.ts", memoryMb: 256, timeoutSeconds: 30 },
  ParkCase: { entry: "functions/park-case/handler.ts", memoryMb: 256, timeoutSeconds: 30 },
  MarkFailed: { entry: "functions/mark-failed/handler.ts", memoryMb: 256, timeoutSeconds: 30 },
  ExecuteAction: { entry: "functions/execute-action/handler.ts", memoryMb: 256, timeoutSeconds: 30 },
  SendMail: { entry: "functions/send-mail/handler.ts", memoryMb: 256, timeoutSeconds: 30 },
  ArchiveScan: { entry: "functions/archive-scan/handler.ts", memoryMb: 256, timeoutSeconds: 60 },
} as const;
export type PipelineFunctionName = keyof typeof PIPELINE_FUNCTIONS;

/** ASL substitution variable for a function: `${ReadFormFunctionArn}`. */
export function aslArnVariable(name: PipelineFunctionName): string {
  return `${name}FunctionArn`;
}

export const ACCOUNT_MODES = ["SIMULATED", "MANUAL", "HTTP"] as const;
export type AccountMode = (typeof ACCOUNT_MODES)[number];

/** Environment variables of the HTTP account service (execute-action only; names as functions/execute-action reads them). */
export const ACCOUNT_SERVICE_ENV = {
  url: "ACCOUNT_SERVICE_URL",
  secretId: "ACCOUNT_SERVICE_SECRET_ID",
} as const;

export interface LockdeskConfig {
  region: string;
  /** A placeholder account is used only for offline synth; deploy with the real account in the CDK env. */
  account: string | undefined;
  prefix: string;
  /** Object Lock (governance) default retention of archived scans and summaries. */
  archiveRetentionDays: number;
  /** Move archived objects to Glacier Instant Retrieval after this many days (cheap, still millisecond reads). */
  archiveTransitionDays: number;
  /** Old versions of scans in the inbox bucket (after archiving) are kept this long for investigations. */
  scansNoncurrentDays: number;
  accessLogRetentionDays: number;
  logRetentionDays: number;
  mailFromDomain: string;
  mailFrom: string;
  /**
   * SIMULATED (accounts table), MANUAL (a handler runs it in the 1177 staff tool and confirms; the default on AWS
   * until a region configures the staff tool's HTTP API) or HTTP (docs/account-service.openapi.yaml).
   */
  accountMode: AccountMode;
  /** HTTP mode only: the account service's base URL and the Secrets Manager secret (id or ARN) with its credentials. */
  accountServiceUrl: string | undefined;
  accountServiceSecretId: string | undefined;
  logLevel: "DEBUG" | "INFO" | "WARN" | "ERROR";
  /**
   * ValidateCase's HTTP person registry (docs/person-registry.openapi.yaml): base URL (https) and the Secrets Manager
   * secret (id or ARN) with its credential, both or neither. Unset: the registry extract CSV in the reference bucket.
   */
  personRegistry:
    | {
        url: string;
        secretId: string;
        /** Optional: how the credential is sent, the JSON key in the secret string, the per-request timeout (ms). */
        auth: "bearer" | "api-key" | undefined;
        secretJsonKey: string | undefined;
        timeoutMs: number | undefined;
      }
    | undefined;
  personsKey: string;
  caregiversKey: string;
  /**
   * ValidateCase's staff directory (HSA; docs/staff-directory.openapi.yaml): over HTTP (https URL and the Secrets
   * Manager secret with its credential, both or neither), or a staff.csv in the reference bucket (staffKey), or none
   * (no staff check: today's rules). HTTP wins when both are set.
   */
  staffDirectory:
    | { url: string; secretId: string; auth: "bearer" | "api-key" | undefined; secretJsonKey: string | undefined }
    | undefined;
  staffKey: string | undefined;
  /** Origins of the web UI allowed to PUT presigned uploads into the scans bucket (CORS). */
  uiOrigins: string[];
  /** lockdesk:fourEyesAllUnlocks: every UNLOCK/UNBLOCK needs a second handler's approval (default false). */
  fourEyesAllUnlocks: boolean;
  /** Lambda architecture of every function and native layer (`lockdesk:lambdaArch`, default arm64). */
  lambdaArch: "arm64" | "x86_64";
  /**
   * ReadForm's reader (`lockdesk:ocrEngine`): `local` (default) is the measured reader — tesseract.js + PP-OCR + the
   * MNIST comb decoder — packaged in the function's layers; `textract` sends the page to DetectDocumentText.
   */
  ocrEngine: "local" | "textract";
  /** `lockdesk:textractSecondOpinion`: the local reader asks Textract about a page it doubts (default off). */
  textractSecondOpinion: boolean;
}

/** Reads context values (`-c lockdesk:region=...` or cdk.json); everything has a default so synth works offline. */
export function loadConfig(context: (key: string) => unknown): LockdeskConfig {
  const str = (key: string, fallback: string): string => {
    const v = context(`lockdesk:${key}`);
    return typeof v === "string" && v.length > 0 ? v : fallback;
  };
  const num = (key: string, fallback: number): number => {
    const v = context(`lockdesk:${key}`);
    const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN;
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  const account = context("lockdesk:account");
  const mailFromDomain = str("mailFromDomain", "lockdesk.example.se");
  const accountMode = str("accountMode", "MANUAL");
  if (!(ACCOUNT_MODES as readonly string[]).includes(accountMode)) {
    throw new Error(`lockdesk:accountMode must be one of ${ACCOUNT_MODES.join(", ")}`);
  }
  const opt = (key: string): string | undefined => {
    const v = context(`lockdesk:${key}`);
    return typeof v === "string" && v.length > 0 ? v : undefined;
  };
  const accountServiceUrl = opt("accountServiceUrl");
  const accountServiceSecretId = opt("accountServiceSecretId");
  if (accountMode === "HTTP") {
    if (!accountServiceUrl || !/^https:\/\//.test(accountServiceUrl)) {
      throw new Error("lockdesk:accountMode=HTTP needs lockdesk:accountServiceUrl (https://...)");
    }
    if (!accountServiceSecretId) {
      throw new Error("lockdesk:accountMode=HTTP needs lockdesk:accountServiceSecretId (Secrets Manager id or ARN)");
    }
  }
  const logLevel = str("logLevel", "INFO");
  const lambdaArch = str("lambdaArch", "arm64");
  if (lambdaArch !== "arm64" && lambdaArch !== "x86_64") throw new Error("lockdesk:lambdaArch must be arm64 or x86_64");
  const ocrEngine = str("ocrEngine", "local");
  if (ocrEngine !== "local" && ocrEngine !== "textract")
    throw new Error("lockdesk:ocrEngine must be local or textract");
  const secondOpinion = context("lockdesk:textractSecondOpinion");
  const personRegistry = personRegistryConfig(opt);
  const staffDirectory = staffDirectoryConfig(opt);
  return {
    region: str("region", "eu-north-1"),
    account: typeof account === "string" && account.length > 0 ? account : undefined,
    prefix: str("prefix", "lockdesk"),
    archiveRetentionDays: num("archiveRetentionDays", 3650),
    archiveTransitionDays: num("archiveTransitionDays", 30),
    scansNoncurrentDays: num("scansNoncurrentDays", 30),
    accessLogRetentionDays: num("accessLogRetentionDays", 365),
    logRetentionDays: num("logRetentionDays", 90),
    mailFromDomain,
    mailFrom: str("mailFrom", `sparr-och-loggservice@${mailFromDomain}`),
    accountMode: accountMode as AccountMode,
    accountServiceUrl: accountMode === "HTTP" ? accountServiceUrl : undefined,
    accountServiceSecretId: accountMode === "HTTP" ? accountServiceSecretId : undefined,
    logLevel: logLevel === "DEBUG" || logLevel === "WARN" || logLevel === "ERROR" ? logLevel : "INFO",
    personRegistry,
    personsKey: str("personsKey", `${PREFIXES.reference}persons.csv`),
    caregiversKey: str("caregiversKey", `${PREFIXES.reference}approved-caregivers.csv`),
    fourEyesAllUnlocks: ["true", true].includes(context("lockdesk:fourEyesAllUnlocks") as string | boolean),
    staffDirectory,
    staffKey: opt("staffKey"),
    uiOrigins: str("uiOrigins", "*")
      .split(",")
      .map((o) => o.trim())
      .filter((o) => o.length > 0),
    lambdaArch,
    ocrEngine,
    textractSecondOpinion: secondOpinion === true || secondOpinion === "true" || secondOpinion === "1",
  };
}

/** lockdesk:personRegistryUrl + lockdesk:personRegistrySecretId (both or neither) and their optional settings. */
function personRegistryConfig(opt: (key: string) => string | undefined): LockdeskConfig["personRegistry"] {
  const url = opt("personRegistryUrl");
  const secretId = opt("personRegistrySecretId");
  if (!url && !secretId) return undefined;
  if (!url || !/^https:\/\/[^/]/.test(url)) {
    throw new Error(
      "lockdesk:personRegistrySecretId needs lockdesk:personRegistryUrl (https://...); set both or neither",
    );
  }
  if (!secretId) {
    throw new Error(
      "lockdesk:personRegistryUrl needs lockdesk:personRegistrySecretId (Secrets Manager id or ARN); set both or neither",
    );
  }
  const auth = opt("personRegistryAuth");
  if (auth !== undefined && auth !== "bearer" && auth !== "api-key") {
    throw new Error("lockdesk:personRegistryAuth must be bearer or api-key");
  }
  const timeout = opt("personRegistryTimeoutMs");
  const timeoutMs = timeout === undefined ? undefined : Number(timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 100 && timeoutMs <= 25_000)) {
    throw new Error("lockdesk:personRegistryTimeoutMs must be an integer between 100 and 25000");
  }
  return { url, secretId, auth, secretJsonKey: opt("personRegistrySecretJsonKey"), timeoutMs };
}

/** lockdesk:staffDirectoryUrl + lockdesk:staffDirectorySecretId (both or neither), lockdesk:staffDirectoryAuth/-SecretJsonKey. */
function staffDirectoryConfig(opt: (key: string) => string | undefined): LockdeskConfig["staffDirectory"] {
  const url = opt("staffDirectoryUrl");
  const secretId = opt("staffDirectorySecretId");
  if (!url && !secretId) return undefined;
  if (!url || !/^https:\/\/[^/]/.test(url) || !secretId) {
    throw new Error(
      "lockdesk:staffDirectoryUrl (https://...) and lockdesk:staffDirectorySecretId go together; set both or neither",
    );
  }
  const auth = opt("staffDirectoryAuth");
  if (auth !== undefined && auth !== "bearer" && auth !== "api-key") {
    throw new Error("lockdesk:staffDirectoryAuth must be bearer or api-key");
  }
  return { url, secretId, auth, secretJsonKey: opt("staffDirectorySecretJsonKey") };
}

/** CDK feature flags the app relies on; set in code so the app and the tests synthesize the same templates. */
export const CDK_CONTEXT: Record<string, unknown> = {
  // Server access logs delivered via a bucket policy (no ACLs: the log bucket is BucketOwnerEnforced).
  "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": true,
  "@aws-cdk/aws-iam:minimizePolicies": true,
  // Keep producer-protecting (strong) references between the stateful and stateless stacks, explicitly.
  "@aws-cdk/core:defaultCrossStackReferences": "strong",
  "@aws-cdk/aws-lambda:recognizeLayerVersion": true,
  "@aws-cdk/aws-stepfunctions-tasks:enableEmrServicePolicyV2": true,
};
