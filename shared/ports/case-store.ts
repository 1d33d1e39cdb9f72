import type { CaseRecord, CaseStatus } from "../domain/case.ts";

export interface CaseStore {
  /** Conditional create: returns false (and writes nothing) when the id exists already. */
  create(record: CaseRecord): Promise<boolean>;
  get(caseId: string): Promise<CaseRecord | null>;
  /** Optimistic locking: writes only when the stored version is `record.version - 1`; else CaseVersionConflictError. */
  put(record: CaseRecord): Promise<void>;
  listByStatus(status: CaseStatus, limit?: number): Promise<CaseRecord[]>;
  listBySubject(personnummer: string): Promise<CaseRecord[]>;
  /** Cases only (never claims), newest first. */
  listAll(limit?: number): Promise<CaseRecord[]>;
  /**
   * Claims a fingerprint of a paper ("sha256:<hex>", "content:<…>") for a case, atomically: the first claimant
   * owns it for good and every later claimant learns the owner's case id (its own when it won or already owned
   * it). With `takeOverFrom`, the claim passes to `caseId` only if that case owns it still (a conditional write:
   * of two racing claimants exactly one takes over). Three identical scans validated at the same moment therefore
   * see one owner.
   */
  claim(fingerprint: string, caseId: string, takeOverFrom?: string): Promise<string>;
}
