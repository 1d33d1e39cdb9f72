// A handler's decision on a parked case. APPROVE and RETURN are recorded on the case and a new execution
// re-enters the state machine at ValidateCase (park and resume): with an APPROVE the pipeline executes
// despite REVIEW reasons; with a RETURN it sends the return notice for the given reasons. CLOSE ends the case.
// Optimistic locking: a stale `version` → CaseVersionConflictError (409) and nothing is written.
import { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import { actorId } from "../auth/principal.ts";
import type { CaseRecord } from "../domain/case.ts";
import { ValidationError } from "../domain/errors.ts";
import { REASON_CODES, RETURN_CODES, type ReasonCode } from "../domain/forms.ts";
import type { Resumer } from "../ports/resumer.ts";
import { assertChangeable, commitChange, loadCase, type ReviewDeps } from "./claim-case.ts";

const RETURNABLE = REASON_CODES.filter((c) => RETURN_CODES.has(c)) as [ReasonCode, ...ReasonCode[]];

export const DecisionBodySchema = z
  .object({
    decision: z.enum(["APPROVE", "RETURN", "CLOSE"]),
    version: z.number().int().nonnegative(),
    returnReasons: z.array(z.enum(RETURNABLE)).min(1).optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();
export type DecisionBody = z.infer<typeof DecisionBodySchema>;

export async function decideCase(
  input: DecisionBody & { caseId: string; user: Principal },
  deps: ReviewDeps & { resumer: Resumer },
): Promise<CaseRecord> {
  if (input.decision === "RETURN" && !input.returnReasons) {
    throw new ValidationError("a RETURN needs returnReasons (the codes the return notice explains)");
  }
  if (input.decision === "CLOSE" && !input.note) throw new ValidationError("a CLOSE needs a note");
  const record = await loadCase(deps.cases, input.caseId);
  assertChangeable(record, input.user, input.version);

  const by = actorId(input.user);
  const saved = await commitChange(deps, record, input.user, `decision ${input.decision}`, (d) => {
    const at = deps.clock.now().toISOString();
    d.handlerDecision = { by, at, decision: input.decision, ...(input.note ? { note: input.note } : {}) };
    delete d.claimedBy;
    if (input.decision === "APPROVE") d.status = "APPROVED";
    if (input.decision === "CLOSE") {
      d.status = "CLOSED";
      d.decision = null;
    }
    if (input.decision === "RETURN" && input.returnReasons) {
      d.decision = "RETURN";
      d.reasons = REASON_CODES.filter((c) => input.returnReasons?.includes(c));
    }
  });
  await deps.audit.append({
    at: saved.updatedAt,
    user: by,
    caseId: saved.caseId,
    action: `DECIDE_${input.decision}`,
    ...(input.returnReasons ? { detail: input.returnReasons.join(",") } : {}),
  });
  if (input.decision !== "CLOSE") await deps.resumer(saved.caseId);
  return saved;
}
