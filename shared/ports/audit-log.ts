export interface AuditEntry {
  at: string;
  user: string;
  caseId: string;
  action: string; // "READ_CASE", "DECIDE_APPROVE", ...
  detail?: string; // never personal data
}

/** Append-only. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  byCase(caseId: string): Promise<AuditEntry[]>;
  byUser(user: string): Promise<AuditEntry[]>;
  /** Entries with `from <= at <= to` (ISO times), for the admins' audit-log page; optional for older adapters. */
  between?(from: string, to: string): Promise<AuditEntry[]>;
}
