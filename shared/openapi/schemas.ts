// Query, path and small body schemas of the case API that belong to no single use case.
// Body schemas of the use cases live next to them (decide-case.ts, correct-fields.ts, ...).
import { z } from "zod";

export const CaseIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, "case id");

export const DevLoginBodySchema = z
  .object({ userId: z.string().min(1).max(64), password: z.string().min(1).max(200) })
  .strict();

/** GET /api/cases/{id}/scan?page=N: a page (1-based in the file) of the case's document. */
export const ScanPageQuerySchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).optional() });

export const QueueQuerySchema = z.object({
  reason: z
    .string()
    .regex(/^[A-Z_]{2,40}$/)
    .optional(),
  status: z.enum(["IN_REVIEW", "FAILED", "AWAITING_MANUAL_EXECUTION", "AWAITING_SECOND_APPROVAL"]).optional(),
  form: z.enum(["1177-EGEN", "1177-VG", "1177-VH"]).optional(),
  /** "Mina ärenden": only the cases the caller has claimed. */
  mine: z.enum(["1", "true"]).optional(),
});

export const IntakeQuerySchema = z.object({ date: z.iso.date().optional() });

export const AuditQuerySchema = z
  .object({ caseId: CaseIdSchema.optional(), user: z.string().min(1).max(100).optional() })
  .refine((q) => (q.caseId === undefined) !== (q.user === undefined), "give exactly one of caseId and user");

export const ErrorSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** POST /api/cases/:id/manual-execution: the case version the handler saw (optimistic locking). */
export const ManualExecutionBodySchema = z.object({ version: z.number().int().nonnegative() }).strict();
