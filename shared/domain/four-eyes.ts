// Four eyes where no complete paper vouches. An account action is backed by a paper when the machine read a
// complete, vidimated form and decided EXECUTE on its own. Everything else a handler decides on their own word:
// an urgent case created by phone, an override of a reason that questions WHO the person is or WHETHER the paper
// still counts, and any lifting of a lock or block. Those need a second handler, never the one who proposed it.
// Protective urgent actions (LOCK, BLOCK by phone) may run on one handler's word (the routine's urgent path:
// block at once, investigate after) and stay marked for follow-up until the paper arrives.
import type { Action, ReasonCode } from "./forms.ts";

export interface FourEyesSettings {
  /** Region setting (FOUR_EYES_ALL_UNLOCKS / lockdesk:fourEyesAllUnlocks): every UNLOCK/UNBLOCK needs two handlers, even one the machine would execute from a complete paper. */
  allUnlocks: boolean;
}

export const DEFAULT_FOUR_EYES: FourEyesSettings = { allUnlocks: false };

/** Reasons whose override by a handler needs a second handler: the person or the paper itself is in doubt. */
export const OVERRIDE_NEEDS_SECOND: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  "PNR_INVALID",
  "PERSON_NOT_FOUND",
  "NAME_MISMATCH",
  "PROTECTED_IDENTITY",
  "GUARDIAN_MISMATCH",
  "DUPLICATE_SCAN",
  "LATER_CASE_EXISTS",
]);

/** Actions that lift a protection (a lock or a guardian block). */
export const RELEASING_ACTIONS: ReadonlySet<Action> = new Set<Action>(["UNLOCK", "UNBLOCK"]);

export type FourEyesWhy =
  /** An urgent case created by hand (phone), no paper, asking to lift a protection. */
  | "URGENT_WITHOUT_PAPER"
  /** A handler decides an UNLOCK/UNBLOCK. */
  | "HANDLER_RELEASE"
  /** A handler overrides a reason in OVERRIDE_NEEDS_SECOND. */
  | "OVERRIDE"
  /** The region requires four eyes for every UNLOCK/UNBLOCK. */
  | "REGION_ALL_UNLOCKS";

/** What the rule looks at: the case as a handler sees it when deciding. */
export interface ApprovalCase {
  action: Action | null;
  reasons: readonly ReasonCode[];
  /** Created by hand by a handler (urgent, no scan). */
  manual?: boolean | undefined;
}

/**
 * Why a handler's APPROVE of `c` needs a second handler's approval; empty when one handler may decide.
 * Pure: the same answer for the API (at the proposal) and for ValidateCase (before any account action).
 */
export function secondApproverReasons(c: ApprovalCase, settings: FourEyesSettings = DEFAULT_FOUR_EYES): FourEyesWhy[] {
  const why: FourEyesWhy[] = [];
  const releasing = c.action !== null && RELEASING_ACTIONS.has(c.action);
  if (c.manual === true && releasing) why.push("URGENT_WITHOUT_PAPER");
  if (releasing) why.push("HANDLER_RELEASE");
  if (c.reasons.some((r) => OVERRIDE_NEEDS_SECOND.has(r))) why.push("OVERRIDE");
  if (releasing && settings.allUnlocks) why.push("REGION_ALL_UNLOCKS");
  return why;
}

/** The overridden reasons that call for a second handler (for the proposal's record). */
export function overriddenReasons(c: ApprovalCase): ReasonCode[] {
  return c.reasons.filter((r) => OVERRIDE_NEEDS_SECOND.has(r));
}

/**
 * The machine may execute a case it decided EXECUTE from a complete paper on its own, except an UNLOCK/UNBLOCK
 * when the region requires four eyes for all of them: then the case goes to the handlers.
 */
export function machineMayExecute(action: Action | null, settings: FourEyesSettings = DEFAULT_FOUR_EYES): boolean {
  return !(settings.allUnlocks && action !== null && RELEASING_ACTIONS.has(action));
}

/** An urgent protective action (LOCK/BLOCK by phone) runs on one handler's word and is followed up until the paper arrives. */
export function needsPaperFollowUp(c: ApprovalCase): boolean {
  return c.manual === true && c.action !== null && !RELEASING_ACTIONS.has(c.action);
}

export interface RecordedApproval {
  by: string;
  decision: string;
  secondApprover?: { by: string } | undefined;
}

/**
 * The handler approval on a case is enough to act on: an APPROVE, and, when the rule asks for it, a second
 * approver who is not the proposer.
 */
export function isApprovalComplete(
  c: ApprovalCase,
  approval: RecordedApproval | undefined,
  settings: FourEyesSettings = DEFAULT_FOUR_EYES,
): boolean {
  if (approval?.decision !== "APPROVE") return false;
  if (secondApproverReasons(c, settings).length === 0) return true;
  const second = approval.secondApprover?.by;
  return second !== undefined && second !== approval.by;
}

/** ValidateCase's reviewReason when it parks a case for four eyes (Swedish: the case page shows it). */
export const FOUR_EYES_PARKED = {
  REGION: "Regionen kräver två handläggare för varje upplåsning och hävd blockering.",
  INCOMPLETE: "Beslutet kräver godkännande av två olika handläggare.",
} as const;

/** Swedish, for handlers: why two handlers must agree. */
export const FOUR_EYES_TEXTS: Record<FourEyesWhy, string> = {
  URGENT_WITHOUT_PAPER: "Brådskande ärende utan blankett som häver ett skydd",
  HANDLER_RELEASE: "Upplåsning eller hävd blockering som beslutas av handläggare",
  OVERRIDE: "Handläggaren går förbi en kontroll av person eller blankett",
  REGION_ALL_UNLOCKS: "Regionen kräver två handläggare för varje upplåsning och hävd blockering",
};
