// Staff directory outage through THE state machine (infra/state-machine/case.asl.json on aws-local-stepfunctions via
// local/runner.ts), as registry-outage.test.ts does for the person registry: ValidateCase runs the real use
// case and rules with HttpStaffDirectory against a fake directory on 127.0.0.1. 5xx → StaffDirectoryUnavailableError
// → the ASL's Retry (MaxAttempts 3) → Catch → ParkRegistryUnavailable → IN_REVIEW, never decided; when the directory
// answers again, the resume {caseId, resume:true} validates again, verifies the staff member and decides EXECUTE.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../../infra/config.ts";
import { LocalStepFunctions, loadDefinition, type TaskFn } from "../../local/runner.ts";
import { HttpStaffDirectory } from "../../shared/adapters/http/http-staff-directory.ts";
import { CsvCaregiverList } from "../../shared/adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../../shared/adapters/local/csv-person-registry.ts";
import { MemoryCaseStore } from "../../shared/adapters/local/memory-case-store.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import type { Action, FieldReading, FormCode } from "../../shared/domain/forms.ts";
import { CaseRefSchema, MarkFailedInputSchema, ParkCaseInputSchema } from "../../shared/use-cases/contracts.ts";
import { markFailed } from "../../shared/use-cases/mark-failed.ts";
import { parkCase } from "../../shared/use-cases/park-case.ts";
import { type ValidateFormFn, validateCase } from "../../shared/use-cases/validate-case.ts";
import { validateForm } from "../../shared/use-cases/validate-form.ts";
import {
  type FakeStaffDirectoryServer,
  startFakeStaffDirectoryServer,
} from "../support/fake-staff-directory-server.ts";
import { ROOT, truth } from "./helpers.ts";

type Json = Parameters<TaskFn>[0];

const ASL = join(ROOT, "infra/state-machine/case.asl.json");
const REGISTRY = join(ROOT, "test/fixtures/registry");
const SAMPLE = truth("sample-03"); // 1177-VG LOCK, a valid typed form: EXECUTE with no reasons
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clock = { now: () => new Date("2025-03-24T09:00:00.000Z") };

let server: FakeStaffDirectoryServer;
beforeAll(async () => {
  server = await startFakeStaffDirectoryServer(readFileSync(join(REGISTRY, "staff.csv"), "utf8"));
});
afterAll(async () => {
  await server.close();
});

function readCase(caseId: string): CaseRecord {
  const at = `${SAMPLE.receivedDate}T08:00:00.000Z`;
  const fields: Record<string, FieldReading> = {};
  for (const [name, value] of Object.entries(SAMPLE.fields)) fields[name] = { value, confidence: 0.99 };
  // One letter off in the requester's address: the verified member's directory address is what gets mailed.
  const email = String(SAMPLE.fields["requester.email"]);
  fields["requester.email"] = { value: email.replace(/\.se$/, ".sc"), confidence: 0.4 };
  return {
    caseId,
    version: 2,
    status: "READ",
    receivedAt: at,
    receivedDate: SAMPLE.receivedDate,
    formCode: SAMPLE.formCode as FormCode,
    formVersion: "v1",
    action: SAMPLE.action as Action,
    fields,
    corrections: {},
    decision: null,
    reasons: [],
    history: [{ at, by: "ReadForm", what: "read" }],
    createdAt: at,
    updatedAt: at,
  };
}

function pipeline(cases: MemoryCaseStore) {
  const calls: Array<{ fn: PipelineFunctionName; input: Json }> = [];
  let validateAttempts = 0;
  const staff = new HttpStaffDirectory({
    baseUrl: server.url,
    secret: async () => "t",
    cacheTtlMs: 0,
    timeoutMs: 2000,
  });
  const deps = {
    cases,
    registry: CsvPersonRegistry.fromFile(join(REGISTRY, "persons.csv")),
    caregivers: CsvCaregiverList.fromFile(join(REGISTRY, "approved-caregivers.csv")),
    staff,
    validate: validateForm as ValidateFormFn,
    clock,
    logger: silent,
  };
  const real: Partial<Record<PipelineFunctionName, TaskFn>> = {
    ValidateCase: async (input) => {
      validateAttempts++;
      return (await validateCase(CaseRefSchema.parse(input), deps)) as unknown as Json;
    },
    ParkCase: async (input) =>
      (await parkCase(ParkCaseInputSchema.parse(input), { cases, clock, logger: silent })) as unknown as Json,
    MarkFailed: async (input) =>
      (await markFailed(MarkFailedInputSchema.parse(input), { cases, clock, logger: silent })) as unknown as Json,
  };
  const handlers = {} as Record<PipelineFunctionName, TaskFn>;
  for (const fn of Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]) {
    handlers[fn] = async (input) => {
      calls.push({ fn, input });
      const run = real[fn];
      return run ? run(input) : { caseId: (input as { caseId: string }).caseId, status: "OK" };
    };
  }
  const runner = new LocalStepFunctions({
    definition: loadDefinition(ASL, "eu-north-1"),
    handlers,
    retryIntervalMs: 5,
  });
  return { runner, calls, attempts: () => validateAttempts };
}

describe("staff directory outage through the state machine", () => {
  it("5xx → retried → parked IN_REVIEW, never decided; the directory answers + resume → verified, EXECUTE", async () => {
    const cases = new MemoryCaseStore();
    await cases.create(readCase("case-staff-outage"));
    const { runner, calls, attempts } = pipeline(cases);
    server.knobs.alwaysFail = true;
    server.requests.length = 0;
    try {
      expect((await runner.start({ caseId: "case-staff-outage", resume: true })).status).toBe("SUCCEEDED");
    } finally {
      server.knobs.alwaysFail = false;
    }
    expect(attempts()).toBe(4);
    expect(server.requests).toHaveLength(4);
    expect(calls.map((c) => c.fn)).toEqual([
      "ValidateCase",
      "ValidateCase",
      "ValidateCase",
      "ValidateCase",
      "ParkCase",
    ]);
    const parked = await cases.get("case-staff-outage");
    expect(parked?.status).toBe("IN_REVIEW");
    expect(parked?.decision).toBe("REVIEW");
    expect(parked?.reasons).toEqual(["REGISTRY_UNAVAILABLE"]);
    expect(parked?.staff).toBeUndefined();

    calls.length = 0;
    expect((await runner.start({ caseId: "case-staff-outage", resume: true })).status).toBe("SUCCEEDED");
    expect(calls.map((c) => c.fn)).toEqual(["ValidateCase", "ExecuteAction", "SendMail", "ArchiveScan"]);
    const decided = await cases.get("case-staff-outage");
    expect(decided?.decision).toBe("EXECUTE");
    expect(decided?.reasons).toEqual([]);
    expect(decided?.staff).toMatchObject({
      status: "VERIFIED",
      vgrId: SAMPLE.fields["requester.vgrId"],
      entry: { name: SAMPLE.fields["requester.name"], unit: SAMPLE.fields["requester.unit"] },
      addresses: { "requester.email": SAMPLE.fields["requester.email"] },
    });
  });

  it("a VGR-ID that belongs to another staff member → REVIEW (STAFF_NOT_VERIFIED), parked", async () => {
    const cases = new MemoryCaseStore();
    const record = readCase("case-other-staff");
    record.fields["requester.vgrId"] = { value: "evali12", confidence: 0.99 }; // Eva Lind's id
    await cases.create(record);
    const { runner, calls } = pipeline(cases);
    expect((await runner.start({ caseId: "case-other-staff", resume: true })).status).toBe("SUCCEEDED");
    expect(calls.map((c) => c.fn)).toEqual(["ValidateCase", "ParkCase"]);
    const parked = await cases.get("case-other-staff");
    expect(parked?.reasons).toEqual(["STAFF_NOT_VERIFIED"]);
    expect(parked?.staff).toMatchObject({ status: "NOT_VERIFIED", entry: { name: "Eva Lind" }, addresses: {} });
  });
});
