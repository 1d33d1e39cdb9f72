// PHONE_VERIFICATION: the vouching staff member had no VGR-ID, so a handler calls the unit and records
// whom they reached and the outcome. The handler then decides (approve after a verified call).
import { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import { actorId } from "../auth/principal.ts";
import type { CaseRecord } from "../domain/case.ts";
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
