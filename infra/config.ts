// Deployment configuration (CDK context → LockdeskConfig). The names shared with the runtime (tables, environment
// variables, prefixes, functions) live in shared/config/names.ts and are re-exported here for the stacks.
import { ACCOUNT_MODES, type AccountMode, PREFIXES } from "../shared/config/names.ts";

export * from "../shared/config/names.ts";

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
  /**
   * Sign-in on AWS (`lockdesk:webOrigin`, `lockdesk:authDomainPrefix`, both or neither): the web UI's https origin
   * (where /login/callback is) and the Cognito domain prefix of the hosted sign-in. Neither: the login page says
   * sign-in is not configured.
   */
  hostedSignIn: { webOrigin: string; domainPrefix: string } | undefined;
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
  const hostedSignIn = hostedSignInConfig(opt);
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
    hostedSignIn,
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

/** lockdesk:webOrigin (https, no path) and lockdesk:authDomainPrefix (Cognito's rule: lower case, digits, hyphens). */
function hostedSignInConfig(opt: (key: string) => string | undefined): LockdeskConfig["hostedSignIn"] {
  const webOrigin = opt("webOrigin");
  const domainPrefix = opt("authDomainPrefix");
  if (!webOrigin && !domainPrefix) return undefined;
  if (!webOrigin || !domainPrefix) {
    throw new Error("lockdesk:webOrigin and lockdesk:authDomainPrefix: set both or neither");
  }
  if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(webOrigin)) {
    throw new Error("lockdesk:webOrigin must be an https origin without a path (https://lockdesk.example.se)");
  }
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix) || /aws|amazon|cognito/.test(domainPrefix)) {
    throw new Error(
      "lockdesk:authDomainPrefix must be lower-case letters, digits and hyphens (not aws/amazon/cognito)",
    );
  }
  return { webOrigin, domainPrefix };
}
