// executeAction with the real SimulatedAccountService on dynalite: the account state changes once, a retried
// case does not touch it again, and a second case for the same person gets ALREADY_LOCKED.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import {
  createAccountsTable,
  SimulatedAccountService,
} from "../../../shared/adapters/local/simulated-account-service.ts";
import type { AccountService } from "../../../shared/ports/account-service.ts";
import { executeAction } from "../../../shared/use-cases/execute-action.ts";
import { ADULT } from "../../fixtures/routine/people.ts";
import { fixedClock, MemoryScanStore, makeCase } from "../../unit/routine/support.ts";
import { type Dynalite, startDynalite } from "../case-store/dynalite.ts";

let db: Dynalite;
let client: DynamoDBClient;

beforeAll(async () => {
  db = await startDynalite();
  client = db.client;
  await createAccountsTable(client, "accounts-routine");
});

afterAll(async () => {
  await db?.stop();
});

describe("executeAction on the simulated account service", () => {
  it("locks once; a retry makes no call; a follow-up LOCK case is ALREADY_LOCKED", async () => {
    const real = new SimulatedAccountService(client, "accounts-routine");
    let calls = 0;
    const counted: AccountService = {
      lock: (p, c) => {
        calls++;
        return real.lock(p, c);
      },
      unlock: (p, c) => real.unlock(p, c),
      blockGuardian: (a, b, c) => real.blockGuardian(a, b, c),
      unblockGuardian: (a, b, c) => real.unblockGuardian(a, b, c),
      status: (p) => real.status(p),
    };
    const cases = new MemoryCaseStore();
    await cases.create(makeCase({ caseId: "C-A" }));
    await cases.create(makeCase({ caseId: "C-B" }));
    const deps = { cases, accounts: counted, clock: fixedClock(), scans: new MemoryScanStore() };
    await executeAction({ caseId: "C-A" }, deps);
    await executeAction({ caseId: "C-A" }, deps);
    expect(calls).toBe(1);
    await executeAction({ caseId: "C-B" }, deps);
    expect((await cases.get("C-A"))?.execution?.result).toBe("LOCKED");
    expect((await cases.get("C-B"))?.execution?.result).toBe("ALREADY_LOCKED");
    expect((await real.status(ADULT.pnr)).locked).toBe(true);
  });
});
