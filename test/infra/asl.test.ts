// THE state machine definition: valid ASL, Retry/Catch on every Task, and the routes the pipeline depends on.
import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { type AslDefinition, loadAsl, walkAsl } from "../../infra/cost/asl-path.ts";
import { ArchiveVerificationError } from "../../shared/domain/errors.ts";

const asl: AslDefinition = loadAsl();
const TRANSIENT = [
  "PersonRegistryUnavailableError",
  "OcrThrottledError",
  "AccountServiceUnavailableError",
  "Lambda.TooManyRequestsException",
  "Lambda.ServiceException",
];
const tasks = Object.entries(asl.States).filter(([, s]) => s.Type === "Task");

const scanInput = {
  scan: {
    bucket: "scans",
    key: "incoming/a.png",
    versionId: "v1",
    etag: "e",
    size: 10,
    eventTime: "2025-03-17T08:00:00Z",
  },
};

/** Task results by resource: RegisterCase/ReadForm/ValidateCase return {caseId, route?}. */
function results(route: string | undefined, overrides: Record<string, () => unknown> = {}) {
  return (state: string, resource: string, input: unknown): unknown => {
    const override = overrides[state];
    if (override) return override();
    const caseId = (input as { caseId?: string }).caseId ?? "case-1";
    if (resource === "${ValidateCaseFunctionArn}") return route === undefined ? { caseId } : { caseId, route };
    return { caseId, status: "OK" };
  };
}

describe("case.asl.json", () => {
  it("is valid Amazon States Language (asl-validator)", () => {
    const { isValid, errorsText } = aslValidator(asl, { checkPaths: true, checkArn: true });
    expect(errorsText("\n")).toBe("");
    expect(isValid).toBe(true);
  });

  it("has the tasks of the design, each invoking its function through a substitution variable", () => {
    const resources = Object.fromEntries(tasks.map(([name, s]) => [name, s.Resource]));
    expect(resources).toEqual({
      RegisterCase: "${RegisterCaseFunctionArn}",
      ReadForm: "${ReadFormFunctionArn}",
      ValidateCase: "${ValidateCaseFunctionArn}",
      ExecuteAction: "${ExecuteActionFunctionArn}",
      SendConfirmation: "${SendMailFunctionArn}",
      SendReturnNotice: "${SendMailFunctionArn}",
      ArchiveScan: "${ArchiveScanFunctionArn}",
      ParkForReview: "${ParkCaseFunctionArn}",
      ParkRegistryUnavailable: "${ParkCaseFunctionArn}",
      MarkFailed: "${MarkFailedFunctionArn}",
    });
  });

  it.each(tasks)("%s retries the transient errors with backoff", (_name, state) => {
    const retry = state.Retry ?? [];
    const retried = retry.flatMap((r) => r.ErrorEquals);
    for (const error of TRANSIENT) expect(retried).toContain(error);
    for (const r of retry) {
      expect(r.BackoffRate ?? 1).toBeGreaterThan(1);
      expect(r.MaxAttempts ?? 3).toBeGreaterThan(0);
    }
  });

  it.each(tasks)("%s catches States.ALL (into MarkFailed, or the Fail state for MarkFailed itself)", (name, state) => {
    const catchAll = (state.Catch ?? []).find((c) => c.ErrorEquals.includes("States.ALL"));
    expect(catchAll).toBeDefined();
    expect(catchAll?.Next).toBe(name === "MarkFailed" ? "Failed" : "MarkFailed");
    expect(catchAll?.ResultPath).toMatch(/^\$\.\w+$/);
    // States.ALL must be the last catcher (AWS rejects it elsewhere).
    expect(state.Catch?.at(-1)).toBe(catchAll);
  });

  it("ValidateCase catches an exhausted PersonRegistryUnavailableError first and parks with REGISTRY_UNAVAILABLE", () => {
    const validate = asl.States.ValidateCase;
    expect(validate?.Catch?.[0]).toEqual({
      ErrorEquals: ["PersonRegistryUnavailableError"],
      ResultPath: "$.error",
      Next: "ParkRegistryUnavailable",
    });
    const run = walkAsl(asl, scanInput, (state, resource, input) => {
      if (state === "ValidateCase") throw { Error: "PersonRegistryUnavailableError", Cause: "timeout" };
      return results("EXECUTE")(state, resource, input);
    });
    expect(run.states).toEqual([
      "IsResume",
      "RegisterCase",
      "IsNewCase",
      "ReadForm",
      "AfterRead",
      "ValidateCase",
      "ParkRegistryUnavailable",
      "Done",
    ]);
    expect(run.tasks.at(-1)?.input).toEqual({ caseId: "case-1", reason: "REGISTRY_UNAVAILABLE" });
  });

  it("ValidateCase retries an exhausted StaffDirectoryUnavailableError, then parks like a registry outage", () => {
    const validate = asl.States.ValidateCase;
    expect(validate?.Retry?.[0]?.ErrorEquals).toContain("StaffDirectoryUnavailableError");
    expect(validate?.Catch?.[1]).toEqual({
      ErrorEquals: ["StaffDirectoryUnavailableError"],
      ResultPath: "$.error",
      Next: "ParkRegistryUnavailable",
    });
    const run = walkAsl(asl, scanInput, (state, resource, input) => {
      if (state === "ValidateCase") throw { Error: "StaffDirectoryUnavailableError", Cause: "HTTP 503" };
      return results("EXECUTE")(state, resource, input);
    });
    expect(run.states.slice(-3)).toEqual(["ValidateCase", "ParkRegistryUnavailable", "Done"]);
    expect(run.tasks.at(-1)?.input).toEqual({ caseId: "case-1", reason: "REGISTRY_UNAVAILABLE" });
  });

  it("EXECUTE: register → read → validate → execute → confirmation → archive, each task gets exactly {caseId}[, kind]", () => {
    const run = walkAsl(asl, scanInput, results("EXECUTE"));
    expect(run.end).toBe("Succeed");
    expect(run.tasks.map((t) => [t.state, t.input])).toEqual([
      ["RegisterCase", { scan: scanInput.scan }],
      ["ReadForm", { caseId: "case-1" }],
      ["ValidateCase", { caseId: "case-1" }],
      ["ExecuteAction", { caseId: "case-1" }],
      ["SendConfirmation", { caseId: "case-1", kind: "CONFIRMATION" }],
      ["ArchiveScan", { caseId: "case-1" }],
    ]);
  });

  it("RETURN sends the return notice and archives; REVIEW parks; DONE ends", () => {
    expect(walkAsl(asl, scanInput, results("RETURN")).tasks.map((t) => [t.state, t.input])).toEqual([
      ["RegisterCase", { scan: scanInput.scan }],
      ["ReadForm", { caseId: "case-1" }],
      ["ValidateCase", { caseId: "case-1" }],
      ["SendReturnNotice", { caseId: "case-1", kind: "RETURN_NOTICE" }],
      ["ArchiveScan", { caseId: "case-1" }],
    ]);
    const review = walkAsl(asl, scanInput, results("REVIEW"));
    expect(review.tasks.at(-1)).toMatchObject({ state: "ParkForReview", input: { caseId: "case-1" } });
    expect(review.end).toBe("Succeed");
    expect(walkAsl(asl, scanInput, results("DONE")).states.slice(-2)).toEqual(["Route", "Done"]);
  });

  it("a duplicate delivery (RegisterCase route DONE) ends without reading the scan again", () => {
    const run = walkAsl(
      asl,
      scanInput,
      results("EXECUTE", { RegisterCase: () => ({ caseId: "case-1", route: "DONE" }) }),
    );
    expect(run.states).toEqual(["IsResume", "RegisterCase", "IsNewCase", "Done"]);
  });

  it("an unreadable scan (ReadForm parked it: route REVIEW) or a finished case (DONE) ends after reading", () => {
    for (const route of ["REVIEW", "DONE"]) {
      const run = walkAsl(asl, scanInput, results("EXECUTE", { ReadForm: () => ({ caseId: "case-1", route }) }));
      expect(run.states.slice(-3)).toEqual(["ReadForm", "AfterRead", "Done"]);
    }
  });

  it("an action waiting for a handler (ExecuteAction route DONE) sends no confirmation yet", () => {
    const run = walkAsl(
      asl,
      scanInput,
      results("EXECUTE", {
        ExecuteAction: () => ({ caseId: "case-1", route: "DONE", status: "AWAITING_MANUAL_EXECUTION" }),
      }),
    );
    expect(run.states.slice(-3)).toEqual(["ExecuteAction", "AfterExecute", "Done"]);
    expect(run.tasks.map((t) => t.state)).not.toContain("SendConfirmation");
  });

  it("a resumed case re-enters at ValidateCase", () => {
    const run = walkAsl(asl, { caseId: "case-9", resume: true }, results("EXECUTE"));
    expect(run.tasks.map((t) => t.state)).toEqual(["ValidateCase", "ExecuteAction", "SendConfirmation", "ArchiveScan"]);
    expect(run.tasks[0]?.input).toEqual({ caseId: "case-9" });
  });

  it("a failure marks the case failed with the error and ends in the Fail state", () => {
    const afterRegister = walkAsl(asl, scanInput, (state, resource, input) => {
      if (state === "ReadForm") throw { Error: "UnreadableScanError", Cause: "corrupt" };
      return results("EXECUTE")(state, resource, input);
    });
    expect(afterRegister.end).toBe("Fail");
    expect(afterRegister.tasks.at(-1)).toMatchObject({
      state: "MarkFailed",
      input: { caseId: "case-1", error: { Error: "UnreadableScanError", Cause: "corrupt" } },
    });
    // RegisterCase itself failed: no case id yet, MarkFailed gets the scan.
    const atRegister = walkAsl(asl, scanInput, (state, resource, input) => {
      if (state === "RegisterCase") throw { Error: "Lambda.Unknown", Cause: "boom" };
      return results("EXECUTE")(state, resource, input);
    });
    expect(atRegister.tasks.at(-1)?.input).toEqual({ ...scanInput, error: { Error: "Lambda.Unknown", Cause: "boom" } });
    expect(atRegister.states.at(-1)).toBe("Failed");
  });

  it("a validation result without a route is marked failed, not left hanging", () => {
    const run = walkAsl(asl, scanInput, results(undefined));
    expect(run.states.slice(-3)).toEqual(["RouteMissing", "MarkFailed", "Failed"]);
  });

  it("ArchiveScan retries ArchiveVerificationError (a copy read back too early) with backoff, then marks the case failed", () => {
    expect(new ArchiveVerificationError("x").name).toBe("ArchiveVerificationError");
    const archive = asl.States.ArchiveScan;
    const retrier = archive?.Retry?.find((r) => r.ErrorEquals.includes("ArchiveVerificationError"));
    expect(retrier).toBeDefined();
    expect(retrier?.MaxAttempts ?? 3).toBeGreaterThanOrEqual(2);
    expect(retrier?.BackoffRate ?? 1).toBeGreaterThan(1);
    // Only the archive step retries it: elsewhere the name means nothing.
    for (const [name, state] of tasks) {
      const retried = (state.Retry ?? []).flatMap((r) => r.ErrorEquals);
      expect(retried.includes("ArchiveVerificationError"), name).toBe(name === "ArchiveScan");
    }
    // Exhausted (retries are not simulated by the walker): the catch-all marks the case failed.
    const run = walkAsl(asl, scanInput, (state, resource, input) => {
      if (state === "ArchiveScan") throw { Error: "ArchiveVerificationError", Cause: "copy does not match" };
      return results("EXECUTE")(state, resource, input);
    });
    expect(run.states.slice(-3)).toEqual(["ArchiveScan", "MarkFailed", "Failed"]);
  });
});
