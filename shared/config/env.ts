// The pipeline functions' environment: one zod schema, parsed once at cold start (fail fast with the names of
// the bad variables, never their values). Names agree with shared/config/names.ts ENV, which the stacks set.
import { z } from "zod";
import { ValidationError } from "../domain/errors.ts";

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

export const EnvSchema = z
  .object({
    AWS_REGION: z.string().min(1).default("eu-north-1"),
    CASES_TABLE: z.string().min(1),
    AUDIT_TABLE: z.string().min(1).optional(),
    SCANS_BUCKET: z.string().min(1).optional(),
    /** Bucket with the registry extract and the approved-caregiver list (CSV, same columns as the contract). */
    REFERENCE_BUCKET: z.string().min(1).optional(),
    PERSONS_KEY: z.string().min(1).default("reference/persons.csv"),
    CAREGIVERS_KEY: z.string().min(1).default("reference/approved-caregivers.csv"),
    /**
     * Reference table (DynamoCaregiverList): when set, the approved-caregivers list admins publish is the one
     * validation uses; the CSV in the reference bucket is only its fallback until a first publication.
     */
    REFERENCE_TABLE: z.string().min(1).optional(),
    /**
     * The population registry over HTTP (docs/person-registry.openapi.yaml). Unset: the registry extract CSV in the
     * reference bucket. https only, except a loopback address (the local stack's fake registry).
     */
    PERSON_REGISTRY_URL: z
      .url()
      .refine((u) => u.startsWith("https://") || isLoopback(u), "must be https:// (http only on loopback)")
      .optional(),
    /** Secrets Manager secret (id or ARN) holding the registry credential. Required with PERSON_REGISTRY_URL on AWS. */
    PERSON_REGISTRY_SECRET_ID: z.string().min(1).optional(),
    /** When the secret string is JSON: the key holding the credential. */
    PERSON_REGISTRY_SECRET_JSON_KEY: z.string().min(1).optional(),
    /** How the credential is sent: Authorization: Bearer (default) or an x-api-key header. */
    PERSON_REGISTRY_AUTH: z.enum(["bearer", "api-key"]).default("bearer"),
    /** Per-request timeout (ms). */
    PERSON_REGISTRY_TIMEOUT_MS: z.coerce.number().int().min(100).max(25_000).default(3000),
    /**
     * A literal credential instead of the secret: accepted only for a loopback registry URL (the local stack's fake
     * registry has no Secrets Manager), so a deployed function can never carry its credential in plain environment.
     */
    PERSON_REGISTRY_TOKEN: z.string().min(1).optional(),
    /**
     * The staff directory (HSA; docs/staff-directory.openapi.yaml) over HTTP, https only (http on loopback), with the
     * Secrets Manager secret of its credential (or STAFF_DIRECTORY_TOKEN on loopback, the local stack). Else STAFF_KEY:
     * a staff.csv in the reference bucket. Neither: no staff check (today's rules).
     */
    STAFF_DIRECTORY_URL: z
      .url()
      .refine((u) => u.startsWith("https://") || isLoopback(u), "must be https:// (http only on loopback)")
      .optional(),
    STAFF_DIRECTORY_SECRET_ID: z.string().min(1).optional(),
    STAFF_DIRECTORY_SECRET_JSON_KEY: z.string().min(1).optional(),
    STAFF_DIRECTORY_AUTH: z.enum(["bearer", "api-key"]).default("bearer"),
    STAFF_DIRECTORY_TIMEOUT_MS: z.coerce.number().int().min(100).max(25_000).default(3000),
    STAFF_DIRECTORY_TOKEN: z.string().min(1).optional(),
    STAFF_KEY: z.string().min(1).optional(),
    /** Emulator endpoints (local stack): the same adapters talk to s3rver / dynalite. */
    AWS_ENDPOINT_URL: z.url().optional(),
    AWS_ENDPOINT_URL_S3: z.url().optional(),
    AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
    AWS_ENDPOINT_URL_TEXTRACT: z.url().optional(),
    /** Step Functions endpoint (the local stack's StartExecution for a batch's later documents). */
    AWS_ENDPOINT_URL_SFN: z.url().optional(),
    /** THE state machine (ReadForm starts an execution per later document of a batch file). */
    STATE_MACHINE_ARN: z.string().min(1).optional(),
    /** s3rver needs path-style URLs (no bucket subdomains on localhost). */
    S3_FORCE_PATH_STYLE: flag,
    /**
     * local (default; `tesseract` is its old name): tesseract.js + PP-OCR + the MNIST comb decoder, offline, on AWS
     * as locally. textract: DetectDocumentText reads the page (no check-digit decoding, no second reader).
     */
    OCR_ENGINE: z.enum(["local", "tesseract", "textract"]).default("local"),
    /** With the local reader: ask Textract about a page with a doubtful field, as a third reading (1 = on). */
    TEXTRACT_SECOND_OPINION: flag,
    /** Fields that decide the outcome below this confidence send the case to REVIEW (validateForm's default otherwise). */
    MIN_CONFIDENCE: z.coerce.number().min(0).max(1).optional(),
    /** Every UNLOCK/UNBLOCK needs two handlers (shared/domain/four-eyes.ts); off by default. */
    FOUR_EYES_ALL_UNLOCKS: flag,
    POWERTOOLS_SERVICE_NAME: z.string().min(1).default("lockdesk"),
  })
  .superRefine((env, ctx) => {
    if (env.STAFF_DIRECTORY_URL) {
      const loopback = isLoopback(env.STAFF_DIRECTORY_URL);
      if (env.STAFF_DIRECTORY_TOKEN && !loopback) {
        ctx.addIssue({ code: "custom", path: ["STAFF_DIRECTORY_TOKEN"], message: "only for a loopback URL" });
      }
      if (!env.STAFF_DIRECTORY_SECRET_ID && !(loopback && env.STAFF_DIRECTORY_TOKEN)) {
        ctx.addIssue({ code: "custom", path: ["STAFF_DIRECTORY_SECRET_ID"], message: "required with the URL" });
      }
    }
    if (!env.PERSON_REGISTRY_URL) return;
    const loopback = isLoopback(env.PERSON_REGISTRY_URL);
    if (env.PERSON_REGISTRY_TOKEN && !loopback) {
      ctx.addIssue({ code: "custom", path: ["PERSON_REGISTRY_TOKEN"], message: "only for a loopback registry URL" });
    }
    if (!env.PERSON_REGISTRY_SECRET_ID && !(loopback && env.PERSON_REGISTRY_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: ["PERSON_REGISTRY_SECRET_ID"],
        message: "required with PERSON_REGISTRY_URL",
      });
    }
  });
export type Env = z.infer<typeof EnvSchema>;

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  } catch {
    return false;
  }
}

/**
 * A parser for one environment schema (the pipeline's, a handler's own): the parsed variables, or a ValidationError on
 * one line naming the bad variables, never their values ("invalid environment: MAIL_FROM, ARCHIVE_BUCKET").
 */
export function parseEnvWith<S extends z.ZodType>(
  schema: S,
): (source: Record<string, string | undefined>) => z.output<S> {
  return (source) => {
    const parsed = schema.safeParse(source);
    if (parsed.success) return parsed.data;
    const names = [...new Set(parsed.error.issues.map((i) => i.path.join(".")).filter(Boolean))];
    throw new ValidationError(`invalid environment: ${names.length > 0 ? names.join(", ") : "(no variable named)"}`);
  };
}

export const parseEnv: (source: Record<string, string | undefined>) => Env = parseEnvWith(EnvSchema);

let cached: Env | undefined;
/** process.env parsed once per container (cold start). */
export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
