// Manual entry of a document the reader did not recognise (UNRECOGNIZED_DOCUMENT): the handler who holds the case
// chooses the form and types every field of it from the paper. The typed values are the handler's word: they are
// stored as corrections over empty reads (confidence 1), and the handler's entry counts as their approval, so
// ValidateCase (resumed as usual) applies every rule and the four-eyes rule (shared/domain/four-eyes.ts): a typed
// LOCK/BLOCK runs on one handler's word when the rules find nothing; a typed UNLOCK/UNBLOCK, or one that overrides
// a person check, waits for a second handler. A RETURN reason sends the return notice, as for a scanned form.
import { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import { actorId } from "../auth/principal.ts";
import type { CaseRecord } from "../domain/case.ts";
import { InvalidCaseStateError, ValidationError } from "../domain/errors.ts";
import { FORM_FIELDS } from "../domain/form-fields.ts";
import { type FieldReading, FORM_CODES, FORM_ROLES } from "../domain/forms.ts";
import { actionFromBoxes } from "../domain/rules.ts";
import type { Resumer } from "../ports/resumer.ts";
import { assertChangeable, assertClaimedBy, commitChange, loadCase, type ReviewDeps } from "./claim-case.ts";
import { FieldNameSchema } from "./correct-fields.ts";

export const ManualEntryBodySchema = z
  .object({
    version: z.number().int().nonnegative(),
    formCode: z.enum(FORM_CODES),
    fields: z.record(FieldNameSchema, z.union([z.string().max(500), z.boolean()])),
  })
  .strict();
export type ManualEntryBody = z.infer<typeof ManualEntryBodySchema>;

export async function enterForm(
  input: ManualEntryBody & { caseId: string; user: Principal },
  deps: ReviewDeps & { resumer: Resumer },
): Promise<CaseRecord> {
  const record = await loadCase(deps.cases, input.caseId);
  assertChangeable(record, input.user, input.version);
  assertClaimedBy(record, input.user);
  if (record.formCode !== null || !record.reasons.includes("UNRECOGNIZED_DOCUMENT")) {
    throw new InvalidCaseStateError(
      `Ärende ${record.caseId} har redan en känd blankett: rätta fälten i stället för att registrera den för hand.`,
    );
  }
  const defs = FORM_FIELDS[input.formCode];
  const known = new Set(defs.map((f) => f.name));
  const unknown = Object.keys(input.fields).filter((n) => !known.has(n));
  if (unknown.length > 0) throw new ValidationError(`fields not on ${input.formCode}: ${unknown.join(", ")}`);

  const fields: Record<string, FieldReading> = {};
  const corrections: Record<string, string | boolean> = {};
  for (const def of defs) {
    const boolean = def.type === "checkbox" || def.type === "signature";
    const given = input.fields[def.name];
    if (given !== undefined && typeof given !== (boolean ? "boolean" : "string")) {
      throw new ValidationError(`field ${def.name} takes a ${boolean ? "boolean" : "string"}`);
    }
    const raw = given ?? (boolean ? false : "");
    const value = typeof raw === "string" && def.type === "personnummer" ? raw.replace(/[\s-]/g, "") : raw;
    // The read value stays empty (nothing was read); the typed value is the handler's correction.
    fields[def.name] = { value: boolean ? false : "", confidence: 1 };
    corrections[def.name] = value;
  }
  const action = actionFromBoxes(input.formCode, corrections);
  const subject = corrections[`${FORM_ROLES[input.formCode].subject}.personnummer`];
  const by = actorId(input.user);
  const saved = await commitChange(deps, record, input.user, `form entered by hand: ${input.formCode}`, (d) => {
    const at = deps.clock.now().toISOString();
    d.formCode = input.formCode;
    d.formVersion = "v1";
    d.action = action;
    d.fields = fields;
    d.corrections = corrections;
    d.reasons = [];
    d.decision = null;
    if (typeof subject === "string" && subject !== "") d.subjectPersonnummer = subject;
    d.handlerDecision = { by, at, decision: "APPROVE", note: "Blanketten registrerad för hand" };
    delete d.claimedBy;
    delete d.reviewReason;
    d.status = "APPROVED";
  });
  await deps.audit.append({
    at: saved.updatedAt,
    user: by,
    caseId: saved.caseId,
    action: "ENTER_FORM",
    detail: input.formCode,
  });
  await deps.resumer(saved.caseId);
  return saved;
}
