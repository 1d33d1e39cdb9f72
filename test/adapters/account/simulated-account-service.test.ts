// SimulatedAccountService on a real DynamoDB emulator (dynalite, in-process, free port).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAccountsTable,
  SimulatedAccountService,
} from "../../../shared/adapters/local/simulated-account-service.ts";
import { AccountServiceUnavailableError } from "../../../shared/domain/errors.ts";
import { ADULT, CHILD, GUARDIAN_1, GUARDIAN_2 } from "../../fixtures/routine/people.ts";
import { type Dynalite, startDynalite } from "../case-store/dynalite.ts";

let db: Dynalite;
let client: DynamoDBClient;
let service: SimulatedAccountService;

beforeAll(async () => {
  db = await startDynalite();
  client = db.client;
  await createAccountsTable(client, "accounts");
  await createAccountsTable(client, "accounts"); // idempotent
  service = new SimulatedAccountService(client, "accounts", () => new Date("2025-03-20T09:30:00.000Z"));
});

afterAll(async () => {
  await db?.stop();
});

describe("SimulatedAccountService (dynalite)", () => {
  it("locks once, answers ALREADY_LOCKED after, unlocks, answers ALREADY_UNLOCKED after", async () => {
    expect(await service.status(ADULT.pnr)).toEqual({ personnummer: ADULT.pnr, locked: false, blockedGuardians: [] });
    expect(await service.unlock(ADULT.pnr, "C-0")).toBe("ALREADY_UNLOCKED");
    expect(await service.lock(ADULT.pnr, "C-1")).toBe("LOCKED");
    expect(await service.lock(ADULT.pnr, "C-1")).toBe("ALREADY_LOCKED");
    expect((await service.status(ADULT.pnr)).locked).toBe(true);
    expect(await service.unlock(ADULT.pnr, "C-2")).toBe("UNLOCKED");
    expect(await service.unlock(ADULT.pnr, "C-2")).toBe("ALREADY_UNLOCKED");
    expect((await service.status(ADULT.pnr)).locked).toBe(false);
  });

  it("blocks and unblocks guardians per child, idempotently", async () => {
    expect(await service.blockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-3")).toBe("BLOCKED");
    expect(await service.blockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-3")).toBe("ALREADY_BLOCKED");
    expect(await service.blockGuardian(CHILD.pnr, GUARDIAN_2.pnr, "C-3")).toBe("BLOCKED");
    expect((await service.status(CHILD.pnr)).blockedGuardians).toEqual([GUARDIAN_2.pnr, GUARDIAN_1.pnr].sort());
    expect(await service.unblockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-4")).toBe("UNBLOCKED");
    expect(await service.unblockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-4")).toBe("ALREADY_UNBLOCKED");
    expect((await service.status(CHILD.pnr)).blockedGuardians).toEqual([GUARDIAN_2.pnr]);
    expect(await service.unblockGuardian(CHILD.pnr, GUARDIAN_2.pnr, "C-4")).toBe("UNBLOCKED");
    expect((await service.status(CHILD.pnr)).blockedGuardians).toEqual([]);
    expect(await service.unblockGuardian(CHILD.pnr, GUARDIAN_2.pnr, "C-4")).toBe("ALREADY_UNBLOCKED");
  });

  it("concurrent locks of the same account: exactly one LOCKED", async () => {
    const pnr = GUARDIAN_1.pnr;
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => service.lock(pnr, `C-${i}`)));
    expect(results.filter((r) => r === "LOCKED")).toHaveLength(1);
    expect(results.filter((r) => r === "ALREADY_LOCKED")).toHaveLength(4);
  });

  it("an unreachable table is AccountServiceUnavailableError (transient, retried by the state machine)", async () => {
    const dead = new DynamoDBClient({
      endpoint: "http://127.0.0.1:1",
      region: "eu-north-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    await expect(new SimulatedAccountService(dead, "accounts").lock(ADULT.pnr, "C-9")).rejects.toBeInstanceOf(
      AccountServiceUnavailableError,
    );
    dead.destroy();
  });
});
