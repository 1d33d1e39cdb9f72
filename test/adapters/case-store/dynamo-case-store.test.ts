// DynamoCaseStore against a real dynalite: the same contract as the in-memory store.
import { afterAll, beforeAll } from "vitest";
import { createTables, DynamoCaseStore, documentClient } from "../../../shared/adapters/aws/dynamo-case-store.ts";
import { caseStoreContract } from "./case-store.contract.ts";
import { type Dynalite, startDynalite } from "./dynalite.ts";

let db: Dynalite;
let tableCounter = 0;

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.stop();
});

caseStoreContract("DynamoCaseStore on dynalite", async () => {
  // A fresh table per test keeps the list assertions independent.
  tableCounter += 1;
  const names = { cases: `cases-${tableCounter}`, audit: `audit-${tableCounter}` };
  await createTables(db.client, names);
  return new DynamoCaseStore(documentClient(db.client), names.cases);
});
