// The cost model: lines sum to the total, the state transitions are the ASL's EXECUTE path, and the budget holds.
import { describe, expect, it } from "vitest";
import { PIPELINE_FUNCTIONS } from "../../infra/config.ts";
import { loadAsl } from "../../infra/cost/asl-path.ts";
import {
  computeCost,
  costOfBothEngines,
  EXECUTE_PATH_PROFILE,
  executePathStates,
  FORMS_PER_CONTAINER,
  formatReport,
  type LambdaBench,
  loadBench,
  loadPrices,
  localEngineProfile,
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
    // ReadForm: its configured MB / 1024 × 2.5 s; the others 0.25 GB × their seconds.
    const lambdaOnly = computeCost(
      asl,
      onlyPrices((p) => (p.lambda.arm64PerGbSecond = 1)),
    );
    const s = EXECUTE_PATH_PROFILE.lambdaSeconds;
    const expectedGbS =
      (PIPELINE_FUNCTIONS.ReadForm.memoryMb / 1024) * s.ReadForm +
      0.25 * (s.RegisterCase + s.ValidateCase + s.ExecuteAction + s.SendMail + s.ArchiveScan);
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

describe("cost of the local engine (from bench:lambda)", () => {
  const bench: LambdaBench = {
    date: "2026-01-01",
    machine: "test",
    cpus: 1,
    memoryMb: 1769,
    forms: 10,
    initSeconds: 1,
    coldFirstFormSeconds: 5,
    warmSecondsPerForm: 2,
    peakRssMb: 600,
  };

  it("calls no Textract and bills ReadForm the measured seconds at the measured memory", () => {
    const p = localEngineProfile(bench);
    expect(p.textractPages).toBe(0);
    expect(p.lambdaSeconds.ReadForm).toBeCloseTo(2 + (1 + 5 - 2) / FORMS_PER_CONTAINER, 6);
    const lambdaOnly = computeCost(
      asl,
      onlyPrices((x) => (x.lambda.arm64PerGbSecond = 1)),
      p,
    );
    const line = lambdaOnly.lines.find((l) => l.item.startsWith("Lambda ReadForm"));
    expect(line?.item).toContain("1769 MB");
    expect(line?.quantityPerForm).toBeCloseTo((1769 / 1024) * (p.lambdaSeconds.ReadForm as number), 6);
    // Twice the measured time, twice the ReadForm line: derived from the bench, not hard-coded.
    const slower = localEngineProfile({ ...bench, initSeconds: 2, warmSecondsPerForm: 4, coldFirstFormSeconds: 10 });
    const line2 = computeCost(
      asl,
      onlyPrices((x) => (x.lambda.arm64PerGbSecond = 1)),
      slower,
    ).lines.find((l) => l.item.startsWith("Lambda ReadForm"));
    expect(line2?.quantityPerForm).toBeCloseTo(2 * (line?.quantityPerForm ?? 0), 6);
  });

  it("the committed bench figures keep the local engine within $0.80 per 1,000 one-page forms", () => {
    const measured = loadBench();
    expect(measured, "infra/cost/lambda-bench.json (npm run bench:lambda)").toBeDefined();
    const local = computeCost(asl, prices, localEngineProfile(measured as LambdaBench));
    expect(local.totalPer1000).toBeLessThanOrEqual(0.8);
    expect(local.lines.find((l) => l.item === "Textract DetectDocumentText")?.per1000).toBe(0);
    const text = costOfBothEngines(measured);
    expect(text).toContain("ReadForm engine local");
    expect(text).toContain("ReadForm engine textract");
  });
});
