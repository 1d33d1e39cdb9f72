import { createHash } from "node:crypto";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import { type CaseRecord, documentCaseId } from "../../../shared/domain/case.ts";
import { ArchiveVerificationError } from "../../../shared/domain/errors.ts";
import { archiveScan } from "../../../shared/use-cases/archive-scan.ts";
import { ADULT_PROTECTED } from "../../fixtures/routine/people.ts";
import { type CaseOptions, fixedClock, fullPnrs, MemoryScanStore, makeCase, pdfText } from "./support.ts";

const SCAN = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6, 7, 8]);
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function setup(o: CaseOptions = {}, withSha = true) {
  const cases = new MemoryCaseStore();
  const base = makeCase({ status: "EXECUTED", ...o });
  const record = {
    ...base,
    scan: {
      ...base.scan,
      bucket: "scans",
      key: "incoming/scan-1.png",
      fileName: "scan 1.png",
      ...(withSha ? { sha256: sha(SCAN) } : {}),
    },
  };
  await cases.create(record);
  const scans = new MemoryScanStore();
  await scans.put("scans", "incoming/scan-1.png", SCAN, {}, "image/png");
  const deps = { cases, scans, clock: fixedClock(), config: { archiveBucket: "archive", retentionDays: 3650 } };
  return { cases, scans, deps };
}

describe("archiveScan", () => {
  it("copies the scan and a one-page summary to archive/<yyyy>/<caseId>/, verifies, then deletes the original", async () => {
    const { deps, scans, cases } = await setup();
    const out = await archiveScan({ caseId: "C-2025-0001" }, deps);
    expect(out).toEqual({ caseId: "C-2025-0001", route: "DONE", status: "EXECUTED" });
    const copy = await scans.get("archive", "archive/2025/C-2025-0001/scan-scan_1.png");
    expect(sha(copy.bytes)).toBe(sha(SCAN));
    expect(copy.metadata).toMatchObject({
      "case-id": "C-2025-0001",
      "retention-days": "3650",
      "retain-until": "2035-03-18",
      sha256: sha(SCAN),
    });
    expect(copy.contentType).toBe("image/png");
    expect(scans.deleted).toEqual(["scans/incoming/scan-1.png"]);
    const summary = await scans.get("archive", "archive/2025/C-2025-0001/summary.pdf");
    const doc = await PDFDocument.load(summary.bytes);
    expect(doc.getPageCount()).toBe(1);
    const stored = await cases.get("C-2025-0001");
    expect(stored?.archive).toEqual({
      bucket: "archive",
      scanKey: "archive/2025/C-2025-0001/scan-scan_1.png",
      summaryKey: "archive/2025/C-2025-0001/summary.pdf",
      at: "2025-03-20T09:30:00.000Z",
    });
  });

  it("keeps the original when the archive copy does not verify", async () => {
    const { deps, scans, cases } = await setup();
    scans.corruptNextPut = "archive/2025/C-2025-0001/scan-scan_1.png";
    await expect(archiveScan({ caseId: "C-2025-0001" }, deps)).rejects.toBeInstanceOf(ArchiveVerificationError);
    expect(scans.deleted).toEqual([]);
    expect(scans.objects.has("scans/incoming/scan-1.png")).toBe(true);
    expect((await cases.get("C-2025-0001"))?.archive).toBeUndefined();
    // The retry succeeds once the store behaves.
    await archiveScan({ caseId: "C-2025-0001" }, deps);
    expect(scans.deleted).toEqual(["scans/incoming/scan-1.png"]);
  });

  it("refuses to archive when the incoming object is not the registered scan", async () => {
    const { deps, scans } = await setup();
    await scans.put("scans", "incoming/scan-1.png", new Uint8Array([9, 9, 9]));
    await expect(archiveScan({ caseId: "C-2025-0001" }, deps)).rejects.toBeInstanceOf(ArchiveVerificationError);
    expect(scans.deleted).toEqual([]);
  });

  it("is idempotent: a retry after success does nothing", async () => {
    const { deps, scans } = await setup();
    await archiveScan({ caseId: "C-2025-0001" }, deps);
    const puts = scans.objects.size;
    const again = await archiveScan({ caseId: "C-2025-0001" }, deps);
    expect(again.route).toBe("DONE");
    expect(scans.objects.size).toBe(puts);
    expect(scans.deleted).toHaveLength(1);
  });

  it("a retry after the original was deleted but before the case was updated completes from the archive copy", async () => {
    const { deps, scans, cases } = await setup();
    const failingPut = cases.put.bind(cases);
    let fail = true;
    cases.put = async (r) => {
      if (fail) {
        fail = false;
        throw new Error("DynamoDB timeout");
      }
      return failingPut(r);
    };
    await expect(archiveScan({ caseId: "C-2025-0001" }, deps)).rejects.toThrow("DynamoDB timeout");
    expect(scans.objects.has("scans/incoming/scan-1.png")).toBe(false);
    await archiveScan({ caseId: "C-2025-0001" }, deps);
    expect((await cases.get("C-2025-0001"))?.archive?.scanKey).toBe("archive/2025/C-2025-0001/scan-scan_1.png");
  });

  it("fails loudly when neither the original nor an archive copy exists", async () => {
    const { deps, scans } = await setup();
    await scans.delete("scans", "incoming/scan-1.png");
    await expect(archiveScan({ caseId: "C-2025-0001" }, deps)).rejects.toBeInstanceOf(ArchiveVerificationError);
  });

  it("the summary of a protected person's case holds no personnummer, not even masked", async () => {
    const { deps, scans } = await setup({
      protectedIdentity: true,
      fields: { "citizen.personnummer": ADULT_PROTECTED.pnr },
    });
    await archiveScan({ caseId: "C-2025-0001" }, deps);
    const summary = await scans.get("archive", "archive/2025/C-2025-0001/summary.pdf");
    const text = pdfText(summary.bytes);
    expect(text).toContain("Personnummer: skyddad identitet – visas inte");
    expect(text).not.toContain(ADULT_PROTECTED.pnr.slice(0, 8));
    expect(text).toContain("Ärendesammanfattning – C-2025-0001");
  });

  it("the summary shows the masked personnummer of an ordinary case", async () => {
    const { deps, scans } = await setup();
    await archiveScan({ caseId: "C-2025-0001" }, deps);
    const text = pdfText((await scans.get("archive", "archive/2025/C-2025-0001/summary.pdf")).bytes);
    expect(text).toContain("Personnummer: 19640831-****");
    expect(fullPnrs(text)).toEqual([]);
    expect(text).toContain("Beslut: Utförs");
    expect(text).toContain("Registrering: Status: Mottagen");
  });

  it("does not delete a scan that is not in incoming/", async () => {
    const { deps, scans, cases } = await setup();
    const r = await cases.get("C-2025-0001");
    if (!r?.scan) throw new Error("missing");
    await cases.put({ ...r, version: r.version + 1, scan: { ...r.scan, key: "kept/scan-1.png" } });
    await scans.put("scans", "kept/scan-1.png", SCAN);
    await archiveScan({ caseId: "C-2025-0001" }, deps);
    expect(scans.deleted).toEqual([]);
  });
});

describe("archiveScan of a batch file's documents", () => {
  it("copies the file once under the file's case, each case points into it; the original goes with the last", async () => {
    const { deps, scans, cases } = await setup();
    const file = (await cases.get("C-2025-0001")) as CaseRecord;
    const ref = (index: number) => ({ index, count: 3, pages: [index], formPage: index, fileCaseId: file.caseId });
    await cases.put({ ...file, version: file.version + 1, document: ref(0) });
    for (const k of [1, 2]) await cases.create({ ...file, caseId: documentCaseId(file.caseId, k), document: ref(k) });
    const fileKey = "archive/2025/C-2025-0001/scan-scan_1.png";
    const written: string[] = [];
    const put = scans.put.bind(scans);
    scans.put = async (bucket, key, ...rest) => {
      written.push(`${bucket}/${key}`);
      return put(bucket, key, ...rest);
    };
    const puts = () => written.filter((k) => k.endsWith("scan-scan_1.png"));

    await archiveScan({ caseId: documentCaseId(file.caseId, 2) }, deps);
    expect(puts()).toEqual([`archive/${fileKey}`]);
    expect(scans.deleted).toEqual([]); // the other documents still read and show the file
    await archiveScan({ caseId: file.caseId }, deps);
    expect(scans.deleted).toEqual([]);
    await archiveScan({ caseId: documentCaseId(file.caseId, 1) }, deps);
    expect(scans.deleted).toEqual(["scans/incoming/scan-1.png"]);
    expect(puts()).toEqual([`archive/${fileKey}`]); // copied once for the file
    for (const k of [0, 1, 2]) {
      const stored = await cases.get(documentCaseId(file.caseId, k));
      expect(stored?.archive?.scanKey).toBe(fileKey);
      expect(stored?.archive?.summaryKey).toBe(`archive/2025/${documentCaseId(file.caseId, k)}/summary.pdf`);
    }
  });

  it("the last two documents archived at the same moment still remove the original (each checks after its own record)", async () => {
    const { deps, scans, cases } = await setup();
    const file = (await cases.get("C-2025-0001")) as CaseRecord;
    const ref = (index: number) => ({ index, count: 2, pages: [index], formPage: index, fileCaseId: file.caseId });
    await cases.put({ ...file, version: file.version + 1, document: ref(0) });
    await cases.create({ ...file, caseId: documentCaseId(file.caseId, 1), document: ref(1) });
    // Both run side by side: each looks at its sibling before either has written its archive record.
    await Promise.all([
      archiveScan({ caseId: file.caseId }, deps),
      archiveScan({ caseId: documentCaseId(file.caseId, 1) }, deps),
    ]);
    expect(await scans.exists("scans", "incoming/scan-1.png")).toBe(false);
    const notes = (await Promise.all([0, 1].map((k) => cases.get(documentCaseId(file.caseId, k))))).flatMap(
      (c) => c?.history.map((h) => h.what) ?? [],
    );
    expect(notes.filter((w) => w.includes("original removed from incoming/")).length).toBeGreaterThanOrEqual(1);
    // A retry of an archived document finishes a removal a crash interrupted.
    await scans.put("scans", "incoming/scan-1.png", SCAN, {}, "image/png");
    await archiveScan({ caseId: file.caseId }, deps);
    expect(await scans.exists("scans", "incoming/scan-1.png")).toBe(false);
  });
});
