// The cost model: lines sum to the total, the state transitions are the ASL's EXECUTE path, and the budget holds.
import { describe, expect, it } from "vitest";
import { loadAsl } from "../../infra/cost/asl-path.ts";
import {
  computeCost,
  EXECUTE_PATH_PROFILE,
  executePathStates,
  formatReport,
  loadPrices,
  type Prices,
} from "../../infra/cost/cost.ts";

const asl = loadAsl();
const prices = loadPrices();

/** All prices zero except the ones set: isolates one line at a time. */
function onlyPrices(patch: (p: Prices) => void): Prices {
  const zero = JSON.parse(JSON.stringify(prices), (_k, v) => (typeof v === "number" ? 0 : v)) as Prices;
  patch(zero);
  return zero;
}

describe("cost model", () => {
  it("prices name their region and date", () => {
    expect(prices.region).toBe("eu-north-1");
    expect(prices.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("counts the state transitions of the EXECUTE path from the ASL", () => {
    expect(executePathStates(asl)).toEqual([
      "IsResume",
      "RegisterCase",
      "IsNewCase",
      "ReadForm",
      "AfterRead",
      "ValidateCase",
      "Route",
      "ExecuteAction",
      "AfterExecute",
      "SendConfirmation",
      "ArchiveScan",
      "Done",
    ]);
    const report = computeCost(asl, prices);
    expect(report.stateTransitions).toBe(12);
    const line = report.lines.find((l) => l.item === "Step Functions state transitions");
    expect(line?.quantityPerForm).toBe(12);
  });

  it("a change to the ASL path changes the count (it is derived, not hard-coded)", () => {
    const shorter = structuredClone(asl);
    const read = shorter.States.ReadForm;
    if (!read) throw new Error("ReadForm missing");
    read.Next = "ValidateCase"; // drop the AfterRead choice
    expect(computeCost(shorter, prices).stateTransitions).toBe(11);
  });

  it("the lines sum to the total, and each line is quantity × unit price × 1,000", () => {
    const report = computeCost(asl, prices);
    const sum = report.lines.reduce((s, l) => s + l.per1000, 0);
    expect(report.totalPer1000).toBeCloseTo(sum, 10);
    for (const l of report.lines) expect(l.per1000).toBeCloseTo(l.quantityPerForm * l.unitPrice * 1000, 10);
  });

  it("isolated prices give the expected figures", () => {
    const textractOnly = computeCost(
      asl,
      onlyPrices((p) => (p.textract.detectDocumentTextPerPage = 0.0015)),
    );
    expect(textractOnly.totalPer1000).toBeCloseTo(1.5, 10);
    const sfnOnly = computeCost(
      asl,
      onlyPrices((p) => (p.stepFunctions.standardPerStateTransition = 0.000025)),
    );
    expect(sfnOnly.totalPer1000).toBeCloseTo(12 * 0.025, 10);
    // ReadForm: 2048 MB = 2 GB × 2.5 s = 5 GB-s; the others 0.25 GB × their seconds.
    const lambdaOnly = computeCost(
      asl,
      onlyPrices((p) => (p.lambda.arm64PerGbSecond = 1)),
    );
    const s = EXECUTE_PATH_PROFILE.lambdaSeconds;
    const expectedGbS =
      2 * s.ReadForm + 0.25 * (s.RegisterCase + s.ValidateCase + s.ExecuteAction + s.SendMail + s.ArchiveScan);
    expect(lambdaOnly.totalPer1000).toBeCloseTo(expectedGbS * 1000, 6);
  });

  it("stays within the budget of $2.50 per 1,000 forms and prints a table with the total", () => {
    const report = computeCost(asl, prices);
    expect(report.totalPer1000).toBeLessThanOrEqual(2.5);
    expect(report.totalPer1000).toBeGreaterThan(1.5); // Textract alone is $1.50
    const text = formatReport(report);
    expect(text).toContain("TOTAL");
    expect(text).toContain(`$${report.totalPer1000.toFixed(4)}`);
  });
});
