import { beforeEach, describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import { InvalidCaseStateError, ValidationError } from "../../../shared/domain/errors.ts";
import { markFailed } from "../../../shared/use-cases/mark-failed.ts";
import { parkCase } from "../../../shared/use-cases/park-case.ts";
import { caseIdForScan } from "../../../shared/use-cases/register-case.ts";
import { resumeCase } from "../../../shared/use-cases/resume-case.ts";
import { caseRecord } from "../../fixtures/pipeline-cases.ts";
import { fixedClock, silentLogger } from "./fakes.ts";

let cases: MemoryCaseStore;
const deps = () => ({ cases, clock: fixedClock(), logger: silentLogger });
beforeEach(() => {
  cases = new MemoryCaseStore();
});

describe("parkCase", () => {
  it("parks a validated case IN_REVIEW and is idempotent", async () => {
    const record = caseRecord({ status: "READ", decision: "REVIEW", reasons: ["PHONE_VERIFICATION"] });
    await cases.create(record);
    expect(await parkCase({ caseId: record.caseId }, deps())).toEqual({
      caseId: record.caseId,
      route: "REVIEW",
      status: "IN_REVIEW",
    });
    await parkCase({ caseId: record.caseId }, deps());
    const stored = await cases.get(record.caseId);
    expect(stored?.version).toBe(2);
    expect(stored?.history.at(-1)).toMatchObject({
      by: "ParkForReview",
      what: "status READ → IN_REVIEW: parked for review",
    });
  });

  it("adds a pipeline reason such as REGISTRY_UNAVAILABLE after the contract reasons", async () => {
    const record = caseRecord({ status: "READ", reasons: ["PHONE_VERIFICATION"] });
    await cases.create(record);
    await parkCase({ caseId: record.caseId, reason: "REGISTRY_UNAVAILABLE" }, deps());
    const stored = await cases.get(record.caseId);
    expect(stored).toMatchObject({
      status: "IN_REVIEW",
      decision: "REVIEW",
      reasons: ["PHONE_VERIFICATION", "REGISTRY_UNAVAILABLE"],
    });
  });

  it("leaves finished cases alone", async () => {
    const record = caseRecord({ status: "EXECUTED" });
    await cases.create(record);
    expect((await parkCase({ caseId: record.caseId }, deps())).route).toBe("DONE");
    expect(await cases.get(record.caseId)).toEqual(record);
  });
});

describe("markFailed", () => {
  const scan = { bucket: "scans", key: "incoming/broken.pdf", eventTime: "2025-03-18T07:00:00Z", size: 10 };

  it("marks an existing case FAILED with the error name and a bounded cause", async () => {
    const record = caseRecord({ status: "READ" });
    await cases.create(record);
    const out = await markFailed(
      { caseId: record.caseId, error: { Error: "ActionNotAllowedError", Cause: "x".repeat(5000) } },
      deps(),
    );
    expect(out).toEqual({ caseId: record.caseId, status: "FAILED" });
    const stored = await cases.get(record.caseId);
    expect(stored?.failure?.error).toBe("ActionNotAllowedError");
    expect(stored?.failure?.cause.length).toBe(2000);
    expect(stored?.history.at(-1)?.what).toBe("status READ → FAILED: failed with ActionNotAllowedError");
    // A retried MarkFailed writes nothing new.
    await markFailed({ caseId: record.caseId, error: { Error: "ActionNotAllowedError" } }, deps());
    expect((await cases.get(record.caseId))?.version).toBe(2);
  });

  it("creates the case from the scan reference when RegisterCase itself failed, so nothing is lost", async () => {
    const out = await markFailed({ scan, error: { Error: "ScanNotFoundError", Cause: "gone" } }, deps());
    expect(out).toEqual({ caseId: caseIdForScan(scan), status: "FAILED" });
    const stored = await cases.get(out.caseId);
    expect(stored).toMatchObject({
      status: "FAILED",
      version: 1,
      receivedDate: "2025-03-18",
      scan: { bucket: "scans", key: scan.key, fileName: "broken.pdf", size: 10 },
      failure: { error: "ScanNotFoundError", cause: "gone" },
    });
  });

  it("needs a case id or a scan", async () => {
    await expect(markFailed({ error: { Error: "States.Timeout" } }, deps())).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("resumeCase", () => {
  it("accepts a parked case with a handler decision and names the execution after its version", async () => {
    const record = caseRecord({
      status: "APPROVED",
      version: 4,
      formCode: "1177-VG",
      handlerDecision: { by: "handler:anna", at: "2025-03-18T08:30:00.000Z", decision: "APPROVE" },
    });
    await cases.create(record);
    expect(await resumeCase({ caseId: record.caseId, resume: true }, { cases })).toEqual({
      input: { caseId: record.caseId, resume: true },
      executionName: `${record.caseId}-v4`,
    });
  });

  it("refuses bad requests and cases that are not waiting", async () => {
    const done = caseRecord({ status: "EXECUTED", formCode: "1177-VG" });
    await cases.create(done);
    await expect(resumeCase({ caseId: done.caseId }, { cases })).rejects.toBeInstanceOf(ValidationError);
    await expect(resumeCase({ caseId: done.caseId, resume: true }, { cases })).rejects.toBeInstanceOf(
      InvalidCaseStateError,
    );
  });
});
