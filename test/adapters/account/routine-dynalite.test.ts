// executeAction with the real SimulatedAccountService on dynalite: the account state changes once, a retried
// case does not touch it again, and a second case for the same person gets ALREADY_LOCKED.
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import {
  createAccountsTable,
  SimulatedAccountService,
} from "../../../shared/adapters/local/simulated-account-service.ts";
import type { AccountService } from "../../../shared/ports/account-service.ts";
import { executeAction } from "../../../shared/use-cases/execute-action.ts";
import { ADULT } from "../../fixtures/routine/people.ts";
import { fixedClock, makeCase } from "../../unit/routine/support.ts";

interface DynaliteServer {
  listen(port: number, host: string, cb: () => void): void;
  close(cb: () => void): void;
  address(): AddressInfo | string | null;
}
const dynalite = createRequire(import.meta.url)("dynalite") as (opts: Record<string, unknown>) => DynaliteServer;

let server: DynaliteServer;
let client: DynamoDBClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: "eu-north-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await createAccountsTable(client, "accounts-routine");
});

afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
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
    const deps = { cases, accounts: counted, clock: fixedClock() };
    await executeAction({ caseId: "C-A" }, deps);
    await executeAction({ caseId: "C-A" }, deps);
    expect(calls).toBe(1);
    await executeAction({ caseId: "C-B" }, deps);
    expect((await cases.get("C-A"))?.execution?.result).toBe("LOCKED");
    expect((await cases.get("C-B"))?.execution?.result).toBe("ALREADY_LOCKED");
    expect((await real.status(ADULT.pnr)).locked).toBe(true);
  });
});
