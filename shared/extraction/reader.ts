// The form reader: scan bytes → form code, action, fields with confidence. Engine-independent: the OCR port reads
// text; the form, its position and every mark are found from the pixels (QR, printed anchors, ink).
import { ACTION_BOXES, type Action, type ExtractedForm, type FieldReading } from "../domain/forms.ts";
import type { Ocr } from "../ports/ocr.ts";
import { type DecodeLimits, decodeScan } from "./decode.ts";
import type { Exemplar } from "./digits.ts";
import type { PageImage } from "./document.ts";
import { readField } from "./fields.ts";
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
import { applySecondOpinion } from "./second-opinion.ts";
import { loadTemplates, type Template } from "./templates.ts";

export interface ReadInput {
  bytes: Uint8Array;
  fileName: string;
}

export interface ReadDeps {
  ocr: Ocr;
  limits?: Partial<DecodeLimits>;
}

export interface ReadResult {
  form: ExtractedForm;
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

/** A personnummer read with less confidence than this is read again with the form's own digits as examples. */
const SECOND_PASS_BELOW = 0.5;

/** Pages looked at for the form: it is page 1; later pages are attachments, but a scanner may put them first. */
const MAX_FORM_PAGES = 3;

export async function readScan(input: ReadInput, deps: ReadDeps): Promise<ReadResult> {
  const t0 = performance.now();
  const pages = await decodeScan(input.bytes, input.fileName, deps.limits);
  const t1 = performance.now();
  const templates = await loadTemplates();
  let found: { reg: Registration; page: PageImage; index: number; via: "qr" | "anchors" } | null = null;
  for (let i = 0; i < Math.min(pages.length, MAX_FORM_PAGES) && !found; i++) {
    const page = pages[i] as PageImage;
    const located = await locateForm(page, templates, deps.ocr);
    if (located) found = { ...located, page, index: i };
  }
  const t2 = performance.now();
  if (!found) {
    return {
      form: { formCode: null, formVersion: null, action: null, fields: {}, warnings: [] },
      pageCount: pages.length,
      formPage: null,
      registration: null,
      timings: { decodeMs: t1 - t0, locateMs: t2 - t1, fieldsMs: 0, totalMs: t2 - t0 },
    };
  }
  const { reg, page, index } = found;
  const template = reg.template;
  // Engines billed per page read the whole form page once; the others read each field's cleaned crop.
  const pageWords = deps.ocr.readsWholePages ? await deps.ocr.recognize(page) : undefined;
  const exemplars: Exemplar[] = [];
  const entries = await Promise.all(
    template.fields.map(
      async (f) =>
        [
          f.name,
          await readField(page, reg, f, index, {
            ocr: deps.ocr,
            exemplarSink: exemplars,
            ...(pageWords ? { pageWords } : {}),
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
      const again = await readField(page, reg, f, index, { ocr: deps.ocr, exemplars });
      if (again.confidence > first.confidence) fields[f.name] = again;
    }
  }
  // Textract's opinion on a page with a doubted field, as a third reading (only when the engine offers one).
  const opinion = await applySecondOpinion(page, reg, fields, deps.ocr);
  fields = opinion.fields;
  const t3 = performance.now();
  const warnings: string[] = opinion.warning ? [opinion.warning] : [];
  if (reg.confidence < 0.6) warnings.push(`registration uncertain (${reg.anchorsUsed}/${reg.anchorsTried} anchors)`);
  return {
    form: {
      formCode: template.formCode,
      formVersion: template.version,
      action: actionOf(template, fields),
      fields,
      warnings,
    },
    pageCount: pages.length,
    formPage: index,
    registration: {
      angleDeg: reg.angleDeg,
      upsideDown: reg.upsideDown,
      anchorsUsed: reg.anchorsUsed,
      anchorsTried: reg.anchorsTried,
      rmsMm: reg.rmsMm,
      via: found.via,
    },
    timings: { decodeMs: t1 - t0, locateMs: t2 - t1, fieldsMs: t3 - t2, totalMs: t3 - t0 },
  };
}

/** Exactly one ticked action box gives the action; none or both give null (ACTION_MISSING). */
export function actionOf(template: Template, fields: Record<string, FieldReading>): Action | null {
  const ticked = ACTION_BOXES[template.formCode].filter((b) => fields[b.field]?.value === true);
  return ticked.length === 1 ? (ticked[0]?.action ?? null) : null;
}

/** Share of anchors that must agree before a page without a readable QR counts as a form. */
const MIN_ANCHOR_SHARE = 0.7;

async function locateForm(
  page: PageImage,
  templates: Map<string, Template>,
  ocr: Ocr,
): Promise<{ reg: Registration; via: "qr" | "anchors" } | null> {
  const prep = await preparePage(page);
  const qr = await locateQr(prep);
  if (qr) {
    const template = [...templates.values()].find((t) => t.qrPayload === qr.payload.trim());
    // Another QR (another form of the region, an ID card): not one of ours.
    if (!template) return null;
    const reg = refine(prep, template, coarseFromQr(template, qr), 4);
    if (reg && reg.anchorsUsed / reg.anchorsTried >= 0.5) return { reg, via: "qr" };
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
  const region = warpRegion(prep.page, best.transform, header, 12);
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
