// One case for a handler: fields (read value, correction, confidence, box), reasons, registry result,
// earlier cases of the same subject, history. Every read is written to the audit log first:
// if the audit log cannot be written, the handler does not get the data.
import type { Principal } from "../auth/principal.ts";
import { actorId } from "../auth/principal.ts";
import type { CaseRecord, CaseStatus } from "../domain/case.ts";
import type { Action, Decision, FieldReading, FieldValue, FormCode } from "../domain/forms.ts";
import { FORM_ROLES } from "../domain/forms.ts";
import type { AuditLog } from "../ports/audit-log.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import type { ScanStore, StoredScan } from "../ports/scan-store.ts";
import { loadCase } from "./claim-case.ts";

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
}

/** The subject's fields that tell where the person can be reached or was (e-mail, phone, place). */
const ADDRESS_LIKE = /^(email|phone|placeAndDate|address|postalCode|city)$/;

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
  return formCode ? `${FORM_ROLES[formCode].subject}.personnummer` : null;
}

export async function getCaseDetail(
  input: { caseId: string; user: Principal },
  deps: { cases: CaseStore; audit: AuditLog; clock: Clock },
): Promise<CaseDetail> {
  const record = await loadCase(deps.cases, input.caseId);
  await deps.audit.append({
    at: deps.clock.now().toISOString(),
    user: actorId(input.user),
    caseId: record.caseId,
    action: "READ_CASE",
  });
  const earlier = record.subjectPersonnummer ? await deps.cases.listBySubject(record.subjectPersonnummer) : [];
  const { fields: _f, corrections: _c, ...rest } = record;
  const protectedIdentity = isProtectedCase(record);
  const views = fieldViews(record);
  return {
    case: rest,
    protectedIdentity,
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

/** The scan of a case for the viewer; the read is audited like a case read. */
export async function getCaseScan(
  input: { caseId: string; user: Principal },
  deps: { cases: CaseStore; audit: AuditLog; clock: Clock; scans: ScanStore },
): Promise<{ scan: StoredScan; fileName: string } | null> {
  const record = await loadCase(deps.cases, input.caseId);
  if (!record.scan) return null;
  await deps.audit.append({
    at: deps.clock.now().toISOString(),
    user: actorId(input.user),
    caseId: record.caseId,
    action: "READ_SCAN",
  });
  // After ArchiveScan the scan lives in the archive; before it, at its incoming location.
  const where = record.archive
    ? { bucket: record.archive.bucket, key: record.archive.scanKey }
    : { bucket: record.scan.bucket, key: record.scan.key };
  const scan = await deps.scans.get(where.bucket, where.key);
  return { scan, fileName: record.scan.fileName };
}
