import { beforeEach, describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import { InvalidCaseStateError, PersonRegistryUnavailableError } from "../../../shared/domain/errors.ts";
import type { ReasonCode } from "../../../shared/domain/forms.ts";
import type { CaregiverList, PersonRegistry } from "../../../shared/ports/person-registry.ts";
import {
  type ValidateFormInput,
  type ValidateFormOutcome,
  validateCase,
} from "../../../shared/use-cases/validate-case.ts";
import { caseRecord, TEST_PNR } from "../../fixtures/pipeline-cases.ts";
import { fixedClock, silentLogger } from "./fakes.ts";

const registry: PersonRegistry = { findByPersonnummer: async () => null };
const caregivers: CaregiverList = { current: async () => ({ version: "list-v7", names: [] }) };

const readCase = (overrides: Partial<CaseRecord> = {}) =>
  caseRecord({
    status: "READ",
    formCode: "1177-EGEN",
    formVersion: "v1",
    action: "LOCK",
    fields: { "citizen.personnummer": { value: TEST_PNR.adultA, confidence: 0.95 } },
    receivedAt: "2025-03-18T08:00:00.000Z",
    ...overrides,
  });

/** The rules' answer for a test: the decision follows the reasons as in the contract. */
function outcome(reasons: ReasonCode[], found = true, pnr: string | null = TEST_PNR.adultA): ValidateFormOutcome {
  const hasReturn = reasons.some((r) =>
    [
      "NOT_VIDIMATED",
      "ACTION_MISSING",
      "CITIZEN_SIGNATURE_MISSING",
      "AGE_NOT_ELIGIBLE",
      "THREAT_CHECK_MISSING",
      "CAREGIVER_NOT_APPROVED",
    ].includes(r),
  );
  return {
    decision: hasReturn ? "RETURN" : reasons.length > 0 ? "REVIEW" : "EXECUTE",
    reasons,
    subjectPersonnummer: pnr,
    registry: { found, protectedIdentity: false, nameMatches: found, checkedAt: "2025-03-18T09:00:00.000Z" },
    caregiverListVersion: "list-v7",
  };
}

describe("validateCase", () => {
  let cases: MemoryCaseStore;
  let inputs: ValidateFormInput[];
  const deps = (result: ValidateFormOutcome | Error) => ({
    cases,
    registry,
    caregivers,
    clock: fixedClock(),
    logger: silentLogger,
    minConfidence: 0.7,
    validate: async (input: ValidateFormInput, d: { registry: PersonRegistry; caregivers: CaregiverList }) => {
      expect(d.registry).toBe(registry);
      expect(d.caregivers).toBe(caregivers);
      inputs.push(input);
      if (result instanceof Error) throw result;
      return result;
    },
  });

  beforeEach(() => {
    cases = new MemoryCaseStore();
    inputs = [];
  });

  it("records the decision, subject, registry result and caregiver list version; routes EXECUTE", async () => {
    const record = readCase({ corrections: { "citizen.surname": "Nordström" }, receivedDate: "2025-03-17" });
    await cases.create(record);
    expect(await validateCase({ caseId: record.caseId }, deps(outcome([])))).toEqual({
      caseId: record.caseId,
      route: "EXECUTE",
      status: "READ",
    });
    expect(inputs[0]).toMatchObject({
      corrections: { "citizen.surname": "Nordström" },
      receivedDate: "2025-03-17",
      minConfidence: 0.7,
      form: { formCode: "1177-EGEN", action: "LOCK", fields: record.fields },
    });
    const stored = await cases.get(record.caseId);
    expect(stored).toMatchObject({
      version: 2,
      decision: "EXECUTE",
      reasons: [],
      subjectPersonnummer: TEST_PNR.adultA,
      registry: { found: true },
      caregiverListVersion: "list-v7",
      earlierCaseIds: [],
    });
    expect(stored?.history.at(-1)).toMatchObject({ by: "ValidateCase", what: "validated: EXECUTE" });
  });

  it("routes RETURN and REVIEW as the rules decide", async () => {
    const r1 = readCase();
    const r2 = readCase();
    await cases.create(r1);
    await cases.create(r2);
    expect((await validateCase({ caseId: r1.caseId }, deps(outcome(["NOT_VIDIMATED"])))).route).toBe("RETURN");
    expect((await validateCase({ caseId: r2.caseId }, deps(outcome(["PHONE_VERIFICATION"])))).route).toBe("REVIEW");
    expect((await cases.get(r2.caseId))?.reasons).toEqual(["PHONE_VERIFICATION"]);
  });

  it("adds PRIOR_OPEN_CASE when an earlier case of the same subject is still open", async () => {
    const open = readCase({
      status: "IN_REVIEW",
      subjectPersonnummer: TEST_PNR.adultA,
      receivedAt: "2025-03-10T08:00:00.000Z",
    });
    const done = readCase({
      status: "EXECUTED",
      subjectPersonnummer: TEST_PNR.adultA,
      receivedAt: "2025-03-01T08:00:00.000Z",
    });
    const other = readCase({
      status: "IN_REVIEW",
      subjectPersonnummer: TEST_PNR.adultB,
      receivedAt: "2025-03-10T08:00:00.000Z",
    });
    const record = readCase();
    for (const r of [open, done, other, record]) await cases.create(r);
    const out = await validateCase({ caseId: record.caseId }, deps(outcome(["PHONE_VERIFICATION"])));
    expect(out.route).toBe("REVIEW");
    const stored = await cases.get(record.caseId);
    expect(stored?.reasons).toEqual(["PHONE_VERIFICATION", "PRIOR_OPEN_CASE"]);
    expect(stored?.earlierCaseIds?.sort()).toEqual([open.caseId, done.caseId].sort());
  });

  it("does not hold a case for earlier cases that are finished", async () => {
    const done = readCase({
      status: "EXECUTED",
      subjectPersonnummer: TEST_PNR.adultA,
      receivedAt: "2025-03-01T08:00:00.000Z",
    });
    const record = readCase();
    await cases.create(done);
    await cases.create(record);
    expect((await validateCase({ caseId: record.caseId }, deps(outcome([])))).route).toBe("EXECUTE");
    expect((await cases.get(record.caseId))?.earlierCaseIds).toEqual([done.caseId]);
  });

  it("lets a handler's APPROVE execute a case with only REVIEW reasons when the subject is in the registry", async () => {
    const record = readCase({
      status: "APPROVED",
      handlerDecision: { by: "handler:anna", at: "2025-03-18T08:30:00.000Z", decision: "APPROVE" },
    });
    await cases.create(record);
    const out = await validateCase({ caseId: record.caseId }, deps(outcome(["PHONE_VERIFICATION"])));
    expect(out.route).toBe("EXECUTE");
    const stored = await cases.get(record.caseId);
    expect(stored?.decision).toBe("EXECUTE");
    expect(stored?.reasons).toEqual(["PHONE_VERIFICATION"]);
    expect(stored?.history.at(-1)?.what).toContain("approved by handler:anna");
  });

  it("does not let APPROVE execute for a person the registry does not know, or with an invalid personnummer", async () => {
    const approved = { by: "handler:anna", at: "2025-03-18T08:30:00.000Z", decision: "APPROVE" as const };
    const notFound = readCase({ status: "APPROVED", handlerDecision: approved });
    const invalid = readCase({ status: "APPROVED", handlerDecision: approved });
    await cases.create(notFound);
    await cases.create(invalid);
    expect((await validateCase({ caseId: notFound.caseId }, deps(outcome(["PERSON_NOT_FOUND"], false)))).route).toBe(
      "REVIEW",
    );
    expect((await validateCase({ caseId: invalid.caseId }, deps(outcome(["PNR_INVALID"], true, "12345")))).route).toBe(
      "REVIEW",
    );
  });

  it("RETURN reasons win over a handler's APPROVE", async () => {
    const record = readCase({
      status: "APPROVED",
      handlerDecision: { by: "handler:anna", at: "2025-03-18T08:30:00.000Z", decision: "APPROVE" },
    });
    await cases.create(record);
    expect((await validateCase({ caseId: record.caseId }, deps(outcome(["NOT_VIDIMATED"])))).route).toBe("RETURN");
  });

  it("returns DONE without validating a case that is already acted on", async () => {
    const record = readCase({ status: "EXECUTED" });
    await cases.create(record);
    expect(await validateCase({ caseId: record.caseId }, deps(outcome([])))).toEqual({
      caseId: record.caseId,
      route: "DONE",
      status: "EXECUTED",
    });
    expect(inputs).toHaveLength(0);
  });

  it("keeps an unreadable, parked case in review without running the rules", async () => {
    const record = readCase({
      status: "IN_REVIEW",
      formCode: null,
      action: null,
      fields: {},
      reviewReason: "unreadable",
    });
    await cases.create(record);
    expect((await validateCase({ caseId: record.caseId }, deps(outcome([])))).route).toBe("REVIEW");
    expect(inputs).toHaveLength(0);
  });

  it("refuses a case that was never read", async () => {
    const record = caseRecord();
    await cases.create(record);
    await expect(validateCase({ caseId: record.caseId }, deps(outcome([])))).rejects.toBeInstanceOf(
      InvalidCaseStateError,
    );
  });

  it("lets a registry outage through unchanged for Retry/Catch (parked with REGISTRY_UNAVAILABLE by the state machine)", async () => {
    const record = readCase();
    await cases.create(record);
    await expect(
      validateCase({ caseId: record.caseId }, deps(new PersonRegistryUnavailableError("timeout"))),
    ).rejects.toBeInstanceOf(PersonRegistryUnavailableError);
    expect(await cases.get(record.caseId)).toEqual(record);
  });
});
