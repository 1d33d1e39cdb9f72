// DynamoAuditLog on a real dynalite: append-only, by case in time order, by user through the byUser index.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAuditLog } from "../../../shared/adapters/aws/dynamo-audit-log.ts";
import { createTables, documentClient } from "../../../shared/adapters/aws/dynamo-case-store.ts";
import { type Dynalite, startDynalite } from "./dynalite.ts";

let db: Dynalite;
beforeAll(async () => {
  db = await startDynalite();
  await createTables(db.client, { cases: "cases", audit: "audit" });
  // createTables is idempotent: the local stack calls it on every start.
  await createTables(db.client, { cases: "cases", audit: "audit" });
});
afterAll(async () => {
  await db.stop();
});

describe("DynamoAuditLog on dynalite", () => {
  it("keeps every entry, even two of the same user in the same millisecond, in time order", async () => {
    const log = new DynamoAuditLog(documentClient(db.client), "audit");
    const at = "2025-03-18T08:00:00.000Z";
    await log.append({ at: "2025-03-18T08:05:00.000Z", user: "handler:bo", caseId: "C-A", action: "DECIDE_APPROVE" });
    await log.append({ at, user: "handler:anna", caseId: "C-A", action: "READ_CASE" });
    await log.append({ at, user: "handler:anna", caseId: "C-A", action: "READ_CASE", detail: "again" });
    await log.append({ at, user: "handler:anna", caseId: "C-B", action: "READ_CASE" });

    const byCase = await log.byCase("C-A");
    expect(byCase.map((e) => e.action)).toEqual(["READ_CASE", "READ_CASE", "DECIDE_APPROVE"]);
    expect(byCase.filter((e) => e.detail === "again")).toHaveLength(1);
    const byUser = await log.byUser("handler:anna");
    expect(byUser.map((e) => e.caseId).sort()).toEqual(["C-A", "C-A", "C-B"]);
    expect(await log.byUser("handler:nobody")).toEqual([]);
  });

  it("between(from, to): every user's and case's entries in the time range, oldest first", async () => {
    const log = new DynamoAuditLog(documentClient(db.client), "audit-range");
    await createTables(db.client, { cases: "cases-range", audit: "audit-range" });
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
});
