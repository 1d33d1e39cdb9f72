// The pipeline functions' environment: one zod schema, parsed once at cold start (fail fast with the names of
// the bad variables, never their values). Names agree with infra/config.ts ENV, which the stacks set.
import { z } from "zod";
import { ValidationError } from "../domain/errors.ts";

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

export const EnvSchema = z.object({
  AWS_REGION: z.string().min(1).default("eu-north-1"),
  CASES_TABLE: z.string().min(1),
  AUDIT_TABLE: z.string().min(1).optional(),
  SCANS_BUCKET: z.string().min(1).optional(),
  /** Bucket with the registry extract and the approved-caregiver list (CSV, same columns as the contract). */
  REFERENCE_BUCKET: z.string().min(1).optional(),
  PERSONS_KEY: z.string().min(1).default("reference/persons.csv"),
  CAREGIVERS_KEY: z.string().min(1).default("reference/approved-caregivers.csv"),
  /** Emulator endpoints (local stack): the same adapters talk to s3rver / dynalite. */
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
  AWS_ENDPOINT_URL_TEXTRACT: z.url().optional(),
  /** s3rver needs path-style URLs (no bucket subdomains on localhost). */
  S3_FORCE_PATH_STYLE: flag,
  /** textract on AWS; tesseract runs the same reader without AWS (local stack, offline). */
  OCR_ENGINE: z.enum(["textract", "tesseract"]).default("textract"),
  /** Fields that decide the outcome below this confidence send the case to REVIEW (validateForm's default otherwise). */
  MIN_CONFIDENCE: z.coerce.number().min(0).max(1).optional(),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default("lockdesk"),
});
export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => i.path.join(".")))].join(", ");
    throw new ValidationError(`invalid environment: ${names}`);
  }
  return parsed.data;
}

let cached: Env | undefined;
/** process.env parsed once per container (cold start). */
export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
