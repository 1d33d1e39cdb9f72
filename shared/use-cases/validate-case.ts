// ValidateCase: the rules (validateForm) applied to the case as read plus a handler's corrections, the
// earlier cases of the same subject, and a handler's decision. Returns where the execution goes next.
import type { CaseRecord, RegistryResult, StaffDirectoryResult } from "../domain/case.ts";
import { parseWrittenDate, vouchingDateField } from "../domain/earlier-papers.ts";
import { InvalidCaseStateError } from "../domain/errors.ts";
import {
  type Decision,
  type ExtractedForm,
  type FieldValue,
  PIPELINE_REASON_CODES,
  REASON_CODES,
  RETURN_CODES,
  type ReasonCode,
} from "../domain/forms.ts";
import { FOUR_EYES_PARKED, type FourEyesSettings, isApprovalComplete, machineMayExecute } from "../domain/four-eyes.ts";
import { isValidPersonnummer12 } from "../domain/personnummer.ts";
import type { StaffCheck } from "../domain/staff.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { CaregiverList, PersonRegistry } from "../ports/person-registry.ts";
import type { StaffDirectory } from "../ports/staff-directory.ts";
import {
  type CaseLogger,
  FINISHED_STATUSES,
  loadCase,
  OPEN_STATUSES,
  pipelineLogger,
  saveTransition,
} from "./case-history.ts";
import type { CaseRef, TaskResult } from "./contracts.ts";
import { checkEarlierPapers } from "./earlier-cases.ts";
import { effectiveText } from "./execute-action.ts";

export interface ValidateFormInput {
  form: ExtractedForm;
  corrections?: Record<string, FieldValue>;
  receivedDate: string;
  minConfidence?: number;
}

/** What ValidateCase needs from validateForm's result (shared/use-cases/validate-form.ts). */
export interface ValidateFormOutcome {
  decision: Decision;
  reasons: ReasonCode[];
  subjectPersonnummer?: string | null | undefined;
  registry?: Partial<RegistryResult> | null | undefined;
  caregiverListVersion?: string | null | undefined;
  staff?: StaffCheck | null | undefined;
  staffAddresses?: Record<string, string> | undefined;
  doubtfulFields?: string[] | undefined;
}

export type ValidateFormFn = (
  input: ValidateFormInput,
  deps: { registry: PersonRegistry; caregivers: CaregiverList; staff?: StaffDirectory | undefined },
) => Promise<ValidateFormOutcome>;

export interface ValidateCaseDeps {
  cases: CaseStore;
  registry: PersonRegistry;
  caregivers: CaregiverList;
  /** The staff directory (HSA); absent: today's rules without the staff check. */
  staff?: StaffDirectory | undefined;
  /** The decision rules: shared/use-cases/validate-form.ts in production, a fake in unit tests. */
  validate: ValidateFormFn;
  clock: Clock;
  minConfidence?: number;
  /** The region's four-eyes setting (FOUR_EYES_ALL_UNLOCKS); default off. */
  fourEyes?: FourEyesSettings;
  logger?: CaseLogger;
}

const STEP = "ValidateCase";
const REASON_ORDER: readonly ReasonCode[] = [...REASON_CODES, ...PIPELINE_REASON_CODES];
const SEVERITY: Record<Decision, number> = { EXECUTE: 0, REVIEW: 1, RETURN: 2 };

/** Contract order first, pipeline codes after; no duplicates. */
export function orderReasons(reasons: Iterable<ReasonCode>): ReasonCode[] {
  const set = new Set(reasons);
  return REASON_ORDER.filter((r) => set.has(r));
}

export function decisionFor(reasons: readonly ReasonCode[]): Decision {
  if (reasons.some((r) => RETURN_CODES.has(r))) return "RETURN";
  return reasons.length > 0 ? "REVIEW" : "EXECUTE";
}

export async function validateCase(input: CaseRef, deps: ValidateCaseDeps): Promise<TaskResult> {
  const log = deps.logger ?? pipelineLogger();
  const record = await loadCase(deps.cases, input.caseId);
  const early = notValidatable(record);
  if (early) {
    log.info("case not validated", { caseId: record.caseId, step: STEP, status: record.status, route: early.route });
    return early;
  }
  if (isActionCarriedOut(record)) {
    // The account action is done (e.g. a handler confirmed a manual execution): re-validating could park the
    // case with a new reason and the confirmation would never go out. ExecuteAction finds the result on the case
    // and does not call the service again; the confirmation and the archive follow.
    log.info("account action already carried out", { caseId: record.caseId, step: STEP, route: "EXECUTE" });
    return { caseId: record.caseId, route: "EXECUTE", status: record.status };
  }

  // The mail room's earlier receipt date cannot be before the paper was vouched for: such a claim is discarded and
  // the arrival date (the system's own receipt date) used, as for a scan without a claim.
  const claimCheck = checkClaimedReceiptDate(record);
  const receivedDate = claimCheck?.receivedDate ?? record.receivedDate;

  const outcome = await deps.validate(
    {
      form: {
        formCode: record.formCode,
        formVersion: record.formVersion,
        action: record.action,
        fields: record.fields,
        warnings: [],
      },
      corrections: record.corrections,
      receivedDate,
      ...(deps.minConfidence !== undefined ? { minConfidence: deps.minConfidence } : {}),
    },
    { registry: deps.registry, caregivers: deps.caregivers, ...(deps.staff ? { staff: deps.staff } : {}) },
  );
  const now = deps.clock.now();
  const subject = outcome.subjectPersonnummer ? outcome.subjectPersonnummer.replace(/\D/g, "") : "";

  // Earlier cases of the same subject; an open one means someone may be acting on this person already.
  const others =
    subject.length === 12 ? (await deps.cases.listBySubject(subject)).filter((c) => c.caseId !== record.caseId) : [];
  const earlier = others.filter((c) => c.receivedAt <= record.receivedAt);
  const priorOpen = earlier.some((c) => OPEN_STATUSES.has(c.status));
  const papers = await checkEarlierPapers({ ...record, receivedDate }, subject, others, deps.cases);
  const reasons = orderReasons([
    ...outcome.reasons,
    ...(priorOpen ? (["PRIOR_OPEN_CASE"] as const) : []),
    ...(papers.duplicateOf ? (["DUPLICATE_SCAN"] as const) : []),
    ...(papers.laterCaseId ? (["LATER_CASE_EXISTS"] as const) : []),
  ]);
  let ruleDecision = [outcome.decision, decisionFor(reasons)].reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a));
  // A duplicate never acts and never mails, not even a return notice: the original had its answer.
  if (papers.duplicateOf) ruleDecision = "REVIEW";

  const registry: RegistryResult | undefined = outcome.registry
    ? {
        found: outcome.registry.found === true,
        checkedAt: outcome.registry.checkedAt ?? now.toISOString(),
        ...(outcome.registry.protectedIdentity !== undefined
          ? { protectedIdentity: outcome.registry.protectedIdentity }
          : {}),
        ...(outcome.registry.nameMatches !== undefined ? { nameMatches: outcome.registry.nameMatches } : {}),
      }
    : undefined;
  const { decision, why, fourEyes } = effectiveDecision(
    record,
    ruleDecision,
    subject,
    registry,
    reasons,
    deps.fourEyes,
  );

  const changes: Partial<CaseRecord> = {
    decision,
    reasons,
    earlierCaseIds: earlier.map((c) => c.caseId),
    vouchedOn: papers.vouchedOn,
  };
  if (claimCheck) changes.receivedDate = claimCheck.receivedDate;
  if (papers.fingerprint) changes.contentFingerprint = papers.fingerprint;
  if (papers.duplicateOf) changes.duplicateOf = papers.duplicateOf;
  if (papers.laterCaseId) changes.laterCaseId = papers.laterCaseId;
  if (subject) changes.subjectPersonnummer = subject;
  if (outcome.doubtfulFields) changes.doubtfulFields = outcome.doubtfulFields;
  if (registry) changes.registry = registry;
  if (outcome.caregiverListVersion) changes.caregiverListVersion = outcome.caregiverListVersion;
  if (fourEyes) changes.reviewReason = fourEyes;
  const named = [
    ...(papers.duplicateOf ? [`duplicate of ${papers.duplicateOf}`] : []),
    ...(papers.laterCaseId ? [`later case ${papers.laterCaseId}`] : []),
    ...(claimCheck ? [claimCheck.why] : []),
  ];
  const staff: StaffDirectoryResult | undefined = outcome.staff
    ? {
        status: outcome.staff.status,
        vgrId: outcome.staff.vgrId,
        entry: outcome.staff.entry,
        addresses: outcome.staffAddresses ?? {},
        checkedAt: now.toISOString(),
      }
    : undefined;
  if (staff) changes.staff = staff;
  // A re-validation without a check (VGR-ID corrected away) must not leave an old entry's snapped addresses behind.
  const { staff: _previous, ...unchecked } = record;
  const base: CaseRecord = staff ? record : unchecked;
  await saveTransition(deps.cases, base, changes, {
    at: now,
    by: STEP,
    what: `validated: ${decision}${reasons.length > 0 ? ` (${reasons.join(", ")})` : ""}${why ? `; ${why}` : ""}${named.length > 0 ? `; ${named.join("; ")}` : ""}`,
  });
  log.info("case validated", { caseId: record.caseId, step: STEP, decision, reasons });
  return { caseId: record.caseId, route: decision, status: record.status };
}

/**
 * A handler's recorded decision on top of the rules. RETURN reasons always win. APPROVE turns REVIEW into
 * EXECUTE only when the subject's personnummer is valid and the registry knows the person: a handler can
 * vouch for a phone verification, never act on a person nobody can identify.
 */
function effectiveDecision(
  record: CaseRecord,
  ruleDecision: Decision,
  subject: string,
  registry: RegistryResult | undefined,
  reasons: readonly ReasonCode[],
  settings: FourEyesSettings | undefined,
): { decision: Decision; why?: string; fourEyes?: string } {
  const handler = record.handlerDecision;
  if (ruleDecision === "RETURN") return { decision: ruleDecision };
  if (!handler) {
    // Four eyes for every UNLOCK/UNBLOCK (region setting): even a complete paper goes to the handlers.
    if (ruleDecision === "EXECUTE" && !machineMayExecute(record.action, settings)) {
      return { decision: "REVIEW", why: "four eyes required for every release", fourEyes: FOUR_EYES_PARKED.REGION };
    }
    return { decision: ruleDecision };
  }
  if (handler.decision === "RETURN") return { decision: "RETURN", why: `returned by ${handler.by}` };
  if (handler.decision === "APPROVE") {
    // Checked again on the case as it now reads (new reasons may have appeared): no account action on one
    // handler's word where the four-eyes rule asks for two.
    const approval = { action: record.action, reasons, manual: record.manual };
    if (!isApprovalComplete(approval, handler, settings)) {
      return {
        decision: "REVIEW",
        why: "handler approval needs a second handler (four eyes)",
        fourEyes: FOUR_EYES_PARKED.INCOMPLETE,
      };
    }
  }
  if (handler.decision === "APPROVE" && ruleDecision === "REVIEW") {
    if (isValidPersonnummer12(subject) && registry?.found === true) {
      return { decision: "EXECUTE", why: `approved by ${handler.by}` };
    }
    return { decision: "REVIEW", why: "handler approval not applicable: subject not identified in the registry" };
  }
  return { decision: ruleDecision };
}

/**
 * The claimed receipt date when it lies before the paper's written vouching date: impossible (the paper arrived
 * after it was signed), so the claim is discarded for the arrival date. Null when there is nothing to change.
 */
export function checkClaimedReceiptDate(record: CaseRecord): { receivedDate: string; why: string } | null {
  const claimed = record.claimedReceivedDate;
  if (!claimed || !record.arrivalDate || record.receivedDate !== claimed.date || !record.formCode) return null;
  const vouched = parseWrittenDate(effectiveText(record, vouchingDateField(record.formCode)));
  if (!vouched || vouched <= claimed.date) return null;
  return {
    receivedDate: record.arrivalDate,
    why: `receipt date ${claimed.date} set by ${claimed.by} is before the vouching date ${vouched}: arrival date ${record.arrivalDate} used`,
  };
}

/** Execution results that mean "not carried out": waiting for a handler, or nothing to do (handed to a handler). */
const NOT_CARRIED_OUT: ReadonlySet<string> = new Set(["MANUAL_PENDING", "NO_BLOCK_NEEDED"]);

/** The case has the result of a carried-out account action (executeAction is idempotent on it). */
export function isActionCarriedOut(record: CaseRecord): boolean {
  return record.execution !== undefined && !NOT_CARRIED_OUT.has(record.execution.result);
}

/** Cases validation must not touch: not read yet, already acted on, or parked because the scan was unreadable. */
function notValidatable(record: CaseRecord): TaskResult | null {
  const read = record.formCode !== null || Object.keys(record.fields).length > 0;
  if (
    FINISHED_STATUSES.has(record.status) ||
    record.status === "EXECUTING" ||
    record.status === "AWAITING_MANUAL_EXECUTION"
  ) {
    return { caseId: record.caseId, route: "DONE", status: record.status };
  }
  if (record.handlerDecision?.decision === "CLOSE")
    return { caseId: record.caseId, route: "DONE", status: record.status };
  if (record.status === "RECEIVED") throw new InvalidCaseStateError(`case ${record.caseId} has not been read`);
  if (!read && record.reviewReason) return { caseId: record.caseId, route: "REVIEW", status: record.status };
  if (record.status === "FAILED" && !read)
    throw new InvalidCaseStateError(`case ${record.caseId} failed before it was read`);
  return null;
}
