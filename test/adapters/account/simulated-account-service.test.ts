// SimulatedAccountService on a real DynamoDB emulator (dynalite, in-process, free port).
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAccountsTable,
  SimulatedAccountService,
} from "../../../shared/adapters/local/simulated-account-service.ts";
import { AccountServiceUnavailableError } from "../../../shared/domain/errors.ts";
import { ADULT, CHILD, GUARDIAN_1, GUARDIAN_2 } from "../../fixtures/routine/people.ts";

interface DynaliteServer {
  listen(port: number, host: string, cb: () => void): void;
  close(cb: () => void): void;
  address(): AddressInfo | string | null;
}
const dynalite = createRequire(import.meta.url)("dynalite") as (opts: Record<string, unknown>) => DynaliteServer;

let server: DynaliteServer;
let client: DynamoDBClient;
let service: SimulatedAccountService;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "eu-north-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await createAccountsTable(client, "accounts");
  await createAccountsTable(client, "accounts"); // idempotent
  service = new SimulatedAccountService(client, "accounts", () => new Date("2025-03-20T09:30:00.000Z"));
});

afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
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
