// One contract for every AccountService that carries out actions itself (the simulated service on DynamoDB and the
// HTTP client of the 1177 staff tool): every call idempotent with an ALREADY_* answer, blocks per child and guardian,
// status reflecting exactly what was done. (ManualAccountService answers MANUAL_PENDING by design: its own test.)
import { expect, it } from "vitest";
import type { AccountService } from "../../../shared/ports/account-service.ts";
import { ADULT, CHILD, GUARDIAN_1, GUARDIAN_2 } from "../../fixtures/routine/people.ts";

export function accountServiceContract(name: string, make: () => Promise<AccountService>): void {
  it(`${name}: lock and unlock are idempotent and status follows them`, async () => {
    const svc = await make();
    expect(await svc.status(ADULT.pnr)).toEqual({ personnummer: ADULT.pnr, locked: false, blockedGuardians: [] });
    expect(await svc.unlock(ADULT.pnr, "C-0")).toBe("ALREADY_UNLOCKED");
    expect(await svc.lock(ADULT.pnr, "C-1")).toBe("LOCKED");
    expect(await svc.lock(ADULT.pnr, "C-1")).toBe("ALREADY_LOCKED");
    expect((await svc.status(ADULT.pnr)).locked).toBe(true);
    expect(await svc.unlock(ADULT.pnr, "C-2")).toBe("UNLOCKED");
    expect(await svc.unlock(ADULT.pnr, "C-2")).toBe("ALREADY_UNLOCKED");
    expect((await svc.status(ADULT.pnr)).locked).toBe(false);
  });

  it(`${name}: guardian blocks are per child and guardian, idempotent`, async () => {
    const svc = await make();
    expect(await svc.blockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-3")).toBe("BLOCKED");
    expect(await svc.blockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-3")).toBe("ALREADY_BLOCKED");
    expect(await svc.blockGuardian(CHILD.pnr, GUARDIAN_2.pnr, "C-3")).toBe("BLOCKED");
    expect((await svc.status(CHILD.pnr)).blockedGuardians.sort()).toEqual([GUARDIAN_1.pnr, GUARDIAN_2.pnr].sort());
    expect(await svc.unblockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-4")).toBe("UNBLOCKED");
    expect(await svc.unblockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-4")).toBe("ALREADY_UNBLOCKED");
    expect((await svc.status(CHILD.pnr)).blockedGuardians).toEqual([GUARDIAN_2.pnr]);
    // A child's blocks are not an adult's lock.
    expect((await svc.status(CHILD.pnr)).locked).toBe(false);
  });
}
