// Renders the outgoing mails and the letters' text from a small model. Pure: no I/O, no case store.
// Personal data rules: ordinary e-mail carries no patient data (HSLF-FS 2016:40, 3 kap.): no name and no digit of
// the subject's personnummer, only the case reference, the form, the action, the dates and what the reader must do.
// A letter (posted, `letter` option) may name the subject (name and masked personnummer: what the routine needs).
// A protected person gets a neutral text with the case id and nothing else; everything read from a scan is escaped.
import { maskPersonnummer } from "../domain/case.ts";
import { type Action, FORM_TITLES, type FormCode, RETURN_CODES, type ReasonCode } from "../domain/forms.ts";
import type { AccountResult } from "../ports/account-service.ts";
import { escapeHtml, plainText } from "./escape.ts";
import { fill, htmlList, textList } from "./template.ts";
import {
  ACTION_LABELS,
  ACTION_MISSING_LABEL,
  CONFIRMATION_HTML,
  CONFIRMATION_TEXT,
  CONFIRMATION_TEXTS,
  LETTER_MATCH_NOTE,
  LETTER_REPLY_NOTE,
  LETTER_SUBJECT_ROW,
  MAIL_MATCH_NOTE,
  MAIL_REPLY_NOTE,
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
  VG_UNLOCK_LABEL,
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
  /** The action the form asks for; null when no box (or both) was ticked. */
  action: Action | null;
  /** YYYY-MM-DD: the receipt date, which the sender can match with their copy. */
  receivedDate: string;
  /** The subject (citizen or child) has protected identity: neutral text only. */
  protectedIdentity: boolean;
}

export interface ConfirmationModel extends CommonModel {
  result: Exclude<AccountResult, "MANUAL_PENDING">;
  /** 1177-VH: how many guardians the form names (1 or 2); their numbers never go into a mail. */
  guardianCount: number;
  /** YYYY-MM-DD: when it was carried out. */
  date: string;
}

export interface ReturnModel extends CommonModel {
  reasons: ReasonCode[];
  /** The reasons a handler ticked: all of them are explained (REVIEW codes too), not only the RETURN codes. */
  chosenByHandler?: boolean;
  /** The handler's own message to the sender (untrusted text: escaped, personnummer-like digits masked). */
  note?: string;
}

/** Only for a letter (posted): whom the case is about. Omit `subjectName` for a letter to the subject themself. */
export interface LetterSubject {
  /** The subject's name as written (or corrected); untrusted OCR text. */
  subjectName: string;
  /** Full personnummer as read; the renderer masks it. */
  subjectPersonnummer: string;
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

export function actionLabel(formCode: FormCode, action: Action | null): string {
  if (!action) return ACTION_MISSING_LABEL;
  return formCode === "1177-VG" && action === "UNLOCK" ? VG_UNLOCK_LABEL : ACTION_LABELS[action];
}

function guardianScope(count: number): string {
  if (count <= 0) return "";
  return count === 1 ? "vårdnadshavare 1 på blanketten" : "vårdnadshavare 1 och 2 på blanketten";
}

/** The rows that say whom the case concerns: in a letter the subject, in both the guardians' slots on the form. */
function scopeRows(formCode: FormCode, guardianCount: number, letter: LetterSubject | undefined): string[] {
  const rows: string[] = [];
  if (letter) {
    const name = scrubPersonnummer(letter.subjectName).trim();
    const masked = maskPersonnummer(letter.subjectPersonnummer);
    const subjectLine = [name, masked ? `(${masked})` : ""].filter(Boolean).join(" ");
    if (subjectLine) rows.push(fill(LETTER_SUBJECT_ROW, { subjectLabel: subjectLabel(formCode), subjectLine }, "text"));
  }
  const guardians = guardianScope(guardianCount);
  if (guardians) rows.push(`Gäller: ${guardians}`);
  return rows;
}

function scopeVars(rows: string[]): { scopeText: string; scopeHtml: string } {
  const cell = (r: string) => {
    const [label, ...rest] = r.split(": ");
    return `<tr><td style="padding: 2px 12px 2px 0"><strong>${escapeHtml(label ?? "")}</strong></td><td>${escapeHtml(rest.join(": "))}</td></tr>\n`;
  };
  return { scopeText: rows.map((r) => `${plainText(r)}\n`).join(""), scopeHtml: rows.map(cell).join("") };
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

/** In an e-mail the reader is told why no name is given; a letter names the subject instead. */
function matchNote(letter: LetterSubject | undefined): string {
  return letter ? LETTER_MATCH_NOTE : MAIL_MATCH_NOTE;
}

export function renderConfirmation(m: ConfirmationModel, letter?: LetterSubject): RenderedMail {
  if (m.protectedIdentity) return neutral("CONFIRMATION", m.caseId);
  const texts = CONFIRMATION_TEXTS[m.result];
  const subject = fill(texts.subject, { caseId: m.caseId }, "text");
  const vars = {
    subject,
    done: texts.done,
    caseId: m.caseId,
    formCode: m.formCode,
    formTitle: FORM_TITLES[m.formCode],
    action: actionLabel(m.formCode, m.action),
    receivedDate: m.receivedDate,
    date: m.date,
    matchNote: matchNote(letter),
    replyNote: letter ? LETTER_REPLY_NOTE : MAIL_REPLY_NOTE,
    ...scopeVars(scopeRows(m.formCode, m.formCode === "1177-VH" ? m.guardianCount : 0, letter)),
  };
  return {
    subject,
    html: fill(CONFIRMATION_HTML, vars, "html"),
    text: fill(CONFIRMATION_TEXT, vars, "text"),
    templateVersion: TEMPLATE_VERSION,
  };
}

export function renderReturnNotice(m: ReturnModel, letter?: LetterSubject): RenderedMail {
  if (m.protectedIdentity) return neutral("RETURN_NOTICE", m.caseId);
  const subject = fill(RETURN_SUBJECT, { caseId: m.caseId, formCode: m.formCode }, "text");
  // The notice lists what the sender must fix: the RETURN reasons (REVIEW reasons are ours to handle).
  const own = m.chosenByHandler ? m.reasons : m.reasons.filter((r) => RETURN_CODES.has(r));
  const reasons = (own.length > 0 ? own : m.reasons).map((r) => REASON_TEXTS[r]);
  const note = scrubPersonnummer(m.note ?? "").trim();
  const vars = {
    subject,
    caseId: m.caseId,
    formCode: m.formCode,
    formTitle: FORM_TITLES[m.formCode],
    action: actionLabel(m.formCode, m.action),
    receivedDate: m.receivedDate,
    matchNote: matchNote(letter),
    reasonsHtml: htmlList(reasons),
    reasonsText: textList(reasons),
    noteHtml: note ? `<p>Meddelande från handläggaren:</p>\n<p>${escapeHtml(note)}</p>\n` : "",
    noteText: note ? `\nMeddelande från handläggaren:\n${plainText(note)}\n` : "",
    ...scopeVars(scopeRows(m.formCode, 0, letter)),
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
