// A batch file becomes one case per document (contract §9), idempotently; ReadForm reads what eval measures.
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import { type CaseRecord, documentCaseId, paperBytesKey } from "../../../shared/domain/case.ts";
import { PersonRegistryUnavailableError, UnreadableScanError } from "../../../shared/domain/errors.ts";
import type { ExtractedForm } from "../../../shared/domain/forms.ts";
import type { DocumentSpan } from "../../../shared/extraction/batches.ts";
import type { DocumentRead, ReadDeps, ReadInput } from "../../../shared/extraction/reader.ts";
import type { Ocr } from "../../../shared/ports/ocr.ts";
import type { CaregiverList, PersonRegistry } from "../../../shared/ports/person-registry.ts";
import { readFormForCase } from "../../../shared/use-cases/read-form.ts";
import { caseRecord, TEST_PNR } from "../../fixtures/pipeline-cases.ts";
import { fixedClock, MemoryScanStore, silentLogger } from "./fakes.ts";

const ocr: Ocr = {
  name: "fake-ocr",
  recognize: async () => ({ width: 1, height: 1, words: [], lines: [] }),
  close: async () => {},
};

const form = (code: ExtractedForm["formCode"]): ExtractedForm => ({
  formCode: code,
  formVersion: code ? "v1" : null,
  action: code ? "LOCK" : null,
  fields: code ? { "action.lock": { value: true, confidence: 0.99 } } : {},
  warnings: [],
});

/** fieldsample-10's layout: 7 pages, form pages 0, 2, 3, 5 → documents 0–1, 2, 3–4, 5–6. */
const SPANS: [DocumentSpan, DocumentSpan, DocumentSpan, DocumentSpan] = [
  { pages: [0, 1], formPage: 0 },
  { pages: [2], formPage: 2 },
  { pages: [3, 4], formPage: 3 },
  { pages: [5, 6], formPage: 5 },
];

function docRead(span: DocumentSpan): DocumentRead {
  return {
    ...span,
    result: {
      form: form(span.formPage === 2 ? "1177-VG" : "1177-EGEN"),
      pageCount: 7,
      formPage: span.formPage,
      registration: null,
      timings: { decodeMs: 1, locateMs: 1, fieldsMs: 1, totalMs: 3 },
    },
  };
}

describe("ReadForm on a batch file", () => {
  let cases: MemoryCaseStore;
  let scans: MemoryScanStore;
  let started: string[][];
  let reads: Array<{ span: DocumentSpan | undefined; deps: ReadDeps }>;
  const file = caseRecord();

  beforeEach(async () => {
    cases = new MemoryCaseStore();
    scans = new MemoryScanStore();
    started = [];
    reads = [];
    await cases.create(file);
    await scans.put("scans", file.scan?.key ?? "", new Uint8Array([1, 2, 3]));
  });

  const deps = (extra: { registry?: PersonRegistry; caregivers?: CaregiverList } = {}) => ({
    cases,
    scans,
    ocr,
    clock: fixedClock(),
    logger: silentLogger,
    ...extra,
    startDocuments: async (ids: readonly string[]) => {
      started.push([...ids]);
    },
    readDocument: async (_input: ReadInput, d: ReadDeps, span?: DocumentSpan) => {
      reads.push({ span, deps: d });
      return span ? { spans: [span], document: docRead(span) } : { spans: SPANS, document: docRead(SPANS[0]) };
    },
  });

  it("makes one case per document with its pages and form page, and starts the later ones", async () => {
    expect(await readFormForCase({ caseId: file.caseId }, deps())).toEqual({ caseId: file.caseId, status: "READ" });
    const first = await cases.get(file.caseId);
    expect(first?.document).toEqual({ index: 0, count: 4, pages: [0, 1], formPage: 0, fileCaseId: file.caseId });
    const ids = [1, 2, 3].map((k) => documentCaseId(file.caseId, k));
    expect(started).toEqual([ids]);
    for (const [k, id] of ids.entries()) {
      const doc = (await cases.get(id)) as CaseRecord;
      expect(doc.status).toBe("RECEIVED");
      expect(doc.scan).toEqual(file.scan); // every case points at the one file
      expect(doc.receivedDate).toBe(file.receivedDate);
      expect(doc.document).toEqual({ index: k + 1, count: 4, ...SPANS[k + 1], fileCaseId: file.caseId });
    }
    // A later document's case reads only its own document (its span), not the file's first.
    expect(await readFormForCase({ caseId: ids[1] as string }, deps())).toMatchObject({ status: "READ" });
    expect(reads.at(-1)?.span).toEqual(SPANS[2]);
    const third = await cases.get(ids[1] as string);
    expect(third?.formCode).toBe("1177-EGEN");
    expect(third?.history.at(-1)?.what).toContain("document 3 of 4 (pages 4–5)");
    expect((await cases.listAll()).length).toBe(4);
  });

  it("a restart or redelivery makes no second set: the same ids, created once", async () => {
    await readFormForCase({ caseId: file.caseId }, deps());
    const after = await cases.listAll();
    // The first execution died after registering the documents but before its case moved on: read again.
    // (the file's case as it was then: RECEIVED, no document reference yet; its later documents registered).
    const first = (await cases.get(file.caseId)) as CaseRecord;
    const { document: _notYet, ...before } = first;
    await cases.put({ ...before, status: "RECEIVED", version: first.version + 1 });
    await readFormForCase({ caseId: file.caseId }, deps());
    const again = await cases.listAll();
    expect(again.map((c) => c.caseId).sort()).toEqual(after.map((c) => c.caseId).sort());
    expect(again).toHaveLength(4);
    expect(started).toHaveLength(2);
    expect(started[1]).toEqual(started[0]);
    // Later documents keep their first registration (version 1, still RECEIVED).
    for (const id of started[0] ?? []) expect((await cases.get(id))?.version).toBe(1);
  });

  it("a first document that cannot be read is parked; the file's other documents are still registered and started", async () => {
    const slow = {
      ...deps(),
      readDocument: async () => ({
        spans: SPANS,
        unreadable: new UnreadableScanError("document 1 (pages 1–2): reading took longer than 120 s"),
      }),
    };
    expect(await readFormForCase({ caseId: file.caseId }, slow)).toEqual({
      caseId: file.caseId,
      route: "REVIEW",
      status: "IN_REVIEW",
    });
    const parked = await cases.get(file.caseId);
    expect(parked?.reviewReason).toContain("took longer than 120 s");
    expect(parked?.document).toMatchObject({ index: 0, count: 4, pages: [0, 1] });
    expect(started).toEqual([[1, 2, 3].map((k) => documentCaseId(file.caseId, k))]);
    expect(await cases.listAll()).toHaveLength(4);
  });

  it("a single-document file keeps no document reference and starts nothing", async () => {
    const one = { ...deps(), readDocument: async () => ({ spans: [SPANS[1]], document: docRead(SPANS[1]) }) };
    await readFormForCase({ caseId: file.caseId }, one);
    expect((await cases.get(file.caseId))?.document).toBeUndefined();
    expect(started).toEqual([]);
  });

  it("refuses a batch without a starter rather than leave documents unread", async () => {
    const { startDocuments: _unused, ...noStarter } = deps();
    await expect(readFormForCase({ caseId: file.caseId }, noStarter)).rejects.toThrow(/4 documents/);
    expect((await cases.get(file.caseId))?.status).toBe("RECEIVED");
  });

  it("gives the reader the caregiver list and the registry's names, as lockdesk eval does", async () => {
    const registry: PersonRegistry = {
      findByPersonnummer: async (pnr) =>
        pnr === TEST_PNR.adultA ? { personnummer: pnr, givenNames: ["Tolvan"], surname: "Tolvansson" } : null,
    } as PersonRegistry;
    const caregivers: CaregiverList = {
      current: async () => ({ version: "v1", names: ["Vårdcentralen Test"] }),
    } as CaregiverList;
    await readFormForCase({ caseId: file.caseId }, deps({ registry, caregivers }));
    const given = reads[0]?.deps;
    expect(given?.ocr).toBe(ocr);
    expect(given?.approvedCaregivers).toEqual(["Vårdcentralen Test"]);
    expect(await given?.nameOf?.(TEST_PNR.adultA)).toEqual({
      personnummer: TEST_PNR.adultA,
      givenNames: ["Tolvan"],
      surname: "Tolvansson",
    });
    expect(await given?.nameOf?.(TEST_PNR.adultB)).toBeNull();
  });

  it("reads without the lists when they are unavailable (ValidateCase checks and parks)", async () => {
    const down = async (): Promise<never> => {
      throw new PersonRegistryUnavailableError("down");
    };
    const registry = { findByPersonnummer: down } as unknown as PersonRegistry;
    const caregivers = { current: down } as unknown as CaregiverList;
    await readFormForCase({ caseId: file.caseId }, deps({ registry, caregivers }));
    expect(reads[0]?.deps.approvedCaregivers).toBeUndefined();
    expect(await reads[0]?.deps.nameOf?.(TEST_PNR.adultA)).toBeNull();
    expect((await cases.get(file.caseId))?.status).toBe("READ");
  });
});

describe("paperBytesKey", () => {
  it("tells sibling documents of one file apart; a single-document file keeps the plain sha256", () => {
    const scan = { bucket: "b", key: "incoming/x.pdf", sha256: "ab", fileName: "x.pdf" };
    const ref = (index: number) => ({ index, count: 3, pages: [index], formPage: index, fileCaseId: "C-X" });
    expect(paperBytesKey({ scan })).toBe("ab");
    expect(paperBytesKey({ scan, document: ref(0) })).toBe("ab#0");
    expect(paperBytesKey({ scan, document: ref(1) })).not.toBe(paperBytesKey({ scan, document: ref(2) }));
  });
});
