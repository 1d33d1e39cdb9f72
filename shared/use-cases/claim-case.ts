// Claim and release a case ("one handler at a time"), plus the guard and commit helpers every handler
// change uses: version check (optimistic locking), claim check, history entry, version bump.
import type { Principal } from "../auth/principal.ts";
import { actorId } from "../auth/principal.ts";
import type { CaseRecord } from "../domain/case.ts";
import { claimAllows, inEditableState, transition } from "../domain/case-record.ts";
import {
  AuthorizationError,
  CaseClaimedError,
  CaseVersionConflictError,
  InvalidCaseStateError,
} from "../domain/errors.ts";
import type { AuditLog } from "../ports/audit-log.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import { loadCase } from "./case-history.ts";

export interface ReviewDeps {
  cases: CaseStore;
  audit: AuditLog;
  clock: Clock;
}

export { loadCase };

/**
 * Throws unless `user` may change the case now: the case is in review, the client saw the current version
 * (when it sent one), and nobody else holds the claim.
 */
/** The caller saw this version of the case (a change from an older page is refused: reload and try again). */
export function assertVersion(record: CaseRecord, expectedVersion: number): void {
  if (record.version !== expectedVersion) {
    throw new CaseVersionConflictError(
      `case ${record.caseId} is at version ${record.version}, not ${expectedVersion}: reload and try again`,
    );
  }
}

export function assertChangeable(record: CaseRecord, user: Principal, expectedVersion?: number): void {
  if (expectedVersion !== undefined) assertVersion(record, expectedVersion);
  // The same rule as the page's (handlerCanEdit), told apart so each refusal gets its own error.
  if (!inEditableState(record)) {
    throw new InvalidCaseStateError(`case ${record.caseId} is ${record.status}, not in review`);
  }
  if (!claimAllows(record, actorId(user))) {
    throw new CaseClaimedError(`case ${record.caseId} is claimed by another handler`);
  }
}

/** Writes `next` as version+1 with a history entry; the store rejects it if someone wrote in between. */
export async function commitChange(
  deps: Pick<ReviewDeps, "cases" | "clock">,
  current: CaseRecord,
  user: Principal,
  what: string,
  change: (draft: CaseRecord) => void,
): Promise<CaseRecord> {
  const next = transition(current, change, {
    at: deps.clock.now(),
    by: actorId(user),
    what,
    mentionStatus: false,
    // The name the sign-in gave (on AWS the token's `name`), when it is more than the user id.
    ...(user.displayName && user.displayName !== user.userId ? { name: user.displayName } : {}),
  });
  await deps.cases.put(next);
  return next;
}

/**
 * Every decision needs the case claimed by the deciding handler: a decision on an unclaimed case (or one
 * claimed by someone else) is refused, so two people never decide over each other's shoulder.
 */
export function assertClaimedBy(record: CaseRecord, user: Principal): void {
  if (record.claimedBy === actorId(user)) return;
  if (record.claimedBy === undefined) {
    throw new InvalidCaseStateError(`Ärende ${record.caseId}: ta ärendet (Ta ärende) innan du beslutar.`);
  }
  throw new CaseClaimedError(`Ärende ${record.caseId} är taget av en annan handläggare.`);
}

/** The proposer of a four-eyes approval can never be its second handler (403). */
export function assertNotProposer(record: CaseRecord, user: Principal): void {
  if (record.proposal && record.proposal.by === actorId(user)) {
    throw new AuthorizationError(
      `Ärende ${record.caseId}: du föreslog beslutet själv; en annan handläggare måste godkänna eller avslå det.`,
    );
  }
}

export async function claimCase(input: { caseId: string; user: Principal }, deps: ReviewDeps): Promise<CaseRecord> {
  const record = await loadCase(deps.cases, input.caseId);
  if (record.status === "AWAITING_SECOND_APPROVAL") {
    // The second handler claims the proposal to approve or reject it; the proposer cannot.
    assertNotProposer(record, input.user);
    if (record.claimedBy !== undefined && record.claimedBy !== actorId(input.user)) {
      throw new CaseClaimedError(`case ${record.caseId} is claimed by another handler`);
    }
  } else {
    assertChangeable(record, input.user);
  }
  if (record.claimedBy === actorId(input.user)) return record;
  const saved = await commitChange(deps, record, input.user, "claimed", (d) => {
    d.claimedBy = actorId(input.user);
  });
  await deps.audit.append({ at: saved.updatedAt, user: actorId(input.user), caseId: saved.caseId, action: "CLAIM" });
  return saved;
}

/** Releases the caller's own claim (admins may release anyone's). */
export async function releaseCase(input: { caseId: string; user: Principal }, deps: ReviewDeps): Promise<CaseRecord> {
  const record = await loadCase(deps.cases, input.caseId);
  if (record.claimedBy === undefined) return record;
  if (record.claimedBy !== actorId(input.user) && !input.user.groups.includes("admin")) {
    throw new CaseClaimedError(`case ${record.caseId} is claimed by another handler`);
  }
  const saved = await commitChange(deps, record, input.user, "released", (d) => {
    delete d.claimedBy;
  });
  await deps.audit.append({ at: saved.updatedAt, user: actorId(input.user), caseId: saved.caseId, action: "RELEASE" });
  return saved;
}
