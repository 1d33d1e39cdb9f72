// Earlier cases of the same subject: the handler UI shows them beside a case, and validation uses them
// (an open case for the same person is worth a look before acting again).
import type { CaseRecord } from "../domain/case.ts";
import { CaseNotFoundError } from "../domain/errors.ts";
import type { CaseStore } from "../ports/case-store.ts";

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
