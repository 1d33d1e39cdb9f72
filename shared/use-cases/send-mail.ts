// SendMail: the confirmation of an executed action, or the return-for-completion notice. Exactly once per
// (caseId, kind): the idempotency key is recorded on the case, and a retry finds it and sends nothing.
// Only exactly known addresses are mailed (domain/mail-safety.ts: a handler's correction, a verified staff member's
// directory address, or a reading certain letter for letter); a doubtful one is not, and the case history says which.
// A party the mail cannot reach gets a printable letter (PDF in the archive bucket, `letters` on the case) that the
// mail room posts (shared/use-cases/letters.ts): the citizen whose written address was not mailed, and the vouching
// staff member when none of their addresses was mailed (or when nothing at all was mailed).
// Mails carry no patient data (shared/mail/render.ts); letters name the subject where the routine needs it.

import type { CaseRecord, CaseStatus, LetterRecipient } from "../domain/case.ts";
import { effectiveText, transition, writtenGuardians } from "../domain/case-record.ts";
import { ActionNotAllowedError, CaseNotFoundError } from "../domain/errors.ts";
import type { FormCode } from "../domain/forms.ts";
import {
  type AddressFate,
  addressFate,
  addressFieldsOf,
  isPlainAddress,
  staffAddressFieldsOf,
} from "../domain/mail-safety.ts";
import {
  type ConfirmationModel,
  cleanAddresses,
  type LetterSubject,
  type MailKind,
  type RenderedMail,
  renderConfirmation,
  renderReturnNotice,
} from "../mail/render.ts";
import { ACCOUNT_RESULTS, type AccountResult } from "../ports/account-service.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { Mailer } from "../ports/mailer.ts";
import type { PersonRegistry } from "../ports/person-registry.ts";
import type { ScanStore } from "../ports/scan-store.ts";
import type { StaffDirectory } from "../ports/staff-directory.ts";
import { saveOnLatest } from "./case-history.ts";
import type { TaskResult } from "./contracts.ts";
import { type LetterPlan, letterSubject, writeLetters } from "./letters.ts";
import { assertScanUnchanged } from "./scan-unchanged.ts";

export interface SendMailDeps {
  cases: CaseStore;
  mailer: Mailer;
  scans: ScanStore;
  clock: Clock;
  config: { archiveBucket: string };
  /** The person registry: the citizen's postal address for a letter. Optional: without it "adress saknas". */
  registry?: PersonRegistry;
  /** The staff directory: the unit's postal address for a staff letter. Optional: without it "adress saknas". */
  staff?: StaffDirectory;
}

const STEP = "SendMail";
/** reviewReason prefix of a case whose e-mail may have been sent before a crash (never sent twice). */
export const MAIL_UNCERTAIN = "MAIL_MAY_HAVE_BEEN_SENT";

export function mailIdempotencyKey(caseId: string, kind: MailKind): string {
  return `${caseId}:${kind}`;
}

export { MAIL_ADDRESS_MIN_CONFIDENCE } from "../domain/mail-safety.ts";

/** What the mail rule (domain/mail-safety.ts, the same one `lockdesk eval` counts with) makes of one field. */
export function fieldFate(record: CaseRecord, field: string): AddressFate {
  return addressFate({
    value: effectiveText(record, field),
    confidence: record.fields[field]?.confidence ?? 0,
    corrected: Object.hasOwn(record.corrections, field),
    directoryAddress: record.staff?.addresses[field],
  });
}

/** The address in a field when it may be mailed (see fieldFate), else "". */
function mailableAddress(record: CaseRecord, field: string): string {
  const fate = fieldFate(record, field);
  return fate.fate === "MAIL" ? fate.address : "";
}

/** Addresses written on the form that are not mailed because they were read with doubt (field names only). */
export function doubtfulAddressFields(record: CaseRecord, kind: MailKind): string[] {
  return addressFields(record, kind).filter((f) => fieldFate(record, f).fate === "LETTER");
}

function addressFields(record: CaseRecord, kind: MailKind): string[] {
  if (!record.formCode) return [];
  if (kind === "RETURN_NOTICE") return staffAddressFieldsOf(record.formCode);
  return addressFieldsOf(record.formCode);
}

/**
 * Who gets which mail: the confirmation goes to every address on the form, the notice to the voucher's; only
 * addresses read with confidence (or corrected by a handler).
 */
export function recipients(record: CaseRecord, kind: MailKind): string[] {
  return cleanAddresses(addressFields(record, kind).map((f) => mailableAddress(record, f)));
}

/**
 * Renders the mail of a case (or, with `letter`, the text of a posted letter about it); throws
 * ActionNotAllowedError when the case is not in a state for that mail.
 */
export function renderCaseMail(record: CaseRecord, kind: MailKind, now: Date, letter?: LetterSubject): RenderedMail {
  const formCode = record.formCode;
  if (!formCode) throw new ActionNotAllowedError(`case ${record.caseId}: no form, no mail`);
  const common = {
    caseId: record.caseId,
    formCode,
    action: record.action,
    receivedDate: record.receivedDate,
    protectedIdentity: record.registry?.protectedIdentity === true,
  };
  if (kind === "CONFIRMATION") {
    const result = record.execution?.result;
    if (!result || !isConfirmable(result)) {
      throw new ActionNotAllowedError(`case ${record.caseId}: nothing executed to confirm`);
    }
    const model: ConfirmationModel = {
      ...common,
      result,
      guardianCount: formCode === "1177-VH" ? writtenGuardians(record).length : 0,
      date: now.toISOString().slice(0, 10),
    };
    return renderConfirmation(model, letter);
  }
  const returned = record.decision === "RETURN" || record.handlerDecision?.decision === "RETURN";
  if (!returned) throw new ActionNotAllowedError(`case ${record.caseId}: not returned for completion`);
  // A handler's return: the notice explains the reasons the handler ticked and carries the handler's message.
  const chosen = record.handlerDecision?.decision === "RETURN" ? record.handlerDecision.returnReasons : undefined;
  const note = record.handlerDecision?.decision === "RETURN" ? record.handlerDecision.noticeNote : undefined;
  return renderReturnNotice(
    {
      ...common,
      reasons: chosen && chosen.length > 0 ? chosen : record.reasons,
      ...(chosen && chosen.length > 0 ? { chosenByHandler: true } : {}),
      ...(note ? { note } : {}),
    },
    letter,
  );
}

/**
 * The letters a mail needs: the citizen's (EGEN confirmation) when their written address is not mailed; the staff
 * member's when none of their addresses is mailed and they wrote one, or when nothing at all is mailed.
 */
export function letterPlans(record: CaseRecord, kind: MailKind): LetterPlan[] {
  const fields = addressFields(record, kind);
  const written = (f: string) => effectiveText(record, f) !== "";
  const mailed = (f: string) => cleanAddresses([mailableAddress(record, f)]).length > 0;
  const doubtful = doubtfulAddressFields(record, kind);
  const why = (fs: string[]): string => {
    // Not an address at all ("linnea at example") is not a doubtful reading of one: say so.
    const d = fs.filter((f) => doubtful.includes(f) && isPlainAddress(effectiveText(record, f)));
    if (d.length > 0) return `address read with doubt: ${d.join(", ")}`;
    const invalid = fs.filter(written);
    return invalid.length > 0 ? `address not valid: ${invalid.join(", ")}` : "no e-mail address on the form";
  };
  const plans: LetterPlan[] = [];
  const citizen = fields.filter((f) => f === "citizen.email");
  if (citizen.some(written) && !citizen.some(mailed)) plans.push({ recipient: "CITIZEN", why: why(citizen) });
  const staff = fields.filter((f) => f !== "citizen.email");
  const nothingMailed = !fields.some(mailed);
  if (!staff.some(mailed) && (nothingMailed || staff.some(written))) {
    plans.push({ recipient: "STAFF", why: why(staff) });
  }
  return plans;
}

const CONFIRMABLE: ReadonlySet<string> = new Set<AccountResult>(ACCOUNT_RESULTS.filter((r) => r !== "MANUAL_PENDING"));

function isConfirmable(result: string): result is Exclude<AccountResult, "MANUAL_PENDING"> {
  return CONFIRMABLE.has(result);
}

function statusAfter(kind: MailKind): CaseStatus {
  return kind === "CONFIRMATION" ? "EXECUTED" : "RETURNED";
}

export function archiveYear(record: CaseRecord): string {
  return (record.receivedDate || record.receivedAt).slice(0, 4);
}

export async function sendMail(input: { caseId: string; kind: MailKind }, deps: SendMailDeps): Promise<TaskResult> {
  const record = await deps.cases.get(input.caseId);
  if (!record) throw new CaseNotFoundError(`case ${input.caseId} not found`);
  const key = mailIdempotencyKey(record.caseId, input.kind);

  // Idempotent: the mail is recorded (letters are written before it), or a letter-only mail is done.
  if (record.mails?.some((m) => m.kind === input.kind)) return { caseId: record.caseId, status: record.status };
  const lettersDone = record.letters?.some((l) => l.kind === input.kind) === true;
  const to = recipients(record, input.kind);
  if (lettersDone && to.length === 0) return { caseId: record.caseId, status: record.status };

  const now = deps.clock.now();
  const at = now.toISOString();
  const mail = renderCaseMail(record, input.kind, now);
  await assertScanUnchanged(record, deps, STEP, "e-mail or letter");
  const status = statusAfter(input.kind);
  const formCode = record.formCode as FormCode; // renderCaseMail refused a case without a form

  let base = record;
  if (!lettersDone) {
    const plans = letterPlans(record, input.kind);
    if (plans.length > 0) {
      const render = (recipient: LetterRecipient) =>
        renderCaseMail(record, input.kind, now, letterSubject(record, formCode, recipient));
      const written = await writeLetters(record, formCode, input.kind, plans, render, at, archiveYear(record), deps);
      // Without an e-mail the letters are the mail: the case moves on now. With one, the status changes with it.
      base = await saveOnLatest(deps.cases, record, (latest) => ({
        ...withHistory(latest, to.length === 0 ? status : latest.status, at, ...written.map((w) => w.what)),
        letterRequired: true,
        letters: [...(latest.letters ?? []), ...written.map((w) => w.letter)],
      }));
    }
    if (to.length === 0) return { caseId: base.caseId, status: base.status };
  }

  // Exactly once, across a crash: SES has no idempotency key. The intent is written before the hand-over; an
  // intent without a sent mail means the process died in between and the mail may have gone out: a handler
  // checks instead of a second mail.
  if (base.mailIntents?.some((i) => i.key === key)) {
    const parked = await saveOnLatest(deps.cases, base, (latest) => ({
      ...withHistory(latest, "IN_REVIEW", at, `${input.kind} e-mail may have been sent before an interruption`),
      reviewReason: `${MAIL_UNCERTAIN}: ${input.kind}`,
    }));
    return { caseId: parked.caseId, status: parked.status };
  }
  base = await saveOnLatest(deps.cases, base, (latest) =>
    transition(
      latest,
      { mailIntents: [...(latest.mailIntents ?? []), { kind: input.kind, key, at }] },
      { at, by: STEP, what: [] },
    ),
  );
  const { messageId } = await deps.mailer.send({
    to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    idempotencyKey: key,
  });
  const doubtful = doubtfulAddressFields(record, input.kind);
  const skipped = doubtful.length > 0 ? `; not mailed, read with doubt: ${doubtful.join(", ")}` : "";
  const what = `${input.kind} e-mail to ${to.length} recipient(s)${skipped}, template ${mail.templateVersion}`;
  const next = await saveOnLatest(deps.cases, base, (latest) => ({
    ...withHistory(latest, status, at, what),
    mails: [...(latest.mails ?? []), { kind: input.kind, to, messageId, at }],
  }));
  return { caseId: next.caseId, status: next.status };
}

/** The next version in `status`: a "status A → B" entry when it changes, then one entry per text. */
function withHistory(latest: CaseRecord, status: CaseStatus, at: string, ...whats: string[]): CaseRecord {
  return transition(latest, { status }, { at, by: STEP, what: whats });
}
