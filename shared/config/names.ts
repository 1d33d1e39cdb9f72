// The names the runtime and the CDK stacks must agree on: DynamoDB key schema, environment variable names, S3
// prefixes, the pipeline's functions. Runtime code (adapters, functions, the CLI, the local stack) imports them from
// here; infra/ (CDK only) re-exports them beside the deployment configuration. No AWS SDK or CDK imports here.

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
