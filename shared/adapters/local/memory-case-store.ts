// In-memory CaseStore for unit tests and the contract suite. Same semantics as DynamoCaseStore: conditional
// create, optimistic locking on `version`, records copied in and out (no shared references).
import type { CaseRecord, CaseStatus } from "../../domain/case.ts";
import { CaseVersionConflictError } from "../../domain/errors.ts";
import type { CaseStore } from "../../ports/case-store.ts";

export class MemoryCaseStore implements CaseStore {
  private readonly items = new Map<string, CaseRecord>();
  private readonly claims = new Map<string, string>();

  async claim(fingerprint: string, caseId: string, takeOverFrom?: string): Promise<string> {
    const owner = this.claims.get(fingerprint);
    if (owner === undefined || (takeOverFrom !== undefined && owner === takeOverFrom)) {
      this.claims.set(fingerprint, caseId);
      return caseId;
    }
    return owner;
  }

  async create(record: CaseRecord): Promise<boolean> {
    if (this.items.has(record.caseId)) return false;
    this.items.set(record.caseId, structuredClone(record));
    return true;
  }

  async get(caseId: string): Promise<CaseRecord | null> {
    const item = this.items.get(caseId);
    return item ? structuredClone(item) : null;
  }

  async put(record: CaseRecord): Promise<void> {
    const stored = this.items.get(record.caseId);
    if (!stored || stored.version !== record.version - 1) {
      throw new CaseVersionConflictError(`case ${record.caseId}: expected stored version ${record.version - 1}`);
    }
    this.items.set(record.caseId, structuredClone(record));
  }

  async listByStatus(status: CaseStatus, limit?: number): Promise<CaseRecord[]> {
    const all = [...this.items.values()].filter((r) => r.status === status).sort(byReceivedAt);
    return (limit === undefined ? all : all.slice(0, limit)).map((r) => structuredClone(r));
  }

  async listBySubject(personnummer: string): Promise<CaseRecord[]> {
    return [...this.items.values()]
      .filter((r) => r.subjectPersonnummer === personnummer)
      .sort(byReceivedAt)
      .map((r) => structuredClone(r));
  }

  async listAll(limit?: number): Promise<CaseRecord[]> {
    const all = [...this.items.values()].sort((a, b) => byReceivedAt(b, a));
    return (limit === undefined ? all : all.slice(0, limit)).map((r) => structuredClone(r));
  }
}

function byReceivedAt(a: CaseRecord, b: CaseRecord): number {
  return a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.caseId.localeCompare(b.caseId);
}
