// In-memory AuditLog for the API tests (no shared in-memory adapter exists yet). Append-only: entries are
// copied in and out, so a caller cannot edit the log afterwards.
import type { AuditEntry, AuditLog } from "../../../shared/ports/audit-log.ts";

export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];

  async append(entry: AuditEntry): Promise<void> {
    this.entries.push({ ...entry });
  }
  async byCase(caseId: string): Promise<AuditEntry[]> {
    // In time order, as DynamoDB's sort key (at#user#…) returns them; equal times keep their append order.
    return this.entries
      .filter((e) => e.caseId === caseId)
      .map((e) => ({ ...e }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
  async byUser(user: string): Promise<AuditEntry[]> {
    return this.entries.filter((e) => e.user === user).map((e) => ({ ...e }));
  }
  async between(from: string, to: string): Promise<AuditEntry[]> {
    return this.entries
      .filter((e) => e.at >= from && e.at <= to)
      .map((e) => ({ ...e }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
  all(): AuditEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }
}
