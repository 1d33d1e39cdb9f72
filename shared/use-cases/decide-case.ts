// A handler's decision on a parked case. APPROVE and RETURN are recorded on the case and a new execution
// re-enters the state machine at ValidateCase (park and resume): with an APPROVE the pipeline executes
// despite REVIEW reasons; with a RETURN it sends the return notice for the given reasons. CLOSE ends the case.
// Optimistic locking: a stale `version` → CaseVersionConflictError (409) and nothing is written.
// Every decision needs the case claimed by the deciding handler. An APPROVE that no complete paper vouches for
// (shared/domain/four-eyes.ts) becomes a proposal (AWAITING_SECOND_APPROVAL) that a different handler approves
// or rejects (REJECT); the proposer can never approve it (403).
import { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import { actorId } from "../auth/principal.ts";
import type { CaseRecord } from "../domain/case.ts";
import { AuthorizationError, CaseClaimedError, InvalidCaseStateError, ValidationError } from "../domain/errors.ts";
import { REASON_CODES, type ReasonCode } from "../domain/forms.ts";
import {
  type FourEyesSettings,
  type FourEyesWhy,
  overriddenReasons,
  secondApproverReasons,
} from "../domain/four-eyes.ts";
import type { Resumer } from "../ports/resumer.ts";
import {
  assertChangeable,
  assertClaimedBy,
  assertNotProposer,
  assertVersion,
  commitChange,
  loadCase,
  type ReviewDeps,
} from "./claim-case.ts";
import { assertFactsForApproval } from "./phone-verification.ts";

/**
 * Every contract code can be a return reason: the RETURN codes, and a REVIEW code the handler decides the sender
 * must put right (e.g. a personnummer that is not in the registry): the notice explains it in the sender's terms.
 */
const RETURNABLE = [...REASON_CODES] as [ReasonCode, ...ReasonCode[]];

/** 10 or 12 digits with an optional - or + before the last four: looks like a personnummer. */
const PERSONNUMMER_LIKE = /(?<!\d)(\d{6}|\d{8})\s?[-+]?\s?\d{4}(?!\d)/;

/** The handler's message to the sender goes by ordinary e-mail: no personnummer may be in it. */
export function assertNoticeNoteAllowed(note: string): void {
  if (PERSONNUMMER_LIKE.test(note)) {
    throw new ValidationError(
      "Meddelandet till avsändaren får inte innehålla personnummer: det skickas med vanlig e-post. Ta bort siffrorna.",
    );
  }
}

export const DecisionBodySchema = z
  .object({
    /**
     * REJECT: a second handler turns down a four-eyes proposal (the case goes back to review). WITHDRAW: the proposer
     * takes their own proposal back (the case goes back to review; nothing ran).
     */
    decision: z.enum(["APPROVE", "RETURN", "CLOSE", "REJECT", "WITHDRAW"]),
    version: z.number().int().nonnegative(),
    returnReasons: z.array(z.enum(RETURNABLE)).min(1).optional(),
    note: z.string().trim().min(1).max(2000).optional(),
    /** RETURN: the handler's message to the sender, printed in the notice (ordinary e-mail: no patient data). */
    noticeNote: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
export type DecisionBody = z.infer<typeof DecisionBodySchema>;

export type DecideDeps = ReviewDeps & { resumer: Resumer; fourEyes?: FourEyesSettings | undefined };

export async function decideCase(
  input: DecisionBody & { caseId: string; user: Principal },
  deps: DecideDeps,
): Promise<CaseRecord> {
  if (input.decision === "RETURN" && !input.returnReasons) {
    throw new ValidationError("a RETURN needs returnReasons (the codes the return notice explains)");
  }
  if (input.decision === "CLOSE" && !input.note) throw new ValidationError("a CLOSE needs a note");
  if (input.noticeNote !== undefined) {
    if (input.decision !== "RETURN") throw new ValidationError("a noticeNote goes with a RETURN only");
    assertNoticeNoteAllowed(input.noticeNote);
  }
  const record = await loadCase(deps.cases, input.caseId);
  if (record.status === "AWAITING_SECOND_APPROVAL") {
    return input.decision === "WITHDRAW" ? withdrawProposal(record, input, deps) : decideProposal(record, input, deps);
  }
  if (input.decision === "REJECT" || input.decision === "WITHDRAW") {
    throw new InvalidCaseStateError(`Ärende ${record.caseId} har inget förslag som väntar på en andra handläggare.`);
  }
  assertChangeable(record, input.user, input.version);
  assertClaimedBy(record, input.user);
  if (input.decision === "APPROVE") {
    assertFactsForApproval(record);
    const why = secondApproverReasons(record, deps.fourEyes);
    if (why.length > 0) return propose(record, input, why, deps);
  }

  const by = actorId(input.user);
  const saved = await commitChange(deps, record, input.user, `decision ${input.decision}`, (d) => {
    const at = deps.clock.now().toISOString();
    d.handlerDecision = { by, at, decision: input.decision as "APPROVE" | "RETURN" | "CLOSE" };
    if (input.note) d.handlerDecision.note = input.note;
    delete d.claimedBy;
    if (input.decision === "APPROVE") d.status = "APPROVED";
    if (input.decision === "CLOSE") {
      d.status = "CLOSED";
      d.decision = null;
    }
    if (input.decision === "RETURN" && input.returnReasons) {
      const ticked = REASON_CODES.filter((c) => input.returnReasons?.includes(c));
      d.decision = "RETURN";
      d.reasons = ticked;
      // Kept apart from `reasons`, which the resumed validation rewrites with the machine's findings.
      d.handlerDecision.returnReasons = ticked;
      if (input.noticeNote) d.handlerDecision.noticeNote = input.noticeNote;
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

/** The first handler's APPROVE of a four-eyes case: recorded as a proposal; nothing runs yet. */
async function propose(
  record: CaseRecord,
  input: DecisionBody & { user: Principal },
  why: FourEyesWhy[],
  deps: DecideDeps,
): Promise<CaseRecord> {
  const by = actorId(input.user);
  const saved = await commitChange(
    deps,
    record,
    input.user,
    `approval proposed (four eyes: ${why.join(", ")})`,
    (d) => {
      d.status = "AWAITING_SECOND_APPROVAL";
      d.proposal = {
        by,
        at: deps.clock.now().toISOString(),
        decision: "APPROVE",
        why,
        overrides: overriddenReasons(record),
        ...(input.note ? { note: input.note } : {}),
      };
      delete d.claimedBy;
    },
  );
  await deps.audit.append({
    at: saved.updatedAt,
    user: by,
    caseId: saved.caseId,
    action: "PROPOSE_APPROVE",
    detail: why.join(","),
  });
  return saved;
}

/**
 * The proposer takes their own proposal back (a mistake seen after proposing): the case goes back to review, where
 * they or anyone may decide again. Only the proposer, and not while a second handler holds the case.
 */
async function withdrawProposal(
  record: CaseRecord,
  input: DecisionBody & { user: Principal },
  deps: DecideDeps,
): Promise<CaseRecord> {
  const by = actorId(input.user);
  const proposal = record.proposal;
  if (!proposal || proposal.by !== by) {
    throw new AuthorizationError(`Ärende ${record.caseId}: bara den som föreslog beslutet kan dra tillbaka det.`);
  }
  assertVersion(record, input.version);
  if (record.claimedBy !== undefined) {
    throw new CaseClaimedError(
      `Ärende ${record.caseId} granskas just nu av en annan handläggare: förslaget kan inte dras tillbaka.`,
    );
  }
  const saved = await commitChange(deps, record, input.user, "proposal withdrawn by its proposer", (d) => {
    delete d.proposal;
    d.status = "IN_REVIEW";
  });
  await deps.audit.append({
    at: saved.updatedAt,
    user: by,
    caseId: saved.caseId,
    action: "WITHDRAW_PROPOSAL",
    detail: `proposed at ${proposal.at}`,
  });
  return saved;
}

/** A second handler approves or rejects the proposal; the proposer never can. */
async function decideProposal(
  record: CaseRecord,
  input: DecisionBody & { user: Principal },
  deps: DecideDeps,
): Promise<CaseRecord> {
  const proposal = record.proposal;
  if (!proposal)
    throw new InvalidCaseStateError(`case ${record.caseId} waits for a second approval without a proposal`);
  assertVersion(record, input.version);
  assertNotProposer(record, input.user);
  if (input.decision !== "APPROVE" && input.decision !== "REJECT") {
    throw new InvalidCaseStateError(
      `Ärende ${record.caseId} väntar på en andra handläggare: godkänn eller avslå förslaget först.`,
    );
  }
  assertClaimedBy(record, input.user);
  const by = actorId(input.user);
  const approve = input.decision === "APPROVE";
  const what = approve
    ? `second approval by ${by} of ${proposal.by}'s proposal`
    : `proposal of ${proposal.by} rejected`;
  const saved = await commitChange(deps, record, input.user, what, (d) => {
    const at = deps.clock.now().toISOString();
    delete d.proposal;
    delete d.claimedBy;
    if (approve) {
      d.status = "APPROVED";
      d.handlerDecision = {
        by: proposal.by,
        at: proposal.at,
        decision: "APPROVE",
        ...(proposal.note ? { note: proposal.note } : {}),
        secondApprover: { by, at, ...(input.note ? { note: input.note } : {}) },
      };
    } else {
      d.status = "IN_REVIEW";
    }
  });
  await deps.audit.append({
    at: saved.updatedAt,
    user: by,
    caseId: saved.caseId,
    action: approve ? "SECOND_APPROVE" : "REJECT_PROPOSAL",
    detail: `proposed by ${proposal.by} at ${proposal.at}`,
  });
  if (approve) await deps.resumer(saved.caseId);
  return saved;
}
