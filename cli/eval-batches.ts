// `lockdesk eval` over files that may hold several documents: the ground truth of single-form files (contract §4)
// and of batch files (`documents`, contract §9) as one list of documents, the reader's documents matched to them
// by form page, and decision accuracy per effect named in the manifest (`effects`).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { DECISIONS } from "../shared/domain/forms.ts";
import type { DocumentReading, FileReading, Reading } from "./reading.ts";

const Fields = z.record(z.string(), z.union([z.string(), z.boolean()]));
const Expected = z.object({ decision: z.enum(DECISIONS), reasons: z.array(z.string()) });
const Variant = z.object({ handwriting: z.boolean().optional() }).passthrough().optional();
const SingleSchema = z.object({
  file: z.string(),
  receivedDate: z.string(),
  formCode: z.string().nullable(),
  action: z.string().nullable(),
  fields: Fields,
  expected: Expected,
  variant: Variant,
});
const BatchSchema = z.object({
  file: z.string(),
  receivedDate: z.string(),
  documents: z
    .array(
      z.object({
        pages: z.array(z.number().int().positive()),
        formPage: z.number().int().positive().nullable(),
        formCode: z.string().nullable(),
        action: z.string().nullable().optional(),
        fields: Fields.optional(),
        expected: Expected,
        variant: Variant,
      }),
    )
    .min(1),
});

/** One ground-truth document: an eval item. */
export interface Truth {
  file: string;
  receivedDate: string;
  formCode: string | null;
  action: string | null;
  fields: Record<string, string | boolean>;
  expected: z.infer<typeof Expected>;
  /** 1-based form page of a batch document; undefined for a single-form file (its reader's first document). */
  formPage?: number | null;
  /** 1-based pages of a batch document. */
  pages?: number[];
  /** Effects the manifest names for this document (`[]`: none). */
  effects: string[];
  /** The ground truth's `variant.handwriting` (typed vs hand-written, for the mail-safety figures). */
  handwriting?: boolean;
}

/** A received file with its ground-truth documents. */
export interface FileTruth {
  file: string;
  receivedDate: string;
  batch: boolean;
  documents: Truth[];
}

export interface EvalItem {
  truth: Truth;
  reading: Reading | null;
}

/** Every ground-truth <id>.json of a folder (manifest.json beside it or one level up gives the effects). */
export async function loadTruths(dir: string): Promise<{ files: FileTruth[]; skipped: string[] }> {
  const effects = await manifestEffects(dir);
  const files: FileTruth[] = [];
  const skipped: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".json") && n !== "manifest.json").sort()) {
    const json: unknown = JSON.parse(await readFile(path.join(dir, name), "utf8"));
    const single = SingleSchema.safeParse(json);
    if (single.success) {
      const { variant, ...t } = single.data;
      const handwriting = variant?.handwriting;
      files.push({
        file: t.file,
        receivedDate: t.receivedDate,
        batch: false,
        documents: [
          { ...t, effects: effects.get(t.file)?.[0] ?? [], ...(handwriting === undefined ? {} : { handwriting }) },
        ],
      });
      continue;
    }
    const batch = BatchSchema.safeParse(json);
    if (!batch.success) {
      skipped.push(name);
      continue;
    }
    const b = batch.data;
    files.push({
      file: b.file,
      receivedDate: b.receivedDate,
      batch: true,
      documents: b.documents.map((d, i) => ({
        file: b.file,
        receivedDate: b.receivedDate,
        formCode: d.formCode,
        action: d.action ?? null,
        fields: d.fields ?? {},
        expected: d.expected,
        formPage: d.formPage,
        pages: d.pages,
        effects: effects.get(b.file)?.[i] ?? [],
        ...(d.variant?.handwriting === undefined ? {} : { handwriting: d.variant.handwriting }),
      })),
    });
  }
  return { files, skipped };
}

const ManifestSchema = z.object({
  items: z.array(
    z.object({
      file: z.string(),
      effects: z.array(z.string()).optional(),
      documents: z.array(z.object({ effects: z.array(z.string()).optional() })).optional(),
    }),
  ),
});

/** File name → effects per document, from the manifest (none when there is no manifest). */
async function manifestEffects(dir: string): Promise<Map<string, string[][]>> {
  const out = new Map<string, string[][]>();
  for (const candidate of [path.join(dir, "manifest.json"), path.join(dir, "..", "manifest.json")]) {
    let text: string;
    try {
      text = await readFile(candidate, "utf8");
    } catch {
      continue;
    }
    const parsed = ManifestSchema.safeParse(JSON.parse(text));
    if (!parsed.success) continue;
    for (const item of parsed.data.items) {
      const perDoc = item.documents ? item.documents.map((d) => d.effects ?? []) : [item.effects ?? []];
      out.set(path.basename(item.file), perDoc);
    }
    break;
  }
  return out;
}

/**
 * The reader's documents against the file's ground truth: a batch document by its form page (a file without a form
 * by the reader's document without one), a single-form file by the reader's first document. A ground-truth document
 * the reader did not make gets no reading (a wrong decision); reader documents left over are `extraDocuments`.
 */
export function matchDocuments(truth: FileTruth, read: FileReading | null): { items: EvalItem[]; extra: number } {
  if (!read) return { items: truth.documents.map((t) => ({ truth: t, reading: null })), extra: 0 };
  const left = new Set(read.documents.map((_, i) => i));
  const take = (i: number): Reading | null => {
    if (i < 0 || !left.has(i)) return null;
    left.delete(i);
    const d = read.documents[i] as DocumentReading;
    return { file: read.file, read: d.read, validation: d.validation, seconds: read.seconds };
  };
  const items = truth.documents.map((t) => {
    if (!truth.batch) return { truth: t, reading: take(0) };
    const want = t.formPage === null || t.formPage === undefined ? null : t.formPage - 1;
    return { truth: t, reading: take(read.documents.findIndex((d) => d.formPage === want)) };
  });
  return { items, extra: left.size };
}

export interface EffectSummary {
  items: number;
  decisionAccuracy: number;
  wrongExecute: number;
}

/** Decision accuracy and wrong EXECUTEs per effect the manifest names (a document counts once for each of its). */
export function summariseByEffect(items: EvalItem[]): Record<string, EffectSummary> {
  const acc = new Map<string, { items: number; correct: number; wrongExecute: number }>();
  for (const { truth, reading } of items) {
    const got = reading?.validation.decision;
    for (const effect of truth.effects.length > 0 ? truth.effects : ["(none)"]) {
      const s = acc.get(effect) ?? { items: 0, correct: 0, wrongExecute: 0 };
      s.items++;
      if (got === truth.expected.decision) s.correct++;
      if (got === "EXECUTE" && truth.expected.decision !== "EXECUTE") s.wrongExecute++;
      acc.set(effect, s);
    }
  }
  return Object.fromEntries(
    [...acc.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, s]) => [
        k,
        {
          items: s.items,
          decisionAccuracy: Math.round((s.correct / s.items) * 10000) / 10000,
          wrongExecute: s.wrongExecute,
        },
      ]),
  );
}

/** "fieldsample-10.tif" or "fieldsample-10.tif #2 (p. 3)" for a batch document. */
export function itemLabel(t: Truth): string {
  if (t.formPage === undefined) return t.file;
  return `${t.file} (form p. ${t.formPage ?? "-"}, pages ${(t.pages ?? []).join(",")})`;
}
