// Eval over batch files: the field samples' ground truth (../shared/forms/field, beside the clone as in CI) as one
// item per document, reader documents matched by form page, extra documents counted, accuracy per effect.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type FileTruth, loadTruths, matchDocuments, summariseByEffect } from "../../../cli/eval-batches.ts";
import type { DocumentReading, FileReading } from "../../../cli/reading.ts";
import type { ExtractedForm } from "../../../shared/domain/forms.ts";
import type { ReadResult } from "../../../shared/extraction/reader.ts";
import type { ValidateOutput } from "../../../shared/use-cases/validate-form.ts";

const fieldScans = fileURLToPath(new URL("../../../../shared/forms/field/scans/", import.meta.url));

function doc(formPage: number | null, pages: number[], decision: ValidateOutput["decision"]): DocumentReading {
  const form: ExtractedForm = { formCode: null, formVersion: null, action: null, fields: {}, warnings: [] };
  const read: ReadResult = {
    form,
    pageCount: 7,
    formPage,
    registration: null,
    timings: { decodeMs: 0, locateMs: 0, fieldsMs: 0, totalMs: 0 },
  };
  return {
    pages,
    formPage,
    read,
    validation: {
      decision,
      reasons: [],
      subjectPersonnummer: null,
      registry: null,
      caregiverListVersion: "test",
      effectiveFields: {},
      subject: null,
      staff: null,
      staffAddresses: {},
      doubtfulFields: [],
    },
  };
}

function fileReading(documents: DocumentReading[]): FileReading {
  return { file: "x", pageCount: 7, documents, seconds: 1 };
}

describe("loadTruths", () => {
  it("reads single-form and batch ground truth as documents, with the manifest's effects per document", async () => {
    const { files, skipped } = await loadTruths(fieldScans);
    expect(skipped).toEqual([]);
    expect(files).toHaveLength(14);
    expect(files.reduce((n, f) => n + f.documents.length, 0)).toBe(19);
    const stack = files.find((f) => f.file === "fieldsample-10.tif") as FileTruth;
    expect(stack.batch).toBe(true);
    expect(stack.documents.map((d) => [d.formPage, d.pages, d.expected.decision])).toEqual([
      [1, [1, 2], "RETURN"],
      [3, [3], "REVIEW"],
      [4, [4, 5], "EXECUTE"],
      [6, [6, 7], "EXECUTE"],
    ]);
    expect(stack.documents[1]?.effects).toEqual(["stamp", "punch"]);
    const fax = files.find((f) => f.file === "fieldsample-01.tif") as FileTruth;
    expect(fax.batch).toBe(false);
    expect(fax.documents[0]?.effects).toEqual(["fax"]);
  });
});

describe("matchDocuments", () => {
  it("matches by form page; a missed document has no reading, an unmatched reader document is extra", async () => {
    const { files } = await loadTruths(fieldScans);
    const stack = files.find((f) => f.file === "fieldsample-10.tif") as FileTruth;
    // The reader missed the form on page 4 (so pages 3–5 are one document) and split page 7 off as a form.
    const read = fileReading([
      doc(0, [0, 1], "RETURN"),
      doc(2, [2, 3, 4], "REVIEW"),
      doc(5, [5], "EXECUTE"),
      doc(6, [6], "REVIEW"),
    ]);
    const { items, extra } = matchDocuments(stack, read);
    expect(items.map((i) => i.reading?.validation.decision ?? null)).toEqual(["RETURN", "REVIEW", null, "EXECUTE"]);
    expect(extra).toBe(1);
    const byEffect = summariseByEffect(items);
    // Document 3 (punch, notes) was not found: a wrong decision for each of its effects.
    expect(byEffect.punch).toEqual({ items: 2, decisionAccuracy: 0.5, wrongExecute: 0 });
    expect(byEffect.stamp).toEqual({ items: 2, decisionAccuracy: 1, wrongExecute: 0 });
  });

  it("matches a file without a form by the reader's document without one; a failed file loses every document", async () => {
    const { files } = await loadTruths(fieldScans);
    const letter = files.find((f) => f.file === "fieldsample-08.pdf") as FileTruth;
    expect(matchDocuments(letter, fileReading([doc(null, [0], "REVIEW")])).items[0]?.reading).not.toBeNull();
    const stack = files.find((f) => f.file === "fieldsample-13.pdf") as FileTruth;
    const failed = matchDocuments(stack, null);
    expect(failed.items.map((i) => i.reading)).toEqual([null, null, null]);
    expect(failed.extra).toBe(0);
  });

  it("counts an EXECUTE where the truth says otherwise as a wrong EXECUTE of that document's effects", async () => {
    const { files } = await loadTruths(fieldScans);
    const stack = files.find((f) => f.file === "fieldsample-13.pdf") as FileTruth;
    const read = fileReading([doc(1, [0, 1, 2], "EXECUTE"), doc(3, [3], "RETURN"), doc(4, [4, 5], "RETURN")]);
    const byEffect = summariseByEffect(matchDocuments(stack, read).items);
    expect(byEffect.notes).toEqual({ items: 1, decisionAccuracy: 0, wrongExecute: 1 });
    expect(byEffect["(none)"]).toEqual({ items: 1, decisionAccuracy: 1, wrongExecute: 0 });
  });
});
