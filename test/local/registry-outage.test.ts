// Registry outage through THE state machine (infra/state-machine/case.asl.json on aws-local-stepfunctions via
// local/runner.ts): ValidateCase runs the real use case and rules with HttpPersonRegistry against the fake
// registry server. 5xx → PersonRegistryUnavailableError → the ASL's Retry (MaxAttempts 3) → Catch →
// ParkRegistryUnavailable → IN_REVIEW (REGISTRY_UNAVAILABLE), never decided; once the registry is back, a resume
// {caseId, resume:true} decides the case normally. A malformed answer is a named final error: the case is FAILED
// with that reason, never decided. The runner's retryIntervalMs shortens the ASL's 2 s/4 s/8 s backoff to
// milliseconds (the committed Retry values are unchanged; their attempt count is what is asserted here).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../../infra/config.ts";
import { LocalStepFunctions, loadDefinition, type TaskFn } from "../../local/runner.ts";
import { HttpPersonRegistry } from "../../shared/adapters/http/http-person-registry.ts";
import { CsvCaregiverList } from "../../shared/adapters/local/csv-caregiver-list.ts";
import { MemoryCaseStore } from "../../shared/adapters/local/memory-case-store.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import type { Action, FieldReading, FormCode } from "../../shared/domain/forms.ts";
import { CaseRefSchema, MarkFailedInputSchema, ParkCaseInputSchema } from "../../shared/use-cases/contracts.ts";
import { markFailed } from "../../shared/use-cases/mark-failed.ts";
import { parkCase } from "../../shared/use-cases/park-case.ts";
import { type ValidateFormFn, validateCase } from "../../shared/use-cases/validate-case.ts";
import { validateForm } from "../../shared/use-cases/validate-form.ts";
import { type FakeRegistryServer, startFakeRegistryServer } from "../support/fake-registry-server.ts";
import { ROOT, truth } from "./helpers.ts";

type Json = Parameters<TaskFn>[0];

const ASL = join(ROOT, "infra/state-machine/case.asl.json");
const REGISTRY = join(ROOT, "test/fixtures/registry");
const SAMPLE = truth("sample-03"); // 1177-VG LOCK, a valid typed form: EXECUTE with no reasons
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clock = { now: () => new Date("2025-03-24T09:00:00.000Z") };

let server: FakeRegistryServer;
beforeAll(async () => {
  server = await startFakeRegistryServer(readFileSync(join(REGISTRY, "persons.csv"), "utf8"));
});
afterAll(async () => {
  await server.close();
});

/** The case as ReadForm leaves it: the sample's ground-truth fields, read with full confidence. */
function readCase(caseId: string): CaseRecord {
  const at = `${SAMPLE.receivedDate}T08:00:00.000Z`;
  const fields: Record<string, FieldReading> = {};
  for (const [name, value] of Object.entries(SAMPLE.fields)) fields[name] = { value, confidence: 0.99 };
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
    history: [
      { at, by: "RegisterCase", what: "registered" },
      { at, by: "ReadForm", what: "read" },
    ],
    createdAt: at,
    updatedAt: at,
  };
}

/** ValidateCase, ParkCase and MarkFailed run their real use cases; the routine tasks after a decision record calls. */
function pipeline(cases: MemoryCaseStore) {
  const calls: Array<{ fn: PipelineFunctionName; input: Json }> = [];
  let validateAttempts = 0;
  const registry = new HttpPersonRegistry({
    baseUrl: server.url,
    secret: async () => "test-secret",
    cacheTtlMs: 0,
    timeoutMs: 2000,
  });
  const caregivers = CsvCaregiverList.fromFile(join(REGISTRY, "approved-caregivers.csv"));
  const real: Partial<Record<PipelineFunctionName, TaskFn>> = {
    ValidateCase: async (input) => {
      validateAttempts++;
      const r = await validateCase(CaseRefSchema.parse(input), {
        cases,
        registry,
        caregivers,
        validate: validateForm as ValidateFormFn,
        clock,
        logger: silent,
      });
      return r as unknown as Json;
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
      if (run) return run(input);
      return { caseId: (input as { caseId: string }).caseId, status: "OK" };
    };
  }
  const runner = new LocalStepFunctions({
    definition: loadDefinition(ASL, "eu-north-1"),
    handlers,
    retryIntervalMs: 5,
  });
  return { runner, calls, attempts: () => validateAttempts };
}

async function stored(cases: MemoryCaseStore, caseId: string): Promise<CaseRecord> {
  const c = await cases.get(caseId);
  if (!c) throw new Error(`case ${caseId} missing`);
  return c;
}

describe("registry outage through the state machine", () => {
  it("5xx → retried → parked IN_REVIEW (REGISTRY_UNAVAILABLE), never decided; healed + resume → EXECUTE", async () => {
    const cases = new MemoryCaseStore();
    await cases.create(readCase("case-outage"));
    const { runner, calls, attempts } = pipeline(cases);
    server.knobs.alwaysFail = true;
    server.requests.length = 0;
    try {
      const out = await runner.start({ caseId: "case-outage", resume: true });
      expect(out.status).toBe("SUCCEEDED");
    } finally {
      server.knobs.alwaysFail = false;
    }

    // The first try and the ASL's 3 retries each asked the registry.
    expect(attempts()).toBe(4);
    expect(server.requests).toHaveLength(4);
    expect(calls.map((c) => c.fn)).toEqual([
      "ValidateCase",
      "ValidateCase",
      "ValidateCase",
      "ValidateCase",
      "ParkCase",
    ]);
    expect(calls.at(-1)?.input).toEqual({ caseId: "case-outage", reason: "REGISTRY_UNAVAILABLE" });
    const parked = await stored(cases, "case-outage");
    expect(parked.status).toBe("IN_REVIEW");
    expect(parked.reasons).toEqual(["REGISTRY_UNAVAILABLE"]);
    expect(parked.decision).toBe("REVIEW");
    expect(parked.registry).toBeUndefined();
    expect(parked.history.at(-1)?.what).toMatch(/parked for review \(REGISTRY_UNAVAILABLE\)$/);

    // The registry is back; the handler retries the case (the API's resumer starts {caseId, resume:true}).
    calls.length = 0;
    const resumed = await runner.start({ caseId: "case-outage", resume: true });
    expect(resumed.status).toBe("SUCCEEDED");
    expect(calls.map((c) => c.fn)).toEqual(["ValidateCase", "ExecuteAction", "SendMail", "ArchiveScan"]);
    expect(calls[2]?.input).toEqual({ caseId: "case-outage", kind: "CONFIRMATION" });
    const decided = await stored(cases, "case-outage");
    expect(decided.decision).toBe("EXECUTE");
    expect(decided.reasons).toEqual([]);
    expect(decided.registry).toMatchObject({ found: true, nameMatches: true, protectedIdentity: false });
    expect(decided.caregiverListVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(decided.history.at(-1)?.what).toMatch(/validated: EXECUTE$/);
  });

  it("a short outage inside the retries is absorbed: decided normally without parking", async () => {
    const cases = new MemoryCaseStore();
    await cases.create(readCase("case-blip"));
    const { runner, calls, attempts } = pipeline(cases);
    server.knobs.failNext = 2;
    const out = await runner.start({ caseId: "case-blip", resume: true });
    expect(out.status).toBe("SUCCEEDED");
    expect(attempts()).toBe(3);
    expect(calls.map((c) => c.fn)).not.toContain("ParkCase");
    expect((await stored(cases, "case-blip")).decision).toBe("EXECUTE");
  });

  for (const malformed of ["not-json", "wrong-shape", "other-person"] as const) {
    it(`malformed registry answer (${malformed}) → PersonRegistryResponseError → FAILED with that reason, never decided`, async () => {
      const cases = new MemoryCaseStore();
      await cases.create(readCase(`case-${malformed}`));
      const { runner, calls, attempts } = pipeline(cases);
      server.knobs.malformed = malformed;
      try {
        const out = await runner.start({ caseId: `case-${malformed}`, resume: true });
        expect(out.status).toBe("FAILED");
      } finally {
        server.knobs.malformed = null;
      }
      // Not transient: no retry, straight to MarkFailed.
      expect(attempts()).toBe(1);
      expect(calls.map((c) => c.fn)).toEqual(["ValidateCase", "MarkFailed"]);
      const failed = await stored(cases, `case-${malformed}`);
      expect(failed.status).toBe("FAILED");
      expect(failed.failure?.error).toBe("PersonRegistryResponseError");
      expect(failed.failure?.cause).toMatch(/person registry/);
      expect(failed.decision).toBeNull();
      expect(failed.registry).toBeUndefined();
      // The cause never echoes personal data from the answer.
      expect(failed.failure?.cause).not.toContain(SAMPLE.fields["citizen.surname"] as string);
      expect(failed.failure?.cause).not.toContain(SAMPLE.fields["citizen.personnummer"] as string);
    });
  }
});
