import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import { ScanChangedError, ScanNotFoundError } from "../../../shared/domain/errors.ts";
import { markFailed } from "../../../shared/use-cases/mark-failed.ts";
import {
  caseIdForScan,
  receiptDate,
  receiptDates,
  registerCase,
  scanFileName,
} from "../../../shared/use-cases/register-case.ts";
import { fixedClock, MemoryScanStore, silentLogger } from "./fakes.ts";

const BYTES = new TextEncoder().encode("pretend this is a PNG");
const scan = { bucket: "scans", key: "incoming/2025/scan-0001.png", eventTime: "2025-03-18T07:59:00Z" };

describe("registerCase", () => {
  let cases: MemoryCaseStore;
  let scans: MemoryScanStore;
  const deps = () => ({ cases, scans, clock: fixedClock(), logger: silentLogger });

  beforeEach(async () => {
    cases = new MemoryCaseStore();
    scans = new MemoryScanStore();
    await scans.put("scans", scan.key, BYTES, { "received-date": "2025-03-17" });
  });

  it("creates one RECEIVED case with a deterministic id, the scan's sha256 and the mail room's receipt date", async () => {
    const result = await registerCase({ scan }, deps());
    expect(result).toEqual({ caseId: caseIdForScan(scan), status: "RECEIVED" });
    expect(result.caseId).toMatch(/^C-[A-Z2-7]{16}$/);
    const record = await cases.get(result.caseId);
    expect(record).toMatchObject({
      version: 1,
      status: "RECEIVED",
      receivedDate: "2025-03-17",
      receivedAt: "2025-03-18T07:59:00.000Z",
      scan: {
        bucket: "scans",
        key: scan.key,
        fileName: "scan-0001.png",
        size: BYTES.byteLength,
        sha256: createHash("sha256").update(BYTES).digest("hex"),
      },
    });
    expect(record?.history).toHaveLength(1);
    expect(record?.history[0]?.by).toBe("RegisterCase");
  });

  it("maps a duplicate delivery to the same case: DONE once the case is past RECEIVED", async () => {
    const first = await registerCase({ scan }, deps());
    const record = (await cases.get(first.caseId)) as CaseRecord;
    await cases.put({ ...record, version: 2, status: "READ" });
    const second = await registerCase({ scan: { ...scan, eventTime: "2025-03-18T08:05:00Z" } }, deps());
    expect(second).toEqual({ caseId: first.caseId, route: "DONE", status: "READ" });
    expect(await cases.listAll()).toHaveLength(1);
  });

  it("continues a duplicate whose case was registered but never read (restart safety)", async () => {
    const first = await registerCase({ scan }, deps());
    const second = await registerCase({ scan }, deps());
    expect(second).toEqual({ caseId: first.caseId, status: "RECEIVED" });
    expect((await cases.get(first.caseId))?.version).toBe(1);
  });

  it("another object uploaded under a key used before is detected, never read as the first case's paper", async () => {
    expect(caseIdForScan({ ...scan, etag: "e1" })).not.toBe(caseIdForScan({ ...scan, etag: "e2" }));
    expect(caseIdForScan({ ...scan, etag: '"e1"' })).toBe(caseIdForScan({ ...scan, etag: "e1" }));
    const first = await registerCase({ scan: { ...scan, etag: "e1" } }, deps());
    // The same delivery again: the same case.
    expect((await registerCase({ scan: { ...scan, etag: "e1" } }, deps())).caseId).toBe(first.caseId);
    // A second upload with the same presigned form: another etag, another case id, refused with a named error.
    await scans.put("scans", scan.key, new TextEncoder().encode("another paper"), {});
    const second = caseIdForScan({ ...scan, etag: "e2" });
    await expect(registerCase({ scan: { ...scan, etag: "e2" } }, deps())).rejects.toThrow(
      new RegExp(`case ${second}: another object was uploaded under the key of case ${first.caseId}`),
    );
    await expect(registerCase({ scan: { ...scan, etag: "e2" } }, deps())).rejects.toBeInstanceOf(ScanChangedError);
    expect((await cases.listAll()).map((c) => c.caseId)).toEqual([first.caseId]);
    // MarkFailed (the state machine's Catch) then records it as a FAILED case: nothing is lost.
    await markFailed(
      { scan: { ...scan, etag: "e2" }, error: { Error: "ScanChangedError", Cause: "upload used twice" } },
      { cases, clock: fixedClock(), logger: silentLogger },
    );
    expect((await cases.get(second))?.status).toBe("FAILED");
  });

  it("keeps the arrival date, the mail room's earlier date and who set it", async () => {
    await scans.put("scans", scan.key, BYTES, { "received-date": "2025-03-17", "received-date-by": "post" });
    const { caseId } = await registerCase({ scan }, deps());
    const record = await cases.get(caseId);
    expect(record).toMatchObject({
      receivedDate: "2025-03-17",
      arrivalDate: "2025-03-18",
      claimedReceivedDate: { date: "2025-03-17", by: "post" },
    });
    expect(record?.history[0]?.what).toBe(
      "registered from scan (receipt date 2025-03-17, set by post; arrival 2025-03-18)",
    );
  });

  it("ignores a metadata date outside the window: the arrival date stands", async () => {
    await scans.put("scans", scan.key, BYTES, { "received-date": "2023-06-01", "received-date-by": "post" });
    const { caseId } = await registerCase({ scan }, deps());
    const record = await cases.get(caseId);
    expect(record?.receivedDate).toBe("2025-03-18");
    expect(record?.claimedReceivedDate).toBeUndefined();
    expect(record?.history[0]?.what).toContain("received-date 2023-06-01 ignored: TOO_OLD");
  });

  it("treats another version of the same key as another case", async () => {
    expect(caseIdForScan({ ...scan, versionId: "v1" })).not.toBe(caseIdForScan({ ...scan, versionId: "v2" }));
    expect(caseIdForScan({ ...scan, versionId: "v1" })).toBe(caseIdForScan({ ...scan, versionId: "v1" }));
  });

  it("survives losing the create race to a parallel execution", async () => {
    const winner = await registerCase({ scan }, deps());
    const stored = (await cases.get(winner.caseId)) as CaseRecord;
    await cases.put({ ...stored, version: 2, status: "READ" });
    // A store whose first get misses the item, as if the other execution created it in between.
    let misses = 1;
    const racing = Object.create(cases) as MemoryCaseStore;
    racing.get = async (id: string) => (misses-- > 0 ? null : cases.get(id));
    const result = await registerCase({ scan }, { ...deps(), cases: racing });
    expect(result).toEqual({ caseId: winner.caseId, route: "DONE", status: "READ" });
  });

  it("fails with ScanNotFoundError when the object is gone, creating nothing", async () => {
    await expect(registerCase({ scan: { ...scan, key: "incoming/missing.png" } }, deps())).rejects.toBeInstanceOf(
      ScanNotFoundError,
    );
    expect(await cases.listAll()).toEqual([]);
  });
});

describe("receiptDates: the window", () => {
  const at = new Date("2025-03-18T10:00:00Z");
  it("takes a date up to 14 days back, refuses the 15th day back and the future", () => {
    expect(receiptDates({ "received-date": "2025-03-04" }, at)).toMatchObject({ receivedDate: "2025-03-04" });
    expect(receiptDates({ "received-date": "2025-03-03" }, at)).toMatchObject({
      receivedDate: "2025-03-18",
      ignored: "received-date 2025-03-03 ignored: TOO_OLD",
    });
    expect(receiptDates({ "received-date": "2025-03-19" }, at)).toMatchObject({
      receivedDate: "2025-03-18",
      ignored: "received-date 2025-03-19 ignored: IN_THE_FUTURE",
    });
    expect(receiptDates({ "received-date": "1900-01-01" }, at).receivedDate).toBe("2025-03-18");
  });
});

describe("scanFileName", () => {
  it("prefers the uploader's name and strips control characters", () => {
    expect(scanFileName("incoming/2025-03-18/ab12/scan.png", {})).toBe("scan.png");
    expect(scanFileName("incoming/x", { "file-name": "a\nforged\u001b[31m.png" })).toBe("aforged[31m.png");
  });
});

describe("receiptDate", () => {
  it("uses valid received-date metadata", () => {
    expect(receiptDate({ "received-date": "2025-03-14" }, new Date("2025-03-18T10:00:00Z"))).toBe("2025-03-14");
  });
  it("ignores an impossible or malformed date and takes the arrival day in Stockholm", () => {
    expect(receiptDate({ "received-date": "2025-02-30" }, new Date("2025-03-18T10:00:00Z"))).toBe("2025-03-18");
    expect(receiptDate({ "received-date": "18/3 2025" }, new Date("2025-03-18T10:00:00Z"))).toBe("2025-03-18");
  });
  it("uses the Swedish calendar day, not UTC's (late evening UTC is already tomorrow in Stockholm)", () => {
    expect(receiptDate({}, new Date("2025-03-16T23:30:00Z"))).toBe("2025-03-17"); // CET, UTC+1
    expect(receiptDate({}, new Date("2025-06-30T22:30:00Z"))).toBe("2025-07-01"); // CEST, UTC+2
    expect(receiptDate({}, new Date("2025-06-30T21:30:00Z"))).toBe("2025-06-30");
  });
});
