// The CaregiverListAdmin contract over DynamoCaregiverList on dynalite and the API tests' in-memory list.
import { afterAll, beforeAll, describe } from "vitest";
import { createReferenceTable, DynamoCaregiverList } from "../../../shared/adapters/aws/dynamo-caregiver-list.ts";
import { documentClient } from "../../../shared/adapters/aws/dynamo-case-store.ts";
import { MemoryCaregiverList } from "../../api/support/memory-caregiver-list.ts";
import { type Dynalite, startDynalite } from "../case-store/dynalite.ts";
import { caregiverListContract } from "./caregiver-list.contract.ts";

describe("DynamoCaregiverList on dynalite", () => {
  let db: Dynalite;
  let n = 0;
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(async () => {
    await db?.stop();
  });
  caregiverListContract("DynamoCaregiverList", async (now) => {
    const table = `reference-contract-${n++}`;
    await createReferenceTable(db.client, table);
    return new DynamoCaregiverList(documentClient(db.client), table, { now });
  });
});

describe("MemoryCaregiverList (API tests)", () => {
  caregiverListContract("MemoryCaregiverList", async (now) => new MemoryCaregiverList(now));
});
