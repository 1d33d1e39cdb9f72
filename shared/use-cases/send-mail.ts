// SendMail: the confirmation of an executed action, or the return-for-completion notice. Exactly once per
// (caseId, kind): the idempotency key is recorded on the case, and a retry finds it and sends nothing.
// No valid address on the form → a printable letter (PDF) in the archive bucket and `letterRequired` on the case.
// An address read with doubt is not mailed (see MAIL_ADDRESS_MIN_CONFIDENCE); the case history says which.

import { renderLetterPdf } from "../documents/letter.ts";
import type { CaseRecord, CaseStatus } from "../domain/case.ts";
import { ActionNotAllowedError, CaseNotFoundError } from "../domain/errors.ts";
import { FORM_ROLES } from "../domain/forms.ts";
import {
  type ConfirmationModel,
  cleanAddresses,
  type MailKind,
  type RenderedMail,
  renderConfirmation,
  renderReturnNotice,
} from "../mail/render.ts";
import { ACCOUNT_RESULTS, type AccountResult } from "../ports/account-service.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { Mailer } from "../ports/mailer.ts";
import type { ScanStore } from "../ports/scan-store.ts";
import { saveOnLatest } from "./case-history.ts";
import type { TaskResult } from "./contracts.ts";
import { effectivePersonnummer, effectiveText, subjectField, writtenGuardians } from "./execute-action.ts";

export interface SendMailDeps {
  cases: CaseStore;
  mailer: Mailer;
  scans: ScanStore;
  clock: Clock;
  config: { archiveBucket: string };
}

const STEP = "SendMail";
/** reviewReason prefix of a case whose e-mail may have been sent before a crash (never sent twice). */
export const MAIL_UNCERTAIN = "MAIL_MAY_HAVE_BEEN_SENT";

export function mailIdempotencyKey(caseId: string, kind: MailKind): string {
  return `${caseId}:${kind}`;
}

/**
 * An address read from the scan with less confidence than this is never mailed: one misread character sends
 * personal data to a stranger. A handler's correction is always used. Typed addresses read at 0.76–0.99 on the
 * development scans; a hand-written one is as sure as its least sure character.
 */
export const MAIL_ADDRESS_MIN_CONFIDENCE = 0.7;

/** The address in a field when it may be mailed: corrected by a handler, or read with confidence. */
function mailableAddress(record: CaseRecord, field: string): string {
  const address = effectiveText(record, field);
  if (Object.hasOwn(record.corrections, field)) return address;
  return (record.fields[field]?.confidence ?? 0) >= MAIL_ADDRESS_MIN_CONFIDENCE ? address : "";
}

/** Addresses written on the form that are not mailed because they were read with doubt (field names only). */
export function doubtfulAddressFields(record: CaseRecord, kind: MailKind): string[] {
  return addressFields(record, kind).filter(
    (f) => cleanAddresses([effectiveText(record, f)]).length > 0 && mailableAddress(record, f) === "",
  );
}

function addressFields(record: CaseRecord, kind: MailKind): string[] {
  if (!record.formCode) return [];
  const voucher = FORM_ROLES[record.formCode].voucher;
  const voucherFields = voucher === "verifier" ? ["verifier.email"] : ["requester.email", "requester.email2"];
  if (kind === "RETURN_NOTICE") return voucherFields;
  return [...(record.formCode === "1177-EGEN" ? ["citizen.email"] : []), ...voucherFields];
}

/**
 * Who gets which mail: the confirmation goes to every address on the form, the notice to the voucher's; only
 * addresses read with confidence (or corrected by a handler).
 */
export function recipients(record: CaseRecord, kind: MailKind): string[] {
  return cleanAddresses(addressFields(record, kind).map((f) => mailableAddress(record, f)));
}

function subjectName(record: CaseRecord): string {
  const who = record.formCode === "1177-VH" ? "child" : "citizen";
  return [effectiveText(record, `${who}.givenName`), effectiveText(record, `${who}.surname`)].filter(Boolean).join(" ");
}

/** Renders the mail of a case; throws ActionNotAllowedError when the case is not in a state for that mail. */
export function renderCaseMail(record: CaseRecord, kind: MailKind, now: Date): RenderedMail {
  const formCode = record.formCode;
  if (!formCode) throw new ActionNotAllowedError(`case ${record.caseId}: no form, no mail`);
  const common = {
    caseId: record.caseId,
    formCode,
    protectedIdentity: record.registry?.protectedIdentity === true,
    subjectName: subjectName(record),
    subjectPersonnummer: effectivePersonnummer(record, subjectField(formCode)) || (record.subjectPersonnummer ?? ""),
  };
  if (kind === "CONFIRMATION") {
    const result = record.execution?.result;
    if (!result || !isConfirmable(result)) {
      throw new ActionNotAllowedError(`case ${record.caseId}: nothing executed to confirm`);
    }
    const model: ConfirmationModel = {
      ...common,
      result,
      guardians: formCode === "1177-VH" ? writtenGuardians(record).map((g) => g.personnummer) : [],
      date: now.toISOString().slice(0, 10),
    };
    return renderConfirmation(model);
  }
  const returned = record.decision === "RETURN" || record.handlerDecision?.decision === "RETURN";
  if (!returned) throw new ActionNotAllowedError(`case ${record.caseId}: not returned for completion`);
  return renderReturnNotice({
    ...common,
    receivedDate: record.receivedDate,
    reasons: record.reasons,
  });
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

  // Idempotent: sent (or printed) already.
  const sent = record.mails?.some((m) => m.kind === input.kind) || record.letters?.some((l) => l.kind === input.kind);
  if (sent) return { caseId: record.caseId, status: record.status };

  const now = deps.clock.now();
  const at = now.toISOString();
  const mail = renderCaseMail(record, input.kind, now);
  const to = recipients(record, input.kind);
  const status = statusAfter(input.kind);

  // What to write on the case, applicable to whichever version is stored when we write (see saveOnLatest).
  let apply: (latest: CaseRecord) => CaseRecord;
  let base = record;
  if (to.length === 0) {
    const voucher = record.formCode ? FORM_ROLES[record.formCode].voucher : "verifier";
    const pdf = await renderLetterPdf({
      caseId: record.caseId,
      date: at.slice(0, 10),
      // The clinic's name is on the form; it says nothing about the person, so it stays even when protected.
      recipient: [effectiveText(record, `${voucher}.unit`), effectiveText(record, `${voucher}.caregiver`)],
      subject: mail.subject,
      body: mail.text,
    });
    const letterKey = `archive/${archiveYear(record)}/${record.caseId}/letter-${input.kind.toLowerCase().replace("_", "-")}.pdf`;
    await deps.scans.put(
      deps.config.archiveBucket,
      letterKey,
      pdf,
      { "case-id": record.caseId, kind: input.kind, "idempotency-key": key },
      "application/pdf",
    );
    const doubtful = doubtfulAddressFields(record, input.kind);
    const why =
      doubtful.length > 0 ? `address read with doubt: ${doubtful.join(", ")}` : "no e-mail address on the form";
    const what = `${input.kind} letter (${why}), template ${mail.templateVersion}`;
    apply = (latest) => ({
      ...withHistory(latest, status, at, what),
      letterRequired: true,
      letters: [...(latest.letters ?? []), { kind: input.kind, bucket: deps.config.archiveBucket, key: letterKey, at }],
    });
  } else {
    // Exactly once, across a crash: SES has no idempotency key. The intent is written before the hand-over; an
    // intent without a sent mail means the process died in between and the mail may have gone out: a handler
    // checks instead of a second mail.
    if (record.mailIntents?.some((i) => i.key === key)) {
      const parked = await saveOnLatest(deps.cases, record, (latest) => ({
        ...withHistory(latest, "IN_REVIEW", at, `${input.kind} e-mail may have been sent before an interruption`),
        reviewReason: `${MAIL_UNCERTAIN}: ${input.kind}`,
      }));
      return { caseId: parked.caseId, status: parked.status };
    }
    base = await saveOnLatest(deps.cases, record, (latest) => ({
      ...latest,
      version: latest.version + 1,
      updatedAt: at,
      mailIntents: [...(latest.mailIntents ?? []), { kind: input.kind, key, at }],
    }));
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
    apply = (latest) => ({
      ...withHistory(latest, status, at, what),
      mails: [...(latest.mails ?? []), { kind: input.kind, to, messageId, at }],
    });
  }
  const next = await saveOnLatest(deps.cases, base, apply);
  return { caseId: next.caseId, status: next.status };
}

function withHistory(latest: CaseRecord, status: CaseStatus, at: string, what: string): CaseRecord {
  const history = [...latest.history];
  if (status !== latest.status) history.push({ at, by: STEP, what: `status ${latest.status} → ${status}` });
  history.push({ at, by: STEP, what });
  return { ...latest, version: latest.version + 1, status, history, updatedAt: at };
}
