// The state machine's task inputs and outputs: one zod schema per boundary, shared by the Lambda handlers,
// the local stack and the ASL file (infra/state-machine/case.asl.json).
import { z } from "zod";

/** What the S3 → EventBridge rule (or the local s3rver event) hands to the state machine. */
export const ScanArrivedSchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  versionId: z.string().optional(),
  etag: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  /** The arrival stamp: the S3 event time (ISO). Its date is the receipt date unless metadata says otherwise. */
  eventTime: z.string().min(1),
});
export type ScanArrived = z.infer<typeof ScanArrivedSchema>;

/** Execution input: a new scan, a resumed case after a handler's decision, or a batch's later document. */
export const ExecutionInputSchema = z.union([
  z.object({ scan: ScanArrivedSchema }),
  z.object({ caseId: z.string().min(1), resume: z.literal(true) }),
  /** A later document of a batch file, registered by ReadForm of the file's case: it starts at ReadForm. */
  z.object({ caseId: z.string().min(1), document: z.literal(true) }),
]);
export type ExecutionInput = z.infer<typeof ExecutionInputSchema>;

/** Every task after RegisterCase takes the case id (the case record is the state). */
export const CaseRefSchema = z.object({ caseId: z.string().min(1) });
export type CaseRef = z.infer<typeof CaseRefSchema>;

/** ParkForReview input: the case and, from a Catch, an optional pipeline reason (e.g. REGISTRY_UNAVAILABLE). */
export const ParkCaseInputSchema = z.object({
  caseId: z.string().min(1),
  reason: z
    .enum(["LOW_CONFIDENCE", "PRIOR_OPEN_CASE", "REGISTRY_UNAVAILABLE", "CHILD_PROTECTED_NO_BLOCK_NEEDED"])
    .optional(),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});
export type ParkCaseInput = z.infer<typeof ParkCaseInputSchema>;

export const RouteSchema = z.enum(["EXECUTE", "RETURN", "REVIEW", "DONE"]);

/** Output of RegisterCase, ReadForm, ValidateCase: the case id and where to go next. */
export const TaskResultSchema = z.object({
  caseId: z.string().min(1),
  route: RouteSchema.optional(),
  status: z.string().optional(),
});
export type TaskResult = z.infer<typeof TaskResultSchema>;

/** SendMail input: which mail. */
export const SendMailInputSchema = z.object({
  caseId: z.string().min(1),
  kind: z.enum(["CONFIRMATION", "RETURN_NOTICE"]),
});
export type SendMailInput = z.infer<typeof SendMailInputSchema>;

/** MarkFailed input: the Catch's error object. */
export const MarkFailedInputSchema = z.object({
  caseId: z.string().optional(),
  scan: ScanArrivedSchema.optional(),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }),
});
export type MarkFailedInput = z.infer<typeof MarkFailedInputSchema>;
