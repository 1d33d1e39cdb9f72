// PHONE_VERIFICATION: the vouching staff member had no VGR-ID, so a handler calls the unit and records
// whom they reached and the outcome. The handler then decides (approve after a verified call).
import { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import { actorId } from "../auth/principal.ts";
import type { CaseRecord } from "../domain/case.ts";
import { ActionNotAllowedError } from "../domain/errors.ts";
import type { ReasonCode } from "../domain/forms.ts";
import { assertChangeable, commitChange, loadCase, type ReviewDeps } from "./claim-case.ts";

export const PhoneVerificationBodySchema = z
  .object({
    calledName: z.string().trim().min(1).max(200),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ()-]{4,24}$/, "phone number"),
    outcome: z.enum(["VERIFIED", "NOT_VERIFIED", "NO_ANSWER"]),
    version: z.number().int().nonnegative(),
  })
  .strict();
export type PhoneVerificationBody = z.infer<typeof PhoneVerificationBodySchema>;

export async function recordPhoneVerification(
  input: PhoneVerificationBody & { caseId: string; user: Principal },
  deps: ReviewDeps,
): Promise<CaseRecord> {
  const record = await loadCase(deps.cases, input.caseId);
  assertChangeable(record, input.user, input.version);
  const by = actorId(input.user);
  const saved = await commitChange(deps, record, input.user, `phone verification: ${input.outcome}`, (d) => {
    d.phoneVerifications = [
      ...(d.phoneVerifications ?? []),
      {
        at: deps.clock.now().toISOString(),
        by,
        calledName: input.calledName,
        phone: input.phone,
        outcome: input.outcome,
      },
    ];
  });
  await deps.audit.append({
    at: saved.updatedAt,
    user: by,
    caseId: saved.caseId,
    action: "PHONE_VERIFICATION",
    detail: input.outcome,
  });
  return saved;
}

/** Reasons whose approval needs a recorded successful call to the vouching staff member. */
export const CALL_REQUIRED: ReadonlySet<ReasonCode> = new Set<ReasonCode>(["PHONE_VERIFICATION", "STAFF_NOT_VERIFIED"]);

/** The latest recorded call reached the staff member and verified them. */
export function hasVerifiedCall(record: CaseRecord): boolean {
  return record.phoneVerifications?.at(-1)?.outcome === "VERIFIED";
}

/** Decisions need the facts: APPROVE of a case that asks for a call needs the call, recorded as VERIFIED (409). */
export function assertFactsForApproval(record: CaseRecord): void {
  if (!record.reasons.some((r) => CALL_REQUIRED.has(r)) || hasVerifiedCall(record)) return;
  throw new ActionNotAllowedError(
    `Ärende ${record.caseId} kan inte godkännas: inget samtal där personalen bekräftades är registrerat. ` +
      "Ring enheten och registrera samtalet med utfallet Verifierad först.",
  );
}
