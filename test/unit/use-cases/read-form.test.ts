import { beforeEach, describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import {
  OcrThrottledError,
  StaffDirectoryUnavailableError,
  UnreadableScanError,
} from "../../../shared/domain/errors.ts";
import type { ExtractedForm } from "../../../shared/domain/forms.ts";
import type { StaffEntry } from "../../../shared/domain/staff.ts";
import type { ReadDeps, ReadInput, ReadResult } from "../../../shared/extraction/reader.ts";
import type { Ocr } from "../../../shared/ports/ocr.ts";
import type { StaffDirectory } from "../../../shared/ports/staff-directory.ts";
import { readFormForCase } from "../../../shared/use-cases/read-form.ts";
import { caseRecord, TEST_PNR } from "../../fixtures/pipeline-cases.ts";
import { fixedClock, MemoryScanStore, silentLogger } from "./fakes.ts";

const ocr: Ocr = {
  name: "fake-ocr",
  recognize: async () => ({ width: 1, height: 1, words: [], lines: [] }),
  close: async () => {},
};

const form: ExtractedForm = {
  formCode: "1177-EGEN",
  formVersion: "v1",
  action: "LOCK",
  fields: {
    "action.lock": { value: true, confidence: 0.99 },
    "citizen.personnummer": { value: TEST_PNR.adultA, confidence: 0.91 },
  },
  warnings: [],
};

function result(f: ExtractedForm): ReadResult {
  return {
    form: f,
    pageCount: 1,
    formPage: 0,
    registration: null,
    timings: { decodeMs: 1, locateMs: 1, fieldsMs: 1, totalMs: 3 },
  };
}

describe("readFormForCase", () => {
  let cases: MemoryCaseStore;
  let scans: MemoryScanStore;
  let calls: ReadInput[];
  const record = caseRecord();

  beforeEach(async () => {
    cases = new MemoryCaseStore();
    scans = new MemoryScanStore();
    calls = [];
    await cases.create(record);
    await scans.put("scans", record.scan?.key ?? "", new Uint8Array([1, 2, 3]));
  });

  const deps = (read: (input: ReadInput) => Promise<ReadResult>) => ({
    cases,
    scans,
    ocr,
    clock: fixedClock(),
    logger: silentLogger,
    read: async (input: ReadInput, d: { ocr: Ocr }) => {
      expect(d.ocr).toBe(ocr);
      calls.push(input);
      return read(input);
    },
  });

  it("stores form code, action and fields with their confidence; status READ", async () => {
    const out = await readFormForCase(
      { caseId: record.caseId },
      deps(async () => result(form)),
    );
    expect(out).toEqual({ caseId: record.caseId, status: "READ" });
    expect(calls[0]?.fileName).toBe(record.scan?.fileName);
    expect([...(calls[0]?.bytes ?? [])]).toEqual([1, 2, 3]);
    const stored = await cases.get(record.caseId);
    expect(stored).toMatchObject({
      status: "READ",
      version: 2,
      formCode: "1177-EGEN",
      action: "LOCK",
      fields: form.fields,
    });
    expect(stored?.history.at(-1)).toMatchObject({ by: "ReadForm" });
    expect(stored?.history.at(-1)?.what).toContain("RECEIVED → READ");
    // History never carries field values.
    expect(JSON.stringify(stored?.history)).not.toContain(TEST_PNR.adultA);
  });

  it("parks an unreadable scan IN_REVIEW with a clear reason instead of failing it", async () => {
    const out = await readFormForCase(
      { caseId: record.caseId },
      deps(async () => {
        throw new UnreadableScanError("file is not an image or PDF");
      }),
    );
    expect(out).toEqual({ caseId: record.caseId, route: "REVIEW", status: "IN_REVIEW" });
    const stored = await cases.get(record.caseId);
    expect(stored?.status).toBe("IN_REVIEW");
    expect(stored?.reviewReason).toContain("file is not an image or PDF");
    // A retried ReadForm on the parked case does not read again.
    expect(
      await readFormForCase(
        { caseId: record.caseId },
        deps(async () => result(form)),
      ),
    ).toEqual(out);
    expect(calls).toHaveLength(1);
  });

  it("lets a transient OCR error through for the state machine's Retry and leaves the case as it was", async () => {
    await expect(
      readFormForCase(
        { caseId: record.caseId },
        deps(async () => {
          throw new OcrThrottledError("slow down");
        }),
      ),
    ).rejects.toBeInstanceOf(OcrThrottledError);
    expect(await cases.get(record.caseId)).toEqual(record);
  });

  it("does not read a case twice (retried task after a successful write)", async () => {
    await readFormForCase(
      { caseId: record.caseId },
      deps(async () => result(form)),
    );
    const again = await readFormForCase(
      { caseId: record.caseId },
      deps(async () => result(form)),
    );
    expect(again).toEqual({ caseId: record.caseId, status: "READ" });
    expect(calls).toHaveLength(1);
    expect((await cases.get(record.caseId))?.version).toBe(2);
  });

  it("records a non-form as read with no form code (validation then says UNRECOGNIZED_DOCUMENT)", async () => {
    const notAForm: ExtractedForm = {
      formCode: null,
      formVersion: null,
      action: null,
      fields: {},
      warnings: ["no QR"],
    };
    await readFormForCase(
      { caseId: record.caseId },
      deps(async () => ({ ...result(notAForm), formPage: null })),
    );
    const stored = await cases.get(record.caseId);
    expect(stored).toMatchObject({ status: "READ", formCode: null, fields: {} });
    expect(stored?.history.at(-1)?.what).toContain("no form page");
  });

  it("reads with the staff directory, and reads on when it is down (ValidateCase checks and parks)", async () => {
    const member = { vgrId: "evali12", name: "Eva Lind" } as StaffEntry;
    let fails = false;
    const staff: StaffDirectory = {
      findByVgrId: async (id) => {
        if (fails) throw new StaffDirectoryUnavailableError("down");
        return id === "evali12" ? member : null;
      },
      entries: async () => {
        if (fails) throw new StaffDirectoryUnavailableError("down");
        return [member];
      },
    };
    const seen: Array<{ found: StaffEntry | null; entries: readonly StaffEntry[] }> = [];
    const run = async () => {
      const c = caseRecord({ caseId: `staff-${seen.length}` });
      await cases.create(c);
      await scans.put("scans", c.scan?.key ?? "", new Uint8Array([1]));
      await readFormForCase(
        { caseId: c.caseId },
        {
          ...deps(async () => result(form)),
          staff,
          read: async (_input: ReadInput, d: ReadDeps) => {
            seen.push({
              found: (await d.staff?.findByVgrId("evali12")) ?? null,
              entries: (await d.staff?.entries?.()) ?? [],
            });
            return result(form);
          },
        },
      );
    };
    await run();
    fails = true;
    await run();
    expect(seen).toEqual([
      { found: member, entries: [member] },
      { found: null, entries: [] },
    ]);
  });
});
