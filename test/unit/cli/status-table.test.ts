// `lockdesk status` speaks Swedish: headings, statuses, decisions and reasons (issue 14); --json keeps the codes.
import { describe, expect, it } from "vitest";
import { type CaseSummary, statusTable } from "../../../cli/status.ts";

const cases: CaseSummary[] = [
  {
    caseId: "c-1",
    file: "a.png",
    status: "IN_REVIEW",
    decision: "REVIEW",
    reasons: ["NAME_MISMATCH", "LOW_CONFIDENCE"],
    receivedDate: "2025-03-24",
    formCode: "1177-VG",
  },
  {
    caseId: "c-2",
    file: "b.png",
    status: "EXECUTED",
    decision: "EXECUTE",
    reasons: [],
    receivedDate: "2025-03-24",
    formCode: "1177-EGEN",
  },
];

describe("lockdesk status table", () => {
  it("is in Swedish with no status, decision or reason code left", () => {
    const out = statusTable(cases);
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ÄRENDE\s+FIL\s+STATUS\s+BESLUT\s+ORSAKER$/);
    expect(lines[1]).toContain("Väntar på handläggare");
    expect(lines[1]).toContain("Till handläggare");
    expect(lines[1]).toContain("Namnet stämmer inte med folkbokföringen; Osäker tolkning av ett avgörande fält");
    expect(lines[2]).toContain("Utförd");
    expect(lines[2]).toContain("Utförs");
    expect(lines.at(-1)).toBe("2 ärenden");
    expect(out).not.toMatch(/IN_REVIEW|EXECUTED|EXECUTE\b|REVIEW\b|NAME_MISMATCH|case\(s\)/);
    expect(statusTable([])).toBe("ÄRENDE  FIL  STATUS  BESLUT  ORSAKER\n0 ärenden\n");
  });
});
