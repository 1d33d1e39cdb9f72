import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import { ScanNotFoundError } from "../../../shared/domain/errors.ts";
import { caseIdForScan, receiptDate, registerCase } from "../../../shared/use-cases/register-case.ts";
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
