// The AccountService contract over SimulatedAccountService on dynalite and HttpAccountService against the fake
// staff tool that implements docs/account-service.openapi.yaml.
import { afterAll, beforeAll, describe } from "vitest";
import { HttpAccountService } from "../../../shared/adapters/http/http-account-service.ts";
import {
  createAccountsTable,
  SimulatedAccountService,
} from "../../../shared/adapters/local/simulated-account-service.ts";
import { type FakeAccountServer, startFakeAccountServer } from "../../support/fake-account-server.ts";
import { type Dynalite, startDynalite } from "../case-store/dynalite.ts";
import { accountServiceContract } from "./account-service.contract.ts";

describe("SimulatedAccountService on dynalite", () => {
  let db: Dynalite;
  let n = 0;
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(async () => {
    await db?.stop();
  });
  accountServiceContract("SimulatedAccountService", async () => {
    const table = `accounts-${n++}`;
    await createAccountsTable(db.client, table);
    return new SimulatedAccountService(db.client, table);
  });
});

describe("HttpAccountService against the fake staff tool", () => {
  const servers: FakeAccountServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });
  accountServiceContract("HttpAccountService", async () => {
    const fake = await startFakeAccountServer();
    servers.push(fake);
    return new HttpAccountService({
      baseUrl: fake.baseUrl,
      secrets: { token: async () => fake.token, invalidate: () => {} },
    });
  });
});
