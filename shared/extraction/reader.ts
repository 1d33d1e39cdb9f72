// The form reader: scan bytes → form code, action, fields with confidence. Engine-independent: the OCR port reads
// text; the form, its position and every mark are found from the pixels (QR, printed anchors, ink).

import { UnreadableScanError } from "../domain/errors.ts";
import {
  ACTION_BOXES,
  type Action,
  type ExtractedForm,
  type FieldReading,
  type FormCode,
  REGION_CAREGIVER,
} from "../domain/forms.ts";
import type { Ocr } from "../ports/ocr.ts";
import type { StaffDirectory } from "../ports/staff-directory.ts";
import { type DocumentSpan, describePages, groupDocuments } from "./batches.ts";
import { type DecodeLimits, decodeScan } from "./decode.ts";
import type { Exemplar } from "./digits.ts";
import type { PageImage } from "./document.ts";
import { fieldTextReaderFor } from "./field-text.ts";
import { readField } from "./fields.ts";
import { scaleOf } from "./geometry.ts";
import { warpRegion } from "./raster.ts";
import {
  coarseFromPage,
  coarseFromQr,
  locateQr,
  type PagePrep,
  preparePage,
  type Registration,
  refine,
} from "./register.ts";
import { type NameLookup, readNamesAgainstRegistry } from "./registry-names.ts";
import { applySecondOpinion } from "./second-opinion.ts";
import { readStaffAgainstDirectory } from "./staff-read.ts";
import { loadTemplates, type Template } from "./templates.ts";

export interface ReadInput {
  bytes: Uint8Array;
  fileName: string;
}

export interface ReadDeps {
  ocr: Ocr;
  /** Limits on the file (bytes, pages, pixels, decode time). */
  limits?: Partial<DecodeLimits>;
  /** Time limit on reading each document's fields (default DOCUMENT_TIMEOUT_MS). */
  documentTimeoutMs?: number;
  /** The approved caregivers' names: a doubtful hand-written caregiver is also read against them and the region. */
  approvedCaregivers?: readonly string[];
  /** The registry's names for a personnummer: doubtful subject names are also read against them. */
  nameOf?: NameLookup;
  /** The staff directory: a VGR-ID and name that do not name a member as read are also read against it. */
  staff?: StaffDirectory;
}

export interface ReadResult {
  form: ExtractedForm;
  /** Pages of the whole file. */
  pageCount: number;
  /** Index of the page that holds the form (0 for most scans), or null when no page is a form. */
  formPage: number | null;
  registration: {
    angleDeg: number;
    upsideDown: boolean;
    anchorsUsed: number;
    anchorsTried: number;
    rmsMm: number;
    via: "qr" | "anchors";
  } | null;
  timings: { decodeMs: number; locateMs: number; fieldsMs: number; totalMs: number };
}

/** One document of a received file: its pages, its form page (both 0-based) and what was read. */
export interface DocumentRead {
  pages: number[];
  formPage: number | null;
  result: ReadResult;
}

/** Time one document's fields may take to read (a batch file gets this per document). */
export const DOCUMENT_TIMEOUT_MS = 120_000;

/** A personnummer read with less confidence than this is read again with the form's own digits as examples. */
const SECOND_PASS_BELOW = 0.5;

/**
 * Reads every document of a file (a batch from an envelope stack holds several): each page is looked at for a form;
 * every form page starts a document (see batches.ts). Decode limits (bytes, pages, pixels, time) apply to the file;
 * `documentTimeoutMs` to each document's reading.
 */
export async function readDocuments(input: ReadInput, deps: ReadDeps): Promise<DocumentRead[]> {
  return readFile(input, deps, Number.POSITIVE_INFINITY);
}

/** The first document of the file (a single-form file's only one). */
export async function readScan(input: ReadInput, deps: ReadDeps): Promise<ReadResult> {
  const [first] = await readFile(input, deps, 1);
  return (first as DocumentRead).result;
}

export interface Located {
  reg: Registration;
  via: "qr" | "anchors";
}

/**
 * The documents of a file without reading their fields: which pages make up which document and the form on its form
 * page. Cheap (no field OCR): a later step can make one case per document and read each on its own.
 */
export async function locateDocuments(
  input: ReadInput,
  deps: ReadDeps,
): Promise<Array<DocumentSpan & { formCode: FormCode | null }>> {
  const pages = await decodeScan(input.bytes, input.fileName, deps.limits);
  const { located } = await locatePages(pages, deps.ocr, Number.POSITIVE_INFINITY);
  return groupDocuments(located.map((l) => l !== null)).map((span) => ({
    ...span,
    formCode: span.formPage === null ? null : (located[span.formPage]?.reg.template.formCode ?? null),
  }));
}

/** readOneDocument's answer: the file's documents and the one read, or why it could not be read. */
export type OneDocument =
  | { spans: DocumentSpan[]; document: DocumentRead; unreadable?: undefined }
  | { spans: DocumentSpan[]; document?: undefined; unreadable: UnreadableScanError };

/**
 * One document of a file, located and read: `formPage` null → the file's first document (every page is looked at,
 * and the file's documents come back as `spans` so a caller can make a case of each); a number → only that form
 * page is located and read (a later document of a batch whose span is known already; `spans` is then just it).
 */
export async function readOneDocument(input: ReadInput, deps: ReadDeps, span?: DocumentSpan): Promise<OneDocument> {
  if (!span) {
    // The file's documents are known before the first one's fields are read: a first document that cannot be read
    // (its time limit) must not hide the others, so its failure comes back beside the spans.
    const { spans, reads, unreadable } = await readFileDocuments(input, deps, Number.POSITIVE_INFINITY, 0);
    return unreadable ? { spans, unreadable } : { spans, document: reads[0] as DocumentRead };
  }
  const t0 = performance.now();
  const pages = await decodeScan(input.bytes, input.fileName, deps.limits);
  const decodeMs = performance.now() - t0;
  const page = span.formPage === null ? undefined : pages[span.formPage];
  const s = performance.now();
  const found = page ? await locateForm(page, await loadTemplates(), deps.ocr) : null;
  const locateMs: number[] = [];
  if (span.formPage !== null) locateMs[span.formPage] = performance.now() - s;
  const read = await readSpan(
    pages,
    span,
    found,
    { decodeMs, locateMs, label: `pages ${describePages(span.pages)}: ` },
    deps,
  );
  return { spans: [span], document: read };
}

/** Each page looked at for a form, in order; after `maxForms` forms the rest are not looked at (null). */
async function locatePages(
  pages: PageImage[],
  ocr: Ocr,
  maxForms: number,
): Promise<{ located: Array<Located | null>; locateMs: number[] }> {
  const templates = await loadTemplates();
  const located: Array<Located | null> = [];
  const locateMs: number[] = [];
  for (const [i, page] of pages.entries()) {
    if (located.filter((l) => l !== null).length >= maxForms) break;
    const s = performance.now();
    located.push(await locateForm(page, templates, ocr));
    locateMs[i] = performance.now() - s;
  }
  while (located.length < pages.length) located.push(null);
  return { located, locateMs };
}

async function readFile(input: ReadInput, deps: ReadDeps, maxDocuments: number): Promise<DocumentRead[]> {
  return (await readFileDocuments(input, deps, maxDocuments)).reads;
}

/** The file's documents (`spans`) and the reading of each (or only of the document at index `only`). */
async function readFileDocuments(
  input: ReadInput,
  deps: ReadDeps,
  maxDocuments: number,
  only?: number,
): Promise<{ spans: DocumentSpan[]; reads: DocumentRead[]; unreadable?: UnreadableScanError }> {
  const t0 = performance.now();
  const pages = await decodeScan(input.bytes, input.fileName, deps.limits);
  const t1 = performance.now();
  // Only the first document wanted: the pages after its end (the second form page) need not be looked at.
  const { located, locateMs } = await locatePages(pages, deps.ocr, maxDocuments === 1 ? 2 : maxDocuments);
  const spans = groupDocuments(located.map((l) => l !== null)).slice(0, maxDocuments);
  const decodeMs = t1 - t0;
  const reads: DocumentRead[] = [];
  for (const [k, span] of spans.entries()) {
    if (only !== undefined && k !== only) continue;
    const found = span.formPage === null ? null : (located[span.formPage] ?? null);
    const label = spans.length > 1 ? `document ${k + 1} (pages ${describePages(span.pages)}): ` : "";
    try {
      reads.push(await readSpan(pages, span, found, { decodeMs, locateMs, label }, deps));
    } catch (err) {
      if (only === undefined || !(err instanceof UnreadableScanError)) throw err;
      return { spans, reads, unreadable: err };
    }
  }
  return { spans, reads };
}

/** Reads one document's form page (an unrecognised document: empty form). */
async function readSpan(
  pages: PageImage[],
  span: DocumentSpan,
  found: Located | null,
  t: { decodeMs: number; locateMs: number[]; label: string },
  deps: ReadDeps,
): Promise<DocumentRead> {
  const { decodeMs } = t;
  const locMs = span.pages.reduce((sum, p) => sum + (t.locateMs[p] ?? 0), 0);
  const base = { pageCount: pages.length, formPage: span.formPage };
  if (span.formPage === null || !found) {
    return {
      ...span,
      result: {
        form: { formCode: null, formVersion: null, action: null, fields: {}, warnings: [] },
        ...base,
        registration: null,
        timings: { decodeMs, locateMs: locMs, fieldsMs: 0, totalMs: decodeMs + locMs },
      },
    };
  }
  const s = performance.now();
  const form = await withTimeout(
    readFormPage(pages[span.formPage] as PageImage, found.reg, span.formPage, deps),
    deps.documentTimeoutMs ?? DOCUMENT_TIMEOUT_MS,
    t.label,
  );
  const fieldsMs = performance.now() - s;
  const { reg } = found;
  return {
    ...span,
    result: {
      form,
      ...base,
      registration: {
        angleDeg: reg.angleDeg,
        upsideDown: reg.upsideDown,
        anchorsUsed: reg.anchorsUsed,
        anchorsTried: reg.anchorsTried,
        rmsMm: reg.rmsMm,
        via: found.via,
      },
      timings: { decodeMs, locateMs: locMs, fieldsMs, totalMs: decodeMs + locMs + fieldsMs },
    },
  };
}

async function withTimeout<T>(work: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UnreadableScanError(`${label}reading took longer than ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every field of a registered form page, the action from its boxes, and warnings. */
async function readFormPage(page: PageImage, reg: Registration, index: number, deps: ReadDeps): Promise<ExtractedForm> {
  const { ocr } = deps;
  const template = reg.template;
  const caregiverVocabulary = deps.approvedCaregivers ? [REGION_CAREGIVER, ...deps.approvedCaregivers] : undefined;
  // Engines billed per page read the whole form page once; the others read each field's cleaned crop.
  const textReader = await fieldTextReaderFor(ocr, page);
  const exemplars: Exemplar[] = [];
  const entries = await Promise.all(
    template.fields.map(
      async (f) =>
        [
          f.name,
          await readField(page, reg, f, index, {
            ocr,
            exemplarSink: exemplars,
            textReader,
            ...(caregiverVocabulary ? { caregiverVocabulary } : {}),
          }),
        ] as const,
    ),
  );
  let fields: Record<string, FieldReading> = Object.fromEntries(entries);
  // Second pass for personnummer read without certainty: the same hand's digits from the numbers read surely.
  if (exemplars.length > 0) {
    for (const f of template.fields) {
      const first = fields[f.name];
      if (f.type !== "personnummer" || !first || first.confidence >= SECOND_PASS_BELOW || first.value === "") continue;
      const again = await readField(page, reg, f, index, { ocr, exemplars });
      if (again.confidence > first.confidence) fields[f.name] = again;
    }
  }
  if (deps.nameOf) await readNamesAgainstRegistry(page, reg, fields, ocr, deps.nameOf);
  if (deps.staff) await readStaffAgainstDirectory(page, reg, fields, ocr, deps.staff);
  // Textract's opinion on a page with a doubted field, as a third reading (only when the engine offers one).
  const opinion = await applySecondOpinion(page, reg, fields, ocr);
  fields = opinion.fields;
  const warnings: string[] = opinion.warning ? [opinion.warning] : [];
  if (reg.confidence < 0.6) warnings.push(`registration uncertain (${reg.anchorsUsed}/${reg.anchorsTried} anchors)`);
  return {
    formCode: template.formCode,
    formVersion: template.version,
    action: actionOf(template, fields),
    fields,
    warnings,
  };
}

/** Exactly one ticked action box gives the action; none or both give null (ACTION_MISSING). */
export function actionOf(template: Template, fields: Record<string, FieldReading>): Action | null {
  const ticked = ACTION_BOXES[template.formCode].filter((b) => fields[b.field]?.value === true);
  return ticked.length === 1 ? (ticked[0]?.action ?? null) : null;
}

/** Share of anchors that must agree before a page without a readable QR counts as a form. */
const MIN_ANCHOR_SHARE = 0.7;

/** Finds which form a page is and where it lies (QR first, else the printed anchors); null for any other page. */
/** How far (mm) anchors are searched around the QR's pose: a scan's skew, then a photo's perspective. */
const QR_SEARCH_MM = [4, 9, 15];

export async function locateForm(page: PageImage, templates: Map<string, Template>, ocr: Ocr): Promise<Located | null> {
  const prep = await preparePage(page);
  const qr = await locateQr(prep);
  if (qr) {
    const template = [...templates.values()].find((t) => t.qrPayload === qr.payload.trim());
    // Another QR (another form of the region, an ID card): not one of ours.
    if (!template) return null;
    // The QR's small square gives the pose near itself; on a photo seen at an angle the far side of the page lies
    // further off than a scan's skew would put it. The anchors are searched wider only when the narrow search does
    // not find nearly all of them (the form is known: the wider search can only find its own anchors or none).
    const coarse = coarseFromQr(template, qr);
    let best: Registration | null = null;
    for (const radiusMm of QR_SEARCH_MM) {
      const reg = refine(prep, template, coarse, radiusMm, scaleOf(coarse));
      if (reg && (!best || reg.anchorsUsed > best.anchorsUsed)) best = reg;
      if (best && best.anchorsUsed / best.anchorsTried >= 0.9) break;
    }
    if (best && best.anchorsUsed / best.anchorsTried >= 0.5) return { reg: best, via: "qr" };
    return null;
  }
  return locateByAnchors(prep, templates, ocr);
}

/** No QR: try each form upright and upside down, then confirm the printed form code in the header. */
async function locateByAnchors(
  prep: PagePrep,
  templates: Map<string, Template>,
  ocr: Ocr,
): Promise<{ reg: Registration; via: "anchors" } | null> {
  const share = (r: Registration | null) => (r ? r.anchorsUsed / r.anchorsTried : 0);
  const tryPose = (template: Template, upsideDown: boolean, angle: number, best: Registration | null) => {
    const reg = refine(prep, template, coarseFromPage(template, prep, upsideDown, angle), 9);
    return reg && share(reg) > share(best) ? reg : best;
  };
  // Straight first: each form upright and upside down (±9 mm covers a 3° skew over the page). Skewed poses only
  // for the form and orientation that already matched; a page that matches no form is given up quickly.
  let best: Registration | null = null;
  for (const template of templates.values()) {
    for (const upsideDown of [false, true]) best = tryPose(template, upsideDown, 0, best);
  }
  const leading: Registration | null = best;
  if (leading !== null && share(leading) < 0.9) {
    for (const angle of [-2, 2]) best = tryPose(leading.template, leading.upsideDown, angle, best);
  }
  if (!best || best.anchorsUsed / best.anchorsTried < MIN_ANCHOR_SHARE) return null;
  // The header says "Blankett <code> v1": the printed code must agree with the layout that matched.
  const header = { x: 125, y: 8, w: 65, h: 14 };
  const region = warpRegion(prep.page, best.map, header, 12);
  const res = await ocr.recognize(
    { width: region.width, height: region.height, dpi: 305, data: region.data },
    { mode: "block" },
  );
  const text = res.words
    .map((w) => w.text)
    .join(" ")
    .toUpperCase()
    .replace(/\s+/g, "");
  const code = /1177-?(EGEN|VG|VH)/.exec(text)?.[1];
  if (code && `1177-${code}` !== best.template.formCode) return null;
  if (!code && best.anchorsUsed / best.anchorsTried < 0.85) return null;
  return { reg: best, via: "anchors" };
}
