// Earlier cases of the same subject: the handler UI shows them beside a case, and validation uses them
// (an open case for the same person is worth a look before acting again), and so do the rules on earlier papers
// (DUPLICATE_SCAN, LATER_CASE_EXISTS).
import { createHash } from "node:crypto";
import { type CaseRecord, paperBytesKey } from "../domain/case.ts";
import {
  contentFingerprint,
  type EarlierPaper,
  findDuplicate,
  findLaterCase,
  parseWrittenDate,
  vouchingDateField,
} from "../domain/earlier-papers.ts";
import { CaseNotFoundError } from "../domain/errors.ts";
import { FORM_ROLES } from "../domain/forms.ts";
import type { CaseStore } from "../ports/case-store.ts";
import { effectiveText } from "./execute-action.ts";

export interface EarlierCasesDeps {
  cases: Pick<CaseStore, "get" | "listBySubject">;
}

/** The other cases with the same subjectPersonnummer, newest first. Empty when the case has no subject yet. */
export async function earlierCases(input: { caseId: string }, deps: EarlierCasesDeps): Promise<CaseRecord[]> {
  const record = await deps.cases.get(input.caseId);
  if (!record) throw new CaseNotFoundError(`case ${input.caseId} not found`);
  return casesOfSubject(record.subjectPersonnummer, record.caseId, deps);
}

/** Same, for a subject known before a case exists (validation of a new case): excludes `exceptCaseId`. */
export async function casesOfSubject(
  subjectPersonnummer: string | undefined,
  exceptCaseId: string | undefined,
  deps: EarlierCasesDeps,
): Promise<CaseRecord[]> {
  const pnr = (subjectPersonnummer ?? "").replace(/\D/g, "");
  if (pnr.length !== 12) return [];
  const all = await deps.cases.listBySubject(pnr);
  return all
    .filter((c) => c.caseId !== exceptCaseId)
    .sort((a, b) =>
      a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : b.caseId.localeCompare(a.caseId),
    );
}

/** Execution results that do not mean "the account action was carried out". */
const NOT_ACTED: ReadonlySet<string> = new Set(["MANUAL_PENDING", "NO_BLOCK_NEEDED"]);

function vouchedOnOf(record: CaseRecord): string {
  if (record.vouchedOn) return record.vouchedOn;
  const written = record.formCode ? effectiveText(record, vouchingDateField(record.formCode)) : "";
  return parseWrittenDate(written) ?? record.receivedDate;
}

function asEarlierPaper(c: CaseRecord): EarlierPaper {
  return {
    caseId: c.caseId,
    receivedAt: c.receivedAt,
    status: c.status,
    action: c.action,
    sha256: paperBytesKey(c),
    fingerprint: c.contentFingerprint,
    vouchedOn: vouchedOnOf(c),
    duplicateOf: c.duplicateOf,
    executed: c.execution !== undefined && !NOT_ACTED.has(c.execution.result),
  };
}

/** The paper's content fingerprint, hashed (the plain one holds a personnummer): null when it has none. */
export function paperFingerprint(record: CaseRecord, subject: string): string | null {
  if (!record.formCode) return null;
  const voucher = FORM_ROLES[record.formCode].voucher;
  const plain = contentFingerprint({
    formCode: record.formCode,
    action: record.action,
    subject,
    voucherVgrId: effectiveText(record, `${voucher}.vgrId`),
    voucherName: effectiveText(record, `${voucher}.name`),
    voucherDate: effectiveText(record, `${voucher}.date`),
  });
  return plain ? createHash("sha256").update(plain).digest("hex") : null;
}

export interface EarlierPapersResult {
  duplicateOf: string | null;
  laterCaseId: string | null;
  fingerprint: string | null;
  /** The written vouching date, or null when it could not be read. */
  writtenVouchDate: string | null;
  vouchedOn: string;
}

/**
 * DUPLICATE_SCAN and LATER_CASE_EXISTS for a case being validated: the pure rules (shared/domain/earlier-papers.ts)
 * over the subject's other cases and the owners of the paper's fingerprints. The race between identical scans is
 * settled by CaseStore.claim: the first to claim the bytes' sha256 (or the content fingerprint) is the original,
 * every other one a duplicate of it, whatever order they were read in. Other cases of the subject count as
 * originals only once validated (a case still being read is a racer, and the claim decides between racers).
 */
export async function checkEarlierPapers(
  record: CaseRecord,
  subject: string,
  others: readonly CaseRecord[],
  cases: Pick<CaseStore, "get" | "claim">,
): Promise<EarlierPapersResult> {
  const fingerprint = paperFingerprint(record, subject);
  const written = record.formCode ? effectiveText(record, vouchingDateField(record.formCode)) : "";
  const writtenVouchDate = parseWrittenDate(written);
  const vouchedOn = writtenVouchDate ?? record.receivedDate;

  const owners = new Map<string, CaseRecord>();
  const ownerOf = async (claimKey: string, takeOverIfReturned: boolean): Promise<void> => {
    let owner = await cases.claim(claimKey, record.caseId);
    if (owner === record.caseId) return;
    let found = await cases.get(owner);
    // A paper sent back for completion and sent in again: the completed paper takes over the content claim.
    if (takeOverIfReturned && found?.status === "RETURNED") {
      owner = await cases.claim(claimKey, record.caseId, owner);
      if (owner === record.caseId) return;
      found = await cases.get(owner);
    }
    if (found) owners.set(found.caseId, found);
  };
  // A batch file's documents share its bytes: the key is the sha256 with the document's index (paperBytesKey).
  const bytesKey = paperBytesKey(record);
  if (bytesKey) await ownerOf(`sha256:${bytesKey}`, false);
  if (fingerprint) await ownerOf(`content:${fingerprint}`, true);

  const validated = others.filter((c) => c.decision !== null && !owners.has(c.caseId));
  const candidates = [...owners.values(), ...validated].map(asEarlierPaper);
  // A claim owner is an original by definition (it claimed first), even if it names another case itself.
  for (const c of candidates) if (owners.has(c.caseId)) delete c.duplicateOf;
  const current = { caseId: record.caseId, sha256: bytesKey, fingerprint, action: record.action, vouchedOn };
  return {
    duplicateOf: findDuplicate(current, candidates),
    laterCaseId: findLaterCase(current, others.map(asEarlierPaper)),
    fingerprint,
    writtenVouchDate,
    vouchedOn,
  };
}
