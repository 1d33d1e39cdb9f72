// ValidateCase records which fields were doubtful (read with low confidence, not confirmed): the case page names
// them as the fields that decided LOW_CONFIDENCE (issue 14). Real rules (validateForm) over the fixture registry.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CsvCaregiverList } from "../../../shared/adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../../../shared/adapters/local/csv-person-registry.ts";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import { validateCase } from "../../../shared/use-cases/validate-case.ts";
import { validateForm } from "../../../shared/use-cases/validate-form.ts";
import { silentLogger } from "../use-cases/fakes.ts";
import { fixedClock, makeCase } from "./support.ts";

const registry = CsvPersonRegistry.fromFile(
  fileURLToPath(new URL("../../fixtures/registry/persons.csv", import.meta.url)),
);

async function validated(lowField: string | null) {
  const cases = new MemoryCaseStore();
  const record = makeCase({ fields: { "verifier.vgrId": "annjo12" } });
  if (lowField) {
    const r = record.fields[lowField];
    if (r) record.fields[lowField] = { ...r, confidence: 0.2 };
  }
  await cases.create(record);
  await validateCase(
    { caseId: record.caseId },
    {
      cases,
      registry,
      caregivers: new CsvCaregiverList("name,organisationNumber\n"),
      validate: validateForm,
      clock: fixedClock(),
      logger: silentLogger,
    },
  );
  return cases.get(record.caseId);
}

describe("doubtful fields on the case", () => {
  it("a signature read with low confidence: LOW_CONFIDENCE, and the field is recorded as the deciding one", async () => {
    const c = await validated("verifier.signed");
    expect(c?.reasons).toEqual(["LOW_CONFIDENCE"]);
    expect(c?.doubtfulFields).toEqual(["verifier.signed"]);
  });

  it("a clean read records none", async () => {
    const c = await validated(null);
    expect(c?.reasons).toEqual([]);
    expect(c?.doubtfulFields).toEqual([]);
  });
});
