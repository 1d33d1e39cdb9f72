// Renders the outgoing mails (and the letter text) from a small model. Pure: no I/O, no case store.
// Personal data rules: a personnummer only ever appears masked (YYYYMMDD-****); a protected person gets a
// neutral text with the case id and nothing else; everything read from a scan is escaped in HTML.
import { maskPersonnummer } from "../domain/case.ts";
import { FORM_TITLES, type FormCode, RETURN_CODES, type ReasonCode } from "../domain/forms.ts";
import type { AccountResult } from "../ports/account-service.ts";
import { fill, htmlList, textList } from "./template.ts";
import {
  CONFIRMATION_HTML,
  CONFIRMATION_TEXT,
  CONFIRMATION_TEXTS,
  NEUTRAL_CONFIRMATION_BODY,
  NEUTRAL_HTML,
  NEUTRAL_RETURN_BODY,
  NEUTRAL_SUBJECT,
  NEUTRAL_TEXT,
  REASON_TEXTS,
  RETURN_HTML,
  RETURN_SUBJECT,
  RETURN_TEXT,
  TEMPLATE_VERSION,
} from "./templates/sv.ts";

export type MailKind = "CONFIRMATION" | "RETURN_NOTICE";

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  templateVersion: string;
}

interface CommonModel {
  caseId: string;
  formCode: FormCode;
  /** The subject (citizen or child) has protected identity: neutral text only. */
  protectedIdentity: boolean;
  /** The subject's name as written (or corrected); untrusted OCR text. */
  subjectName: string;
  /** Full personnummer as read; the renderer masks it. */
  subjectPersonnummer: string;
}

export interface ConfirmationModel extends CommonModel {
  result: Exclude<AccountResult, "MANUAL_PENDING">;
  /** 1177-VH: the guardians' personnummer (masked by the renderer). */
  guardians: string[];
  /** YYYY-MM-DD */
  date: string;
}

export interface ReturnModel extends CommonModel {
  receivedDate: string;
  reasons: ReasonCode[];
}

/**
 * Masks anything that looks like a personnummer (10 or 12 digits, optional - or +) in free text: an OCR'd name
 * box may hold digits, and no full number may ever leave in a mail.
 */
export function scrubPersonnummer(text: string): string {
  return text.replace(/(?<!\d)(\d{6}|\d{8})\s?[-+]?\s?\d{4}(?!\d)/g, (_m, birth: string) => `${birth}-****`);
}

function subjectLabel(formCode: FormCode): string {
  return formCode === "1177-VH" ? "Barn" : "Invånare";
}

function subjectLine(m: CommonModel): string {
  const name = scrubPersonnummer(m.subjectName).trim();
  const masked = maskPersonnummer(m.subjectPersonnummer);
  return [name, masked ? `(${masked})` : ""].filter(Boolean).join(" ");
}

function neutral(kind: MailKind, caseId: string): RenderedMail {
  const body = fill(kind === "CONFIRMATION" ? NEUTRAL_CONFIRMATION_BODY : NEUTRAL_RETURN_BODY, { caseId }, "text");
  const subject = fill(NEUTRAL_SUBJECT, { caseId }, "text");
  return {
    subject,
    html: fill(NEUTRAL_HTML, { subject, body }, "html"),
    text: fill(NEUTRAL_TEXT, { body }, "text"),
    templateVersion: TEMPLATE_VERSION,
  };
}

export function renderConfirmation(m: ConfirmationModel): RenderedMail {
  if (m.protectedIdentity) return neutral("CONFIRMATION", m.caseId);
  const texts = CONFIRMATION_TEXTS[m.result];
  const subject = fill(texts.subject, { caseId: m.caseId }, "text");
  const guardians = m.guardians.map((g, i) => `Vårdnadshavare ${i + 1}: ${maskPersonnummer(g)}`);
  const vars = {
    subject,
    done: texts.done,
    caseId: m.caseId,
    formCode: m.formCode,
    formTitle: FORM_TITLES[m.formCode],
    subjectLabel: subjectLabel(m.formCode),
    subjectLine: subjectLine(m),
    date: m.date,
    guardiansHtml: guardians.length > 0 ? htmlList(guardians) : "",
    guardiansText: guardians.length > 0 ? `${textList(guardians)}\n` : "",
  };
  return {
    subject,
    html: fill(CONFIRMATION_HTML, vars, "html"),
    text: fill(CONFIRMATION_TEXT, vars, "text"),
    templateVersion: TEMPLATE_VERSION,
  };
}

export function renderReturnNotice(m: ReturnModel): RenderedMail {
  if (m.protectedIdentity) return neutral("RETURN_NOTICE", m.caseId);
  const subject = fill(RETURN_SUBJECT, { caseId: m.caseId, formCode: m.formCode }, "text");
  // The notice lists what the sender must fix: the RETURN reasons (REVIEW reasons are ours to handle).
  const own = m.reasons.filter((r) => RETURN_CODES.has(r));
  const reasons = (own.length > 0 ? own : m.reasons).map((r) => REASON_TEXTS[r]);
  const vars = {
    subject,
    caseId: m.caseId,
    formCode: m.formCode,
    receivedDate: m.receivedDate,
    subjectLabel: subjectLabel(m.formCode).toLowerCase(),
    subjectMasked: maskPersonnummer(m.subjectPersonnummer) || "personnummer saknas",
    reasonsHtml: htmlList(reasons),
    reasonsText: textList(reasons),
  };
  // No greeting by name: the staff member's name is OCR text, and a misread name is worse than none (sv-2).
  return {
    subject,
    html: fill(RETURN_HTML, vars, "html"),
    text: fill(RETURN_TEXT, vars, "text"),
    templateVersion: TEMPLATE_VERSION,
  };
}

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Syntactically valid, single address (no display names, no lists, no spaces). */
export function isValidEmail(s: string): boolean {
  if (s.length > 254) return false;
  if (!EMAIL.test(s)) return false;
  const [local] = s.split("@");
  return !!local && local.length <= 64 && !local.startsWith(".") && !local.endsWith(".") && !local.includes("..");
}

/** Trimmed, valid only, deduplicated case-insensitively (first spelling kept), in the given order. */
export function cleanAddresses(candidates: Array<string | undefined>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of candidates) {
    const a = (c ?? "").trim().replace(/^mailto:/i, "");
    if (!a || !isValidEmail(a)) continue;
    const key = a.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}
