import { describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import { CaseNotFoundError } from "../../../shared/domain/errors.ts";
import { casesOfSubject, earlierCases } from "../../../shared/use-cases/earlier-cases.ts";
import { ADULT, OTHER_ADULT } from "../../fixtures/routine/people.ts";
import { makeCase } from "./support.ts";

describe("earlierCases", () => {
  it("lists the other cases of the same subject, newest first", async () => {
    const cases = new MemoryCaseStore();
    const mk = (caseId: string, pnr: string, receivedAt: string) => ({
      ...makeCase({ caseId, fields: { "citizen.personnummer": pnr } }),
      receivedAt,
    });
    await cases.create(mk("C-1", ADULT.pnr, "2025-01-01T08:00:00.000Z"));
    await cases.create(mk("C-2", ADULT.pnr, "2025-02-01T08:00:00.000Z"));
    await cases.create(mk("C-3", OTHER_ADULT.pnr, "2025-02-15T08:00:00.000Z"));
    await cases.create(mk("C-4", ADULT.pnr, "2025-03-01T08:00:00.000Z"));
    const earlier = await earlierCases({ caseId: "C-4" }, { cases });
    expect(earlier.map((c) => c.caseId)).toEqual(["C-2", "C-1"]);
    expect(
      (await casesOfSubject(`${ADULT.pnr.slice(0, 8)}-${ADULT.pnr.slice(8)}`, undefined, { cases })).map(
        (c) => c.caseId,
      ),
    ).toEqual(["C-4", "C-2", "C-1"]);
  });

  it("is empty for a case without a subject", async () => {
    const cases = new MemoryCaseStore();
    const { subjectPersonnummer: _omit, ...rest } = makeCase({ caseId: "C-9" });
    await cases.create(rest);
    expect(await earlierCases({ caseId: "C-9" }, { cases })).toEqual([]);
    await expect(earlierCases({ caseId: "C-x" }, { cases })).rejects.toBeInstanceOf(CaseNotFoundError);
  });
});
