// Shared by `read` and `eval`: read one scan and decide, with a time limit, turning every failure into one line.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CsvCaregiverList } from "../shared/adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../shared/adapters/local/csv-person-registry.ts";
import { CsvStaffDirectory } from "../shared/adapters/local/csv-staff-directory.ts";
import { LocalOcr } from "../shared/adapters/local/local-ocr.ts";
import { UnreadableScanError } from "../shared/domain/errors.ts";
import { type AddressFate, addressFate, addressFieldsOf } from "../shared/domain/mail-safety.ts";
import { type ReadResult, readDocuments } from "../shared/extraction/reader.ts";
import type { Ocr } from "../shared/ports/ocr.ts";
import type { CaregiverList, PersonRegistry } from "../shared/ports/person-registry.ts";
import type { StaffDirectory } from "../shared/ports/staff-directory.ts";
import { type ValidateOutput, validateForm } from "../shared/use-cases/validate-form.ts";

/** Time one file may take (a batch of several documents included); each document also has its own limit. */
export const FILE_TIMEOUT_MS = 300_000;

export interface Reading {
  file: string;
  read: ReadResult;
  validation: ValidateOutput;
  seconds: number;
}

/** One document of a file, read and decided. Pages are 0-based indexes into the file. */
export interface DocumentReading {
  pages: number[];
  formPage: number | null;
  read: ReadResult;
  validation: ValidateOutput;
}

export interface FileReading {
  file: string;
  pageCount: number;
  documents: DocumentReading[];
  seconds: number;
}

export interface ReadingContext {
  ocr: Ocr;
  registry: PersonRegistry;
  caregivers: CaregiverList;
  /** The staff directory (`--staff CSV`); absent: no staff check. */
  staff?: StaffDirectory;
  close(): Promise<void>;
}

/** Reads the CSV files first (a malformed one fails before any OCR worker starts). */
export function openContext(personsCsv: string, caregiversCsv: string, staffCsv?: string): ReadingContext {
  const registry = CsvPersonRegistry.fromFile(personsCsv);
  const caregivers = CsvCaregiverList.fromFile(caregiversCsv);
  const staff = staffCsv ? CsvStaffDirectory.fromFile(staffCsv) : undefined;
  const ocr = new LocalOcr();
  return { ocr, registry, caregivers, ...(staff ? { staff } : {}), close: () => ocr.close() };
}

/** Reads every document of a file and decides each on its own (the file's receipt date for all). */
export async function readAndDecideDocuments(
  ctx: ReadingContext,
  file: string,
  receivedDate: string,
): Promise<FileReading> {
  const t0 = performance.now();
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new UnreadableScanError(e.code === "ENOENT" ? "no such file" : `cannot read file (${e.code ?? e.message})`);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UnreadableScanError(`reading took longer than ${FILE_TIMEOUT_MS / 1000} s`)),
      FILE_TIMEOUT_MS,
    );
  });
  try {
    const approved = await ctx.caregivers.current();
    const docs = await Promise.race([
      readDocuments(
        { bytes, fileName: path.basename(file) },
        {
          ocr: ctx.ocr,
          approvedCaregivers: approved.names,
          nameOf: (pnr) => ctx.registry.findByPersonnummer(pnr),
          ...(ctx.staff ? { staff: ctx.staff } : {}),
        },
      ),
      timeout,
    ]);
    const documents: DocumentReading[] = [];
    for (const d of docs) {
      const validation = await validateForm(
        { form: d.result.form, receivedDate },
        { registry: ctx.registry, caregivers: ctx.caregivers, ...(ctx.staff ? { staff: ctx.staff } : {}) },
      );
      documents.push({ pages: d.pages, formPage: d.formPage, read: d.result, validation });
    }
    return {
      file,
      pageCount: docs[0]?.result.pageCount ?? 0,
      documents,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The first document of a file, read and decided (single-form callers: the handwriting bench). */
export async function readAndDecide(ctx: ReadingContext, file: string, receivedDate: string): Promise<Reading> {
  const r = await readAndDecideDocuments(ctx, file, receivedDate);
  const first = r.documents[0] as DocumentReading;
  return { file, read: first.read, validation: first.validation, seconds: r.seconds };
}

/** One line for a failed file: the file and the reason, no stack, no personal data. */
export function failureLine(file: string, e: unknown): string {
  const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
  return `${file}: error: ${reason}`;
}

export function today(): string {
  return new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Stockholm" });
}

/** Run `fn` over items with at most `n` at once, in input order of completion callbacks. */
export async function mapLimit<T, R>(items: T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(n, items.length)) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}

/**
 * What would happen to every address written on the form: e-mailed, a letter, or nothing. The same rule SendMail
 * applies (domain/mail-safety.ts addressFate), on the reading as validated (no handler corrections here).
 */
export function mailFates(r: Pick<Reading, "read" | "validation">): Array<{ field: string } & AddressFate> {
  const formCode = r.read.form.formCode;
  if (!formCode) return [];
  return addressFieldsOf(formCode).map((field) => {
    const f = r.read.form.fields[field];
    const fate = addressFate({
      value: typeof f?.value === "string" ? f.value : "",
      confidence: f?.confidence ?? 0,
      corrected: false,
      directoryAddress: r.validation.staffAddresses[field],
    });
    return { field, ...fate };
  });
}
