// Letters that get posted: a mail that cannot be e-mailed becomes a PDF letter in the archive bucket, addressed to
// a postal address the mail room puts in a window envelope:
// - the citizen's letter to the folkbokföringsadress from the person registry (for a protected identity the tax
//   agency's forwarding address: printed on the letter only, never stored on the case, never shown to handlers);
// - the staff member's letter to their unit's address in the staff directory (HSA), when the directory is
//   configured and its entry for the VGR-ID on the form carries the name written on the form.
// With no postal address known the letter is still produced and flagged "adress saknas" for the mail room.
// Letters may name the subject (they are posted, not e-mailed): the staff letter names the citizen or child with
// the masked personnummer, the citizen's own letter needs neither.
import { renderLetterPdf } from "../documents/letter.ts";
import type { CaseRecord, LetterRecipient, LetterRecord } from "../domain/case.ts";
import { FORM_ROLES, type FormCode } from "../domain/forms.ts";
import { fold, phraseDistance } from "../domain/vocabulary.ts";
import type { LetterSubject, MailKind, RenderedMail } from "../mail/render.ts";
import type { PersonRegistry } from "../ports/person-registry.ts";
import type { ScanStore } from "../ports/scan-store.ts";
import type { StaffDirectory } from "../ports/staff-directory.ts";
import { effectivePersonnummer, effectiveText, subjectField } from "./execute-action.ts";

export interface LetterDeps {
  scans: ScanStore;
  /** Where the citizen's postal address comes from; without it a citizen's letter is flagged "adress saknas". */
  registry?: PersonRegistry;
  /** Where the staff member's unit address comes from; without it a staff letter is flagged "adress saknas". */
  staff?: StaffDirectory;
  config: { archiveBucket: string };
}

/** One letter to write: to whom, and why it is not an e-mail (field names only, for the case history). */
export interface LetterPlan {
  recipient: LetterRecipient;
  why: string;
}

export interface LetterAddress {
  lines: string[];
  missing: boolean;
}

export function letterKey(year: string, caseId: string, kind: MailKind, recipient: LetterRecipient): string {
  return `archive/${year}/${caseId}/letter-${kind.toLowerCase().replace("_", "-")}-${recipient.toLowerCase()}.pdf`;
}

function writtenSubjectName(record: CaseRecord, formCode: FormCode): string {
  const who = FORM_ROLES[formCode].subject;
  return [effectiveText(record, `${who}.givenName`), effectiveText(record, `${who}.surname`)].filter(Boolean).join(" ");
}

/** Whom the letter is about, printed in a staff letter; a citizen's own letter names nobody but the addressee. */
export function letterSubject(record: CaseRecord, formCode: FormCode, recipient: LetterRecipient): LetterSubject {
  if (recipient === "CITIZEN") return { subjectName: "", subjectPersonnummer: "" };
  return {
    subjectName: writtenSubjectName(record, formCode),
    subjectPersonnummer: effectivePersonnummer(record, subjectField(formCode)) || (record.subjectPersonnummer ?? ""),
  };
}

/** The address block of a letter. Throws the registry's PersonRegistryUnavailableError (retried by the task). */
export async function letterAddress(
  record: CaseRecord,
  formCode: FormCode,
  recipient: LetterRecipient,
  deps: Pick<LetterDeps, "registry" | "staff">,
): Promise<LetterAddress> {
  if (recipient === "CITIZEN") {
    const pnr = effectivePersonnummer(record, subjectField(formCode));
    const person = deps.registry && pnr ? await deps.registry.findByPersonnummer(pnr) : null;
    const name = person ? `${person.givenNames.join(" ")} ${person.surname}` : writtenSubjectName(record, formCode);
    const a = person?.postalAddress;
    if (!a) return { lines: [name], missing: true };
    return { lines: [name, a.address, `${a.postalCode} ${a.city}`], missing: false };
  }
  const voucher = FORM_ROLES[formCode].voucher;
  const written = {
    name: effectiveText(record, `${voucher}.name`),
    unit: effectiveText(record, `${voucher}.unit`),
    caregiver: effectiveText(record, `${voucher}.caregiver`),
  };
  const vgrId = effectiveText(record, `${voucher}.vgrId`);
  // ValidateCase stored the directory entry it verified (VGR-ID and name); a SendMail without a directory of its own
  // uses that, so a staff letter reaches the unit wherever a directory is configured for the validation.
  const verified = record.staff?.status === "VERIFIED" ? record.staff.entry : null;
  const entry = verified ?? (deps.staff && vgrId ? await deps.staff.findByVgrId(vgrId) : null);
  // The directory's address only for the person written on the form: a VGR-ID of someone else must not send the
  // letter to another unit.
  if (entry?.unitAddress.trim() && written.name && phraseDistance(fold(written.name), fold(entry.name)).withinNoise) {
    const street = entry.unitAddress
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    return { lines: [entry.name, entry.unit, ...street], missing: false };
  }
  return { lines: [written.name, written.unit, written.caregiver].filter(Boolean), missing: true };
}

/**
 * Renders and stores the planned letters (PDF in the archive bucket; the same key on a retry, so a repeated run
 * overwrites instead of adding). `render(recipient)` gives the letter's text for that recipient.
 */
export async function writeLetters(
  record: CaseRecord,
  formCode: FormCode,
  kind: MailKind,
  plans: LetterPlan[],
  render: (recipient: LetterRecipient) => RenderedMail,
  at: string,
  year: string,
  deps: LetterDeps,
): Promise<Array<{ letter: LetterRecord; what: string }>> {
  const out: Array<{ letter: LetterRecord; what: string }> = [];
  for (const plan of plans) {
    const mail = render(plan.recipient);
    const address = await letterAddress(record, formCode, plan.recipient, deps);
    const pdf = await renderLetterPdf({
      caseId: record.caseId,
      date: at.slice(0, 10),
      address: address.lines,
      addressMissing: address.missing,
      subject: mail.subject,
      body: mail.text,
    });
    const key = letterKey(year, record.caseId, kind, plan.recipient);
    await deps.scans.put(
      deps.config.archiveBucket,
      key,
      pdf,
      { "case-id": record.caseId, kind, recipient: plan.recipient },
      "application/pdf",
    );
    const to = plan.recipient === "CITIZEN" ? "the citizen" : "the staff member's unit";
    const missing = address.missing ? ", postal address missing" : "";
    out.push({
      letter: {
        kind,
        bucket: deps.config.archiveBucket,
        key,
        at,
        recipient: plan.recipient,
        ...(address.missing ? { addressMissing: true } : {}),
      },
      what: `${kind} letter to ${to} (${plan.why})${missing}, template ${mail.templateVersion}`,
    });
  }
  return out;
}
