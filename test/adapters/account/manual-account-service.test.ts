import { describe, expect, it } from "vitest";
import { ManualAccountService } from "../../../shared/adapters/local/manual-account-service.ts";
import { AccountServiceRejectedError } from "../../../shared/domain/errors.ts";
import { ADULT, CHILD, GUARDIAN_1 } from "../../fixtures/routine/people.ts";

describe("ManualAccountService", () => {
  it("answers MANUAL_PENDING for every action and does not pretend to know the status", async () => {
    const s = new ManualAccountService();
    expect(await s.lock(ADULT.pnr, "C-1")).toBe("MANUAL_PENDING");
    expect(await s.unlock(ADULT.pnr, "C-1")).toBe("MANUAL_PENDING");
    expect(await s.blockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-1")).toBe("MANUAL_PENDING");
    expect(await s.unblockGuardian(CHILD.pnr, GUARDIAN_1.pnr, "C-1")).toBe("MANUAL_PENDING");
    await expect(s.status(ADULT.pnr)).rejects.toBeInstanceOf(AccountServiceRejectedError);
  });
});
