// A handler corrects fields that were misread. Corrections are kept apart from the read values
// (validation prefers them); the audit entry names the fields, never their values.
import { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import { actorId } from "../auth/principal.ts";
import type { CaseRecord } from "../domain/case.ts";
import { ValidationError } from "../domain/errors.ts";
import { subjectPersonnummerField } from "./case-detail.ts";
import { assertChangeable, commitChange, loadCase, type ReviewDeps } from "./claim-case.ts";

export const FieldNameSchema = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/, "dotted field name");

export const CorrectFieldsBodySchema = z
  .object({
    version: z.number().int().nonnegative(),
    corrections: z
      .record(FieldNameSchema, z.union([z.string().max(500), z.boolean()]))
      .refine((r) => Object.keys(r).length > 0, "at least one correction"),
  })
  .strict();
export type CorrectFieldsBody = z.infer<typeof CorrectFieldsBodySchema>;

export async function correctFields(
  input: CorrectFieldsBody & { caseId: string; user: Principal },
  deps: ReviewDeps,
): Promise<CaseRecord> {
  const record = await loadCase(deps.cases, input.caseId);
  assertChangeable(record, input.user, input.version);

  const normalized: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(input.corrections)) {
    const read = record.fields[name];
    // A scanned case has a fixed field set; a hand-made (urgent) case may gain fields.
    if (!read && !record.manual) throw new ValidationError(`unknown field ${name}`);
    if (read && typeof read.value !== typeof value) {
      throw new ValidationError(`field ${name} takes a ${typeof read.value}`);
    }
    normalized[name] = typeof value === "string" && name.endsWith("personnummer") ? value.replace(/[\s-]/g, "") : value;
  }

  const names = Object.keys(normalized).sort();
  const saved = await commitChange(deps, record, input.user, `fields corrected: ${names.join(", ")}`, (d) => {
    d.corrections = { ...d.corrections, ...normalized };
    const subjectField = subjectPersonnummerField(d.formCode);
    const subject = subjectField ? normalized[subjectField] : undefined;
    if (typeof subject === "string") d.subjectPersonnummer = subject;
  });
  await deps.audit.append({
    at: saved.updatedAt,
    user: actorId(input.user),
    caseId: saved.caseId,
    action: "CORRECT_FIELDS",
    detail: names.join(","),
  });
  return saved;
}
