// One contract for every AuditLog (DynamoDB, and the in-memory log of the API tests): append-only, every entry kept
// (even two of one user in the same millisecond), a case's entries in time order, a user's entries by user, and
// nothing a caller does to a returned entry changes the log.
import { expect, it } from "vitest";
import type { AuditLog } from "../../../shared/ports/audit-log.ts";

export function auditLogContract(name: string, make: () => Promise<AuditLog>): void {
  it(`${name}: keeps every entry, a case's in time order, a user's by user`, async () => {
    const log = await make();
    const at = "2025-03-18T08:00:00.000Z";
    await log.append({ at: "2025-03-18T08:05:00.000Z", user: "handler:bo", caseId: "C-A", action: "DECIDE_APPROVE" });
    await log.append({ at, user: "handler:anna", caseId: "C-A", action: "READ_CASE" });
    await log.append({ at, user: "handler:anna", caseId: "C-A", action: "READ_CASE", detail: "again" });
    await log.append({ at, user: "handler:anna", caseId: "C-B", action: "READ_CASE" });

    const byCase = await log.byCase("C-A");
    expect(byCase.map((e) => e.action)).toEqual(["READ_CASE", "READ_CASE", "DECIDE_APPROVE"]);
    expect(byCase.filter((e) => e.detail === "again")).toHaveLength(1);
    expect(byCase[2]).toMatchObject({ at: "2025-03-18T08:05:00.000Z", user: "handler:bo", caseId: "C-A" });
    expect((await log.byUser("handler:anna")).map((e) => e.caseId).sort()).toEqual(["C-A", "C-A", "C-B"]);
    expect(await log.byUser("handler:nobody")).toEqual([]);
    expect(await log.byCase("C-none")).toEqual([]);
  });

  it(`${name}: between(from, to) gives every user's and case's entries in the range, oldest first`, async () => {
    const log = await make();
    if (!log.between) throw new Error(`${name} has no between(): the audit-log page needs it`);
    await log.append({ at: "2025-03-10T08:00:00.000Z", user: "user:anna", caseId: "C-1", action: "READ_CASE" });
    await log.append({ at: "2025-03-20T09:00:00.000Z", user: "user:bo", caseId: "C-2", action: "CLAIM" });
    await log.append({ at: "2025-03-20T08:00:00.000Z", user: "user:anna", caseId: "C-3", action: "READ_CASE" });
    await log.append({ at: "2025-03-25T08:00:00.000Z", user: "user:anna", caseId: "C-1", action: "READ_CASE" });
    const range = await log.between("2025-03-15T00:00:00.000Z", "2025-03-24T23:59:59.999Z");
    expect(range.map((e) => [e.at, e.caseId])).toEqual([
      ["2025-03-20T08:00:00.000Z", "C-3"],
      ["2025-03-20T09:00:00.000Z", "C-2"],
    ]);
  });

  it(`${name}: a returned entry is a copy: editing it does not rewrite the log`, async () => {
    const log = await make();
    await log.append({ at: "2025-03-18T09:00:00.000Z", user: "post", caseId: "C-Z", action: "UPLOAD" });
    const [first] = await log.byCase("C-Z");
    if (first) first.action = "FORGED";
    expect((await log.byCase("C-Z")).map((e) => e.action)).toEqual(["UPLOAD"]);
  });
}
