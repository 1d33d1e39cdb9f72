// The AuditLog contract over DynamoAuditLog on a real dynalite and the in-memory log the API tests use.
import { afterAll, beforeAll, describe } from "vitest";
import { DynamoAuditLog } from "../../../shared/adapters/aws/dynamo-audit-log.ts";
import { createTables, documentClient } from "../../../shared/adapters/aws/dynamo-case-store.ts";
import { MemoryAuditLog } from "../../api/support/memory-audit-log.ts";
import { type Dynalite, startDynalite } from "../case-store/dynalite.ts";
import { auditLogContract } from "./audit-log.contract.ts";

describe("DynamoAuditLog on dynalite", () => {
  let db: Dynalite;
  let n = 0;
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(async () => {
    await db?.stop();
  });
  // A fresh table per test (createTables is idempotent, as the local stack relies on at every start).
  auditLogContract("DynamoAuditLog", async () => {
    const names = { cases: `cases-${n}`, audit: `audit-${n++}` };
    await createTables(db.client, names);
    await createTables(db.client, names);
    return new DynamoAuditLog(documentClient(db.client), names.audit);
  });
});

describe("MemoryAuditLog (API tests)", () => {
  auditLogContract("MemoryAuditLog", async () => new MemoryAuditLog());
});
