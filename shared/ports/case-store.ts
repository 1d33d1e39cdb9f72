import type { CaseRecord, CaseStatus } from "../domain/case.ts";

export interface CaseStore {
  /** Conditional create: returns false (and writes nothing) when the id exists already. */
  create(record: CaseRecord): Promise<boolean>;
  get(caseId: string): Promise<CaseRecord | null>;
  /** Optimistic locking: writes only when the stored version is `record.version - 1`; else CaseVersionConflictError. */
  put(record: CaseRecord): Promise<void>;
  listByStatus(status: CaseStatus, limit?: number): Promise<CaseRecord[]>;
  listBySubject(personnummer: string): Promise<CaseRecord[]>;
  listAll(limit?: number): Promise<CaseRecord[]>;
}
