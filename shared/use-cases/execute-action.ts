// ExecuteAction: carry out the account action a case asks for, exactly once.
// The case record is the idempotency ledger: the result is written on the case before we return, and a
// retry of a case that already has a result never calls the account service again.

import type { CaseRecord, CaseStatus } from "../domain/case.ts";
import { maskPersonnummer } from "../domain/case.ts";
import {
  effectivePersonnummer,
  effectiveText,
  effectiveValue,
  subjectField,
  transition,
  writtenGuardians,
} from "../domain/case-record.ts";
import { ActionNotAllowedError, CaseNotFoundError, CaseVersionConflictError } from "../domain/errors.ts";
import type { Action, ReasonCode } from "../domain/forms.ts";
import { isApprovalComplete } from "../domain/four-eyes.ts";
import type { AccountResult, AccountService } from "../ports/account-service.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { PersonRegistry } from "../ports/person-registry.ts";
import type { ScanStore } from "../ports/scan-store.ts";
import { saveOnLatest } from "./case-history.ts";
import type { TaskResult } from "./contracts.ts";
import { assertScanUnchanged } from "./scan-unchanged.ts";

export interface ExecuteActionDeps {
  cases: CaseStore;
  accounts: AccountService;
  clock: Clock;
  /** The scans bucket: the object must still be the scan the case was read from (scan-unchanged.ts). */
  scans: ScanStore;
  /** Optional: re-check the child's protected identity at execution time (else the case's registry result is used). */
  registry?: PersonRegistry;
}

const STEP = "ExecuteAction";

// The effective values and the subject field live in the domain (case-record.ts); re-exported for call sites.
export { effectivePersonnummer, effectiveText, effectiveValue, subjectField, writtenGuardians };

/**
 * The case may act on a person: the machine decided EXECUTE, or a handler approved, and then with a second,
 * different handler where the four-eyes rule asks for one (checked here again: the last guard before the service).
 */
export function isExecutionAllowed(record: CaseRecord): boolean {
  const handler = record.handlerDecision;
  if (handler?.decision === "APPROVE") {
    return isApprovalComplete({ action: record.action, reasons: record.reasons, manual: record.manual }, handler);
  }
  return record.decision === "EXECUTE";
}

/** Swedish steps for a handler in manual mode (the 1177 staff tool is operated by hand). Never a full personnummer. */
export function manualChecklist(record: CaseRecord, action: Action): Array<{ step: string; done: boolean }> {
  const subject = maskPersonnummer(record.formCode ? effectivePersonnummer(record, subjectField(record.formCode)) : "");
  const steps: string[] = [
    "Logga in i 1177 e-tjänsters personalverktyg för Spärr- och loggservice.",
    `Sök fram ${action === "BLOCK" || action === "UNBLOCK" ? "barnet" : "invånaren"} med personnumret i ärendet (${subject}); kontrollera att det stämmer med blanketten.`,
  ];
  if (action === "LOCK") steps.push("Lås invånarens inloggning till 1177 e-tjänster.");
  if (action === "UNLOCK") steps.push("Häv låsningen av invånarens inloggning till 1177 e-tjänster.");
  if (action === "BLOCK" || action === "UNBLOCK") {
    for (const g of writtenGuardians(record)) {
      const verb = action === "BLOCK" ? "Blockera" : "Häv blockeringen av";
      const which = g.slot === "guardian1" ? "vårdnadshavare 1" : "vårdnadshavare 2";
      steps.push(
        `${verb} ${which} (${maskPersonnummer(g.personnummer)}) för åtkomst till barnets journal och e-tjänster.`,
      );
    }
  }
  steps.push("Kontrollera att statusen i personalverktyget visar den nya inställningen.");
  steps.push(`Bekräfta utförandet i lockdesk för ärende ${record.caseId}; då skickas bekräftelsen.`);
  return steps.map((step) => ({ step, done: false }));
}

/** The next version in `status`: a "status A → B" entry when it changes, then `what` when given. */
function withStatus(record: CaseRecord, status: CaseStatus, at: string, what?: string): CaseRecord {
  return transition(record, { status }, { at, by: STEP, what: what ? [what] : [] });
}

export async function executeAction(input: { caseId: string }, deps: ExecuteActionDeps): Promise<TaskResult> {
  const record = await deps.cases.get(input.caseId);
  if (!record) throw new CaseNotFoundError(`case ${input.caseId} not found`);

  // Idempotent retry: a result is on the case already.
  if (record.execution) {
    if (record.execution.result === "MANUAL_PENDING") {
      return { caseId: record.caseId, route: "DONE", status: record.status };
    }
    if (record.execution.result === "NO_BLOCK_NEEDED") {
      return { caseId: record.caseId, route: "DONE", status: record.status };
    }
    return { caseId: record.caseId, status: record.status };
  }

  if (!isExecutionAllowed(record)) {
    throw new ActionNotAllowedError(
      `case ${record.caseId}: decision ${record.decision ?? "none"} does not allow execution`,
    );
  }
  const formCode = record.formCode;
  const action = record.action;
  if (!formCode || !action) throw new ActionNotAllowedError(`case ${record.caseId}: no form or no action`);
  const subject = effectivePersonnummer(record, subjectField(formCode));
  if (subject.length !== 12) throw new ActionNotAllowedError(`case ${record.caseId}: subject personnummer missing`);

  await assertScanUnchanged(record, deps, STEP, "account action");
  const now = deps.clock.now().toISOString();

  if (formCode === "1177-VH") {
    if (action !== "BLOCK" && action !== "UNBLOCK")
      throw new ActionNotAllowedError(`case ${record.caseId}: bad action`);
    // A child with protected identity is hidden from guardians by the portal: blocking is not needed.
    const protectedChild = deps.registry
      ? ((await deps.registry.findByPersonnummer(subject))?.protectedIdentity ?? false)
      : (record.registry?.protectedIdentity ?? false);
    if (protectedChild && action === "BLOCK") {
      const reason: ReasonCode = "CHILD_PROTECTED_NO_BLOCK_NEEDED";
      const next: CaseRecord = {
        ...withStatus(record, "IN_REVIEW", now, `no block needed (${reason}); handed to a handler`),
        reasons: record.reasons.includes(reason) ? record.reasons : [...record.reasons, reason],
        execution: { result: "NO_BLOCK_NEEDED", at: now, details: { reason } },
      };
      await deps.cases.put(next);
      return { caseId: next.caseId, route: "DONE", status: next.status };
    }
    const guardians = writtenGuardians(record);
    if (guardians.length === 0) throw new ActionNotAllowedError(`case ${record.caseId}: no guardian on the form`);
    const bad = guardians.find((g) => g.personnummer.length !== 12);
    if (bad) throw new ActionNotAllowedError(`case ${record.caseId}: ${bad.slot} personnummer incomplete`);
    // Mark EXECUTING first so a crash mid-way is visible; the service itself is idempotent per guardian.
    const executing = withStatus(record, "EXECUTING", now);
    await deps.cases.put(executing);
    const details: Record<string, string> = {};
    let manual = false;
    for (const g of guardians) {
      const r =
        action === "BLOCK"
          ? await deps.accounts.blockGuardian(subject, g.personnummer, record.caseId)
          : await deps.accounts.unblockGuardian(subject, g.personnummer, record.caseId);
      details[g.slot] = r;
      if (r === "MANUAL_PENDING") manual = true;
    }
    const result = manual ? "MANUAL_PENDING" : combine(Object.values(details) as AccountResult[]);
    return finish(executing, action, result, details, deps);
  }

  if (action !== "LOCK" && action !== "UNLOCK") throw new ActionNotAllowedError(`case ${record.caseId}: bad action`);
  const executing = withStatus(record, "EXECUTING", now);
  await deps.cases.put(executing);
  const r =
    action === "LOCK"
      ? await deps.accounts.lock(subject, record.caseId)
      : await deps.accounts.unlock(subject, record.caseId);
  return finish(executing, action, r, {}, deps);
}

/** Several guardian results → one: a fresh change wins over "already" (the case did change something). */
function combine(results: AccountResult[]): AccountResult {
  const fresh = results.find((r) => !r.startsWith("ALREADY_"));
  return fresh ?? results[0] ?? "MANUAL_PENDING";
}

async function finish(
  executing: CaseRecord,
  action: Action,
  result: AccountResult,
  details: Record<string, string>,
  deps: ExecuteActionDeps,
): Promise<TaskResult> {
  const at = deps.clock.now().toISOString();
  if (result === "MANUAL_PENDING") {
    const next = await saveOnLatest(deps.cases, executing, (latest) => ({
      ...withStatus(latest, "AWAITING_MANUAL_EXECUTION", at, `manual mode: ${action} waits for a handler`),
      execution: { result, at, details },
      manualChecklist: manualChecklist(latest, action),
    }));
    return { caseId: next.caseId, route: "DONE", status: next.status };
  }
  const next = await saveOnLatest(deps.cases, executing, (latest) => ({
    ...withStatus(latest, "EXECUTING", at, `account action ${action}: ${result}`),
    execution: Object.keys(details).length > 0 ? { result, at, details } : { result, at },
  }));
  return { caseId: next.caseId, status: next.status };
}

/**
 * Manual mode: a handler confirms that the steps were done in the staff tool. The case gets the result the
 * service would have returned and status APPROVED, so a resumed execution ({caseId, resume: true}) is
 * re-validated (ValidateCase skips EXECUTING and AWAITING_MANUAL_EXECUTION cases), reaches ExecuteAction, finds
 * the result on the case without calling the service, and goes on to the confirmation and the archive.
 */
export async function confirmManualExecution(
  input: { caseId: string; by: string; expectedVersion?: number },
  deps: Pick<ExecuteActionDeps, "cases" | "clock">,
): Promise<CaseRecord> {
  const record = await deps.cases.get(input.caseId);
  if (!record) throw new CaseNotFoundError(`case ${input.caseId} not found`);
  if (
    record.status !== "AWAITING_MANUAL_EXECUTION" ||
    record.execution?.result !== "MANUAL_PENDING" ||
    !record.action
  ) {
    throw new ActionNotAllowedError(`case ${record.caseId} does not wait for manual execution`);
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== record.version) {
    throw new CaseVersionConflictError(`case ${record.caseId} changed since it was read`);
  }
  const done: Record<Action, AccountResult> = {
    LOCK: "LOCKED",
    UNLOCK: "UNLOCKED",
    BLOCK: "BLOCKED",
    UNBLOCK: "UNBLOCKED",
  };
  const at = deps.clock.now().toISOString();
  const next = transition(
    record,
    {
      status: "APPROVED",
      execution: { result: done[record.action], at, details: { manual: "true", confirmedBy: input.by } },
      manualChecklist: (record.manualChecklist ?? []).map((s) => ({ ...s, done: true })),
    },
    { at, by: STEP, what: [{ by: input.by, what: `manual execution of ${record.action} confirmed` }] },
  );
  await deps.cases.put(next);
  return next;
}
