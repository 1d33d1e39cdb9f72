// Issue 14, the queue: urgent first (phone cases, follow-ups, a scanned form with "Brådskande" ticked), then by
// receipt date (not upload time); waiting days; filters by reason, status, form and "mine"; search over ALL cases
// by case id, file name or an exact personnummer (audited, never logged, masked in the result); and the next case
// after a decision.
import { describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import type { Principal } from "../../../shared/auth/principal.ts";
import { nextCase, PNR_SEARCH_AUDIT_ID, searchCases } from "../../../shared/use-cases/queue-search.ts";
import { getReviewQueue, waitingDays } from "../../../shared/use-cases/review-queue.ts";
import { fixedClock, makeCase, PNR } from "../../api/support/harness.ts";
import { MemoryAuditLog } from "../../api/support/memory-audit-log.ts";

const anna: Principal = { userId: "anna", displayName: "Anna H", groups: ["handler"] };
const bertil: Principal = { userId: "bertil", displayName: "Bertil H", groups: ["handler"] };

async function store() {
  const cases = new MemoryCaseStore();
  // Uploaded in this order, but the receipt dates (the stamp) say otherwise.
  await cases.create(
    makeCase({
      caseId: "c-late-upload-early-date",
      receivedAt: "2025-03-24T09:00:00.000Z",
      receivedDate: "2025-03-18",
      reasons: ["NAME_MISMATCH"],
      subjectPersonnummer: PNR.saga,
      scan: { bucket: "b", key: "k1", fileName: "skanning-0042.png" },
    }),
  );
  await cases.create(
    makeCase({
      caseId: "c-early-upload",
      receivedAt: "2025-03-20T07:00:00.000Z",
      receivedDate: "2025-03-20",
      formCode: "1177-VH",
      reasons: ["GUARDIAN_MISMATCH"],
      claimedBy: "user:anna",
      scan: { bucket: "b", key: "k2", fileName: "skanning-0001.png" },
    }),
  );
  await cases.create(
    makeCase({
      caseId: "c-urgent-box",
      receivedAt: "2025-03-24T10:00:00.000Z",
      receivedDate: "2025-03-24",
      formCode: "1177-VG",
      reasons: ["PHONE_VERIFICATION"],
      fields: { urgent: { value: true, confidence: 0.97 } },
      scan: { bucket: "b", key: "k3", fileName: "brådskande.png" },
    }),
  );
  await cases.create(
    makeCase({
      caseId: "c-urgent-corrected-off",
      receivedAt: "2025-03-19T10:00:00.000Z",
      receivedDate: "2025-03-19",
      reasons: ["LOW_CONFIDENCE"],
      fields: { urgent: { value: true, confidence: 0.4 } },
      corrections: { urgent: false },
    }),
  );
  await cases.create(
    makeCase({ caseId: "c-done", status: "EXECUTED", decision: "EXECUTE", subjectPersonnummer: PNR.saga }),
  );
  return cases;
}

describe("queue order and waiting time", () => {
  it("urgent first, then by receipt date; a handler's correction of the box counts", async () => {
    const cases = await store();
    const q = await getReviewQueue({}, { cases, clock: fixedClock("2025-03-24T09:00:00.000Z") });
    expect(q.items.map((i) => [i.caseId, i.urgent, i.waitingDays])).toEqual([
      ["c-urgent-box", true, 0],
      ["c-late-upload-early-date", false, 6],
      ["c-urgent-corrected-off", false, 5],
      ["c-early-upload", false, 4],
    ]);
  });

  it("counts days on the Swedish calendar (23:30 UTC on 23 March is 24 March in Stockholm)", () => {
    expect(waitingDays("2025-03-21", new Date("2025-03-23T23:30:00.000Z"))).toBe(3);
    expect(waitingDays("2025-03-24", new Date("2025-03-24T09:00:00.000Z"))).toBe(0);
  });
});

describe("queue filters", () => {
  it("by reason, status, form and mine (claimed by the caller)", async () => {
    const cases = await store();
    const ids = async (f: Parameters<typeof getReviewQueue>[0]) =>
      (await getReviewQueue(f, { cases })).items.map((i) => i.caseId);
    expect(await ids({ reason: "GUARDIAN_MISMATCH" })).toEqual(["c-early-upload"]);
    expect(await ids({ form: "1177-VG" })).toEqual(["c-urgent-box"]);
    expect(await ids({ claimedBy: "user:anna" })).toEqual(["c-early-upload"]);
    expect(await ids({ claimedBy: "user:bertil" })).toEqual([]);
    expect(await ids({ status: "FAILED" })).toEqual([]);
    expect((await getReviewQueue({ form: "1177-VG" }, { cases })).total).toBe(4);
  });
});

describe("search over all cases", () => {
  it("by case id or file name (also finished cases), not audited", async () => {
    const cases = await store();
    const audit = new MemoryAuditLog();
    const deps = { cases, audit, clock: fixedClock() };
    const byFile = await searchCases({ q: "SKANNING-004", user: anna }, deps);
    expect(byFile.items.map((i) => i.caseId)).toEqual(["c-late-upload-early-date"]);
    expect((await searchCases({ q: "c-done", user: anna }, deps)).items.map((i) => i.status)).toEqual(["EXECUTED"]);
    expect(await audit.byUser("user:anna")).toEqual([]);
  });

  it("by exact personnummer only: masked in the result, audited per case without the number", async () => {
    const cases = await store();
    const audit = new MemoryAuditLog();
    const deps = { cases, audit, clock: fixedClock() };
    const hit = await searchCases({ q: "20030109-2383", user: anna }, deps);
    expect(hit.query).toBe("personnummer");
    expect(hit.items.map((i) => i.caseId).sort()).toEqual(["c-done", "c-late-upload-early-date"]);
    expect(JSON.stringify(hit)).not.toContain(PNR.saga);
    expect(hit.items.every((i) => i.maskedPersonnummer === "20030109-****")).toBe(true);
    const entries = await audit.byUser("user:anna");
    expect(entries.map((e) => [e.caseId, e.action]).sort()).toEqual([
      ["c-done", "SEARCH_PERSONNUMMER"],
      ["c-late-upload-early-date", "SEARCH_PERSONNUMMER"],
    ]);
    expect(JSON.stringify(entries)).not.toContain("200301092383");
    // A part of a personnummer is text, not a person search: it finds nothing and is not audited as one.
    expect((await searchCases({ q: "20030109", user: bertil }, deps)).items).toEqual([]);
    expect(await audit.byUser("user:bertil")).toEqual([]);
    // A miss is audited too (someone looked for this person).
    await searchCases({ q: PNR.other, user: bertil }, deps);
    expect((await audit.byUser("user:bertil")).map((e) => e.caseId)).toEqual([PNR_SEARCH_AUDIT_ID]);
  });
});

describe("next case", () => {
  it("the next waiting case in queue order, skipping cases claimed by others, wrapping around", async () => {
    const cases = await store();
    expect(await nextCase({ after: "c-urgent-box", user: anna }, { cases })).toEqual({
      caseId: "c-late-upload-early-date",
    });
    // Bertil does not get Anna's claimed case: after the last one he wraps around to the start.
    expect(await nextCase({ after: "c-urgent-corrected-off", user: bertil }, { cases })).toEqual({
      caseId: "c-urgent-box",
    });
    expect(await nextCase({ after: "c-urgent-corrected-off", user: anna }, { cases })).toEqual({
      caseId: "c-early-upload",
    });
    // A decided case (no longer waiting) still has its place: the next one after it.
    const decided = await cases.get("c-late-upload-early-date");
    if (decided) await cases.put({ ...decided, version: decided.version + 1, status: "CLOSED" });
    expect(await nextCase({ after: "c-late-upload-early-date", user: bertil }, { cases })).toEqual({
      caseId: "c-urgent-corrected-off",
    });
    expect(await nextCase({ user: anna }, { cases })).toEqual({ caseId: "c-urgent-box" });
  });

  it("null when nothing else waits", async () => {
    const cases = new MemoryCaseStore();
    await cases.create(makeCase({ caseId: "only", reasons: ["NAME_MISMATCH"] }));
    expect(await nextCase({ after: "only", user: anna }, { cases })).toEqual({ caseId: null });
  });
});
