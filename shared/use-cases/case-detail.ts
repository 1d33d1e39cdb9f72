// One case for a handler: fields (read value, correction, confidence, box), reasons, registry result,
// earlier cases of the same subject, history. Every read is written to the audit log first:
// if the audit log cannot be written, the handler does not get the data.
import type { Principal } from "../auth/principal.ts";
import { actorId } from "../auth/principal.ts";
import type { CaseRecord, CaseStatus, ScanRef } from "../domain/case.ts";
import { subjectField } from "../domain/case-record.ts";
import { InvalidCaseStateError, ScanNotFoundError, ValidationError } from "../domain/errors.ts";
import type { Action, Decision, FieldReading, FieldValue, FormCode } from "../domain/forms.ts";
import { FORM_ROLES } from "../domain/forms.ts";
import { unreadableCause, unreadableText } from "../domain/unreadable.ts";
import type { AuditLog } from "../ports/audit-log.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { PersonRegistry } from "../ports/person-registry.ts";
import type { ScanStore, StoredScan } from "../ports/scan-store.ts";
import { type CaseFacts, caseFacts } from "./case-facts.ts";
import { loadCase } from "./claim-case.ts";
import type { UploadSigner } from "./intake.ts";

export interface FieldView {
  name: string;
  /** The value validation uses: the correction when there is one, else the read value. */
  value: FieldValue;
  readValue: FieldValue | null;
  corrected: boolean;
  confidence: number | null;
  box: FieldReading["box"] | null;
  /** Protected identity: the value, the read value and the box are withheld (address-like data of the subject). */
  hidden?: true;
}

export interface EarlierCase {
  caseId: string;
  receivedDate: string;
  status: CaseStatus;
  decision: Decision | null;
  formCode: FormCode | null;
  action: Action | null;
}

export interface CaseDetail {
  case: Omit<CaseRecord, "fields" | "corrections">;
  fields: FieldView[];
  earlierCases: EarlierCase[];
  /** The subject has protected identity (skyddad identitet): the page marks the case, address-like data is hidden. */
  protectedIdentity: boolean;
  /** The scan could not be read: why (Swedish, and the reader's own words); the original file can be downloaded. */
  unreadable: { reason: string; cause: string } | null;
  /** The facts for the decision: the registry's name and guardians, the doubtful readings, the staff entry. */
  facts: CaseFacts;
}

/** The subject's fields that tell where the person can be reached or was (e-mail, phone, place). */
const ADDRESS_LIKE = /^(email|phone|placeAndDate|address|postalCode|city)$/;

/**
 * The subject's contact fields of each form (contract §1; test/api/protected-identity.test.ts checks this list
 * against the templates' fields.json): on a protected case their boxes are blacked out on the scan.
 */
export const SUBJECT_CONTACT_FIELDS: Record<FormCode, readonly string[]> = {
  "1177-EGEN": ["citizen.phone", "citizen.email", "citizen.placeAndDate"],
  "1177-VG": [],
  "1177-VH": [],
};

/** A subject field that tells where the person can be reached (a contact field of the form, or address-like). */
export function isSubjectContactField(formCode: FormCode | null, name: string): boolean {
  if (!formCode) return false;
  if (SUBJECT_CONTACT_FIELDS[formCode].includes(name)) return true;
  const [role, field] = name.split(".");
  return role === FORM_ROLES[formCode].subject && field !== undefined && ADDRESS_LIKE.test(field);
}

/** Shown in place of a withheld address in the mail history. */
export const HIDDEN_ADDRESS = "(dold – skyddad identitet)";

/**
 * A protected case as any API response may carry it: the subject's contact fields (read value, box, correction)
 * are left out, and in the mail history every address that is not the vouching staff member's is withheld.
 */
export function withoutContactData(record: CaseRecord): CaseRecord {
  if (!isProtectedCase(record)) return record;
  const keep = ([name]: [string, unknown]) => !isSubjectContactField(record.formCode, name);
  const voucher = record.formCode ? FORM_ROLES[record.formCode].voucher : null;
  const staff = new Set(
    [...Object.entries(record.fields).map(([n, r]) => [n, r.value] as const), ...Object.entries(record.corrections)]
      .filter(([n, v]) => voucher !== null && n.startsWith(`${voucher}.email`) && typeof v === "string")
      .map(([, v]) => String(v).trim().toLowerCase()),
  );
  return {
    ...record,
    fields: Object.fromEntries(Object.entries(record.fields).filter(keep)),
    corrections: Object.fromEntries(Object.entries(record.corrections).filter(keep)),
    ...(record.mails
      ? {
          mails: record.mails.map((m) => ({
            ...m,
            to: m.to.map((a) => (staff.has(a.trim().toLowerCase()) ? a : HIDDEN_ADDRESS)),
          })),
        }
      : {}),
  };
}

export function isProtectedCase(record: CaseRecord): boolean {
  return (
    record.registry?.protectedIdentity === true ||
    record.reasons.includes("PROTECTED_IDENTITY") ||
    record.reasons.includes("CHILD_PROTECTED_NO_BLOCK_NEEDED")
  );
}

/** Withholds the subject's address-like fields (value, read value, box) of a protected case. */
export function hideAddressLike(views: FieldView[], formCode: FormCode | null): FieldView[] {
  const subject = formCode ? FORM_ROLES[formCode].subject : null;
  return views.map((f) => {
    const [role, name] = f.name.split(".");
    if (role !== subject || !name || !ADDRESS_LIKE.test(name)) return f;
    return {
      name: f.name,
      value: "",
      readValue: null,
      corrected: f.corrected,
      confidence: null,
      box: null,
      hidden: true,
    };
  });
}

export function fieldViews(record: CaseRecord): FieldView[] {
  const names = [...new Set([...Object.keys(record.fields), ...Object.keys(record.corrections)])];
  return names.map((name) => {
    const read = record.fields[name];
    const correction = record.corrections[name];
    return {
      name,
      value: correction ?? read?.value ?? "",
      readValue: read?.value ?? null,
      corrected: correction !== undefined,
      confidence: read?.confidence ?? null,
      box: read?.box ?? null,
    };
  });
}

/** The subject's personnummer field for a form ("citizen.personnummer" / "child.personnummer"). */
export function subjectPersonnummerField(formCode: FormCode | null): string | null {
  return formCode ? subjectField(formCode) : null;
}

export async function getCaseDetail(
  input: { caseId: string; user: Principal },
  deps: { cases: CaseStore; audit: AuditLog; clock: Clock; persons?: PersonRegistry | undefined },
): Promise<CaseDetail> {
  const record = await loadCase(deps.cases, input.caseId);
  await deps.audit.append({
    at: deps.clock.now().toISOString(),
    user: actorId(input.user),
    caseId: record.caseId,
    action: "READ_CASE",
  });
  const earlier = record.subjectPersonnummer ? await deps.cases.listBySubject(record.subjectPersonnummer) : [];
  const { fields: _f, corrections: _c, ...rest } = withoutContactData(record);
  const protectedIdentity = isProtectedCase(record);
  const views = fieldViews(record);
  const cause = unreadableCause(record);
  const facts = await caseFacts(record, deps.persons);
  return {
    case: rest,
    facts,
    protectedIdentity,
    unreadable: cause === null ? null : { reason: unreadableText(cause), cause },
    fields: protectedIdentity ? hideAddressLike(views, record.formCode) : views,
    earlierCases: earlier
      .filter((c) => c.caseId !== record.caseId)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map((c) => ({
        caseId: c.caseId,
        receivedDate: c.receivedDate,
        status: c.status,
        decision: c.decision,
        formCode: c.formCode,
        action: c.action,
      })),
  };
}

/** A rectangle of the viewer's page (page 1, page pixels) to black out. */
export interface MaskBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Protected identity: the boxes of the subject's contact fields on page 1, widened a little (writing overshoots
 * its box). A contact field of the form without a registered box cannot be masked: the scan is then not shown.
 */
export function contactMasks(record: CaseRecord, page = 0): MaskBox[] {
  if (!isProtectedCase(record) || !record.formCode) return [];
  const names = new Set([
    ...SUBJECT_CONTACT_FIELDS[record.formCode],
    ...Object.keys(record.fields).filter((n) => isSubjectContactField(record.formCode, n)),
  ]);
  const masks: MaskBox[] = [];
  for (const name of names) {
    const box = record.fields[name]?.box;
    if (!box) {
      throw new InvalidCaseStateError(
        `Skanningen av ärende ${record.caseId} visas inte: personen har skyddad identitet och fältet ${name} kan inte döljas.`,
      );
    }
    if (box.page !== page) continue; // the viewer shows one page
    const padX = Math.max(4, Math.round(box.w * 0.03));
    const padY = Math.max(4, Math.round(box.h * 0.25));
    masks.push({ x: box.x - padX, y: box.y - padY, w: box.w + 2 * padX, h: box.h + 2 * padY });
  }
  return masks;
}

/**
 * The page the viewer shows (0-based index into the file): `page` is 1-based in the file and must be one of the
 * case's document's pages (a batch file's case shows only its own document); without it, the document's form page
 * (page 1 for a file that is one document).
 */
export function viewerPage(record: CaseRecord, page?: number): number {
  const doc = record.document;
  if (page === undefined) return doc ? (doc.formPage ?? doc.pages[0] ?? 0) : 0;
  const index = page - 1;
  if (doc && !doc.pages.includes(index)) {
    const shown = doc.pages.map((p) => p + 1).join(", ");
    throw new ValidationError(`Sidan ${page} hör inte till ärendets dokument (sidorna ${shown} i filen).`);
  }
  return index;
}

/** The scan of a case for the viewer (one page of its document); the read is audited like a case read. */
export async function getCaseScan(
  input: { caseId: string; user: Principal; page?: number | undefined },
  deps: { cases: CaseStore; audit: AuditLog; clock: Clock; scans: ScanStore },
): Promise<{ scan: StoredScan; fileName: string; masks: MaskBox[]; page: number } | null> {
  const record = await loadCase(deps.cases, input.caseId);
  if (!record.scan) return null;
  const page = viewerPage(record, input.page);
  // Masks are known for the form page only: a protected person's other pages (an ID copy, a letter) are not shown.
  const formPage = record.document ? (record.document.formPage ?? record.document.pages[0] ?? 0) : 0;
  if (page !== formPage && isProtectedCase(record)) {
    throw new InvalidCaseStateError(
      `Sida ${page + 1} av ärende ${record.caseId} visas inte: personen har skyddad identitet.`,
    );
  }
  const masks = contactMasks(record, page);
  await deps.audit.append({
    at: deps.clock.now().toISOString(),
    user: actorId(input.user),
    caseId: record.caseId,
    action: "READ_SCAN",
  });
  const scan = await storedScan(record, record.scan, deps.scans);
  return { scan, fileName: record.scan.fileName, masks, page };
}

/** Where the file lives now: in the archive after ArchiveScan, before it at its incoming location. */
function scanLocation(record: CaseRecord, scan: ScanRef): { bucket: string; key: string } {
  return record.archive
    ? { bucket: record.archive.bucket, key: record.archive.scanKey }
    : { bucket: scan.bucket, key: scan.key };
}

function storedScan(record: CaseRecord, scan: ScanRef, scans: ScanStore): Promise<StoredScan> {
  const where = scanLocation(record, scan);
  return scans.get(where.bucket, where.key);
}

/** How long a download link of an original file holds (seconds): long enough to start the download, no longer. */
export const ORIGINAL_LINK_SECONDS = 60;

/**
 * A link to the original file as it arrived, for download (e.g. a scan the reader could not read): presigned for
 * ORIGINAL_LINK_SECONDS, so the file goes from the bucket to the browser whatever its size. Audited like a case
 * read. Not for a person with protected identity: the file cannot be masked (the masked viewer image is shown).
 * A file that is gone is ScanNotFoundError (404), as for the viewer.
 */
export async function getCaseOriginalLink(
  input: { caseId: string; user: Principal },
  deps: { cases: CaseStore; audit: AuditLog; clock: Clock; scans: ScanStore; signer: UploadSigner },
): Promise<{ url: string; fileName: string; expiresIn: number } | null> {
  const record = await loadCase(deps.cases, input.caseId);
  if (!record.scan) return null;
  if (isProtectedCase(record)) {
    throw new InvalidCaseStateError(
      `Originalfilen för ärende ${record.caseId} lämnas inte ut: personen har skyddad identitet. Använd den maskerade bilden.`,
    );
  }
  const where = scanLocation(record, record.scan);
  if (!(await deps.scans.exists(where.bucket, where.key))) {
    throw new ScanNotFoundError(`the scan of case ${record.caseId} is not in the bucket`);
  }
  await deps.audit.append({
    at: deps.clock.now().toISOString(),
    user: actorId(input.user),
    caseId: record.caseId,
    action: "READ_ORIGINAL",
  });
  const fileName = record.scan.fileName;
  const url = await deps.signer.presignGet({ ...where, fileName, expiresIn: ORIGINAL_LINK_SECONDS });
  return { url, fileName, expiresIn: ORIGINAL_LINK_SECONDS };
}

/** Content-Disposition for a download: a plain ASCII fallback name and the UTF-8 name (RFC 6266 / 5987). */
export function attachmentDisposition(fileName: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes from a file name
  const clean = fileName.replace(/[\u0000-\u001f\u007f/\\]/g, "").trim() || "original";
  const ascii =
    clean
      .normalize("NFKD")
      .replace(/[^\x20-\x7e]/g, "")
      .replace(/["%;]/g, "_") || "original";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}
