// npx tsx bench/handwriting.ts [--fonts "Breip,Humor Sans"] [--ids sample-01,sample-05] [--out DIR] [--keep]
//
// Does the handwriting path generalise beyond the one hand-written dev sample? This writes every dev sample's own
// ground-truth values onto the blank form (shared/forms/templates/<code>.png) in handwriting fonts installed on this
// machine, scans it synthetically (a seeded small rotation, greyscale, dust, mild blur), then reads and decides it
// exactly like `lockdesk read` / `lockdesk eval` (openContext + readAndDecide with data/persons.csv and
// data/approved-caregivers.csv). The values and receivedDate are the sample's, so the expected decision is the sample's.
// Prints per font: decision accuracy, wrong EXECUTEs and RETURNs, the confusion and the exact-match rate of
// personnummer and name fields — aggregates only, never a value. Deterministic: every random choice is seeded.
//
// A benchmark, not a test: CI has no such fonts, and the numbers are for judging the reader, never for tuning it to
// a font. The dev sample's own font (DkgHandwriting) is refused. Fonts that lack å/ä/ö get those letters from a
// Pango fallback font (noted on stderr).
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { z } from "zod";
import { failureLine, mapLimit, openContext, type Reading, readAndDecide } from "../cli/reading.ts";
import { DECISIONS, type Decision } from "../shared/domain/forms.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SCANS = path.join(ROOT, "test/fixtures/scans");
const TEMPLATES = path.join(ROOT, "shared/forms/templates");
const DEFAULT_FONTS = [
  "Breip",
  "Humor Sans",
  "Rufscript",
  "Because We Create",
  "Because We Learn",
  "Because We Connect",
];
const USAGE = `usage: npx tsx bench/handwriting.ts [--fonts "Breip,Humor Sans"] [--ids sample-01,sample-05] [--out DIR] [--keep]
  --fonts  comma-separated font families (default: ${DEFAULT_FONTS.join(",")}); fonts not installed are skipped
  --ids    comma-separated dev sample ids (default: every sample that is a form)
  --out    where the generated PNGs go (default: a temp dir, deleted at the end unless --keep; --out is never deleted)`;
/** The hand-written dev sample's own font: using it would measure the sample, not generalisation. */
const REFUSED_FONTS = ["dkghandwriting"];

const PX_PER_MM = 2479 / 210;
const INKS = ["#1b2a6b", "#222222"];
/** Text boxes: the printed label takes the top ~3.2 mm; values are written below it. */
const LABEL_MM = 3.2;
const CAP_MM = 4;
const LEFT_MM = 2;
const RIGHT_MM = 1.5;
const DIGIT_MM = 4.3;
/** Pango size at which a font's metrics are measured; the written size is scaled from it. */
const REF_PT = 20;
/** An invisible tall bar rendered before every value, so that all renders share one top and one baseline row. */
const STRUT = '<span font="Sans 60" fgalpha="1">│</span>';

// ---- ground truth and templates ----

const TruthSchema = z.object({
  file: z.string(),
  receivedDate: z.string(),
  formCode: z.string().nullable(),
  fields: z.record(z.string(), z.union([z.string(), z.boolean()])),
  expected: z.object({ decision: z.enum(DECISIONS), reasons: z.array(z.string()) }),
});
type Truth = z.infer<typeof TruthSchema> & { id: string };

const BoxSchema = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
type Box = z.infer<typeof BoxSchema>;
const FieldsFileSchema = z.object({
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.enum(["text", "personnummer", "checkbox", "signature"]),
      box: BoxSchema,
      combCells: z.array(BoxSchema).optional(),
    }),
  ),
});
type FieldDef = z.infer<typeof FieldsFileSchema>["fields"][number];
interface Template {
  png: Buffer;
  width: number;
  height: number;
  fields: FieldDef[];
}

async function loadTruths(ids: string[] | null): Promise<Truth[]> {
  const out: Truth[] = [];
  for (const name of (await readdir(SCANS)).filter((n) => /^sample-\d+\.json$/.test(n)).sort()) {
    const id = name.replace(/\.json$/, "");
    if (ids && !ids.includes(id)) continue;
    const parsed = TruthSchema.safeParse(JSON.parse(await readFile(path.join(SCANS, name), "utf8")));
    if (!parsed.success) console.error(`${id}: skipped: not a ground-truth item`);
    else if (parsed.data.formCode !== null) out.push({ ...parsed.data, id });
  }
  for (const id of ids ?? []) if (!out.some((t) => t.id === id)) console.error(`${id}: skipped: no such form sample`);
  return out;
}

async function loadTemplate(formCode: string): Promise<Template> {
  const png = await readFile(path.join(TEMPLATES, `${formCode}.png`));
  const meta = await sharp(png).metadata();
  const file = FieldsFileSchema.parse(
    JSON.parse(await readFile(path.join(TEMPLATES, `${formCode}.fields.json`), "utf8")),
  );
  return { png, width: meta.width ?? 2479, height: meta.height ?? 3508, fields: file.fields };
}

// ---- fonts ----

function installedFamilies(): Set<string> | null {
  try {
    const out = execFileSync("fc-list", [":", "family"], { encoding: "utf8" });
    return new Set(out.split("\n").flatMap((l) => l.split(",").map((f) => f.trim().toLowerCase())));
  } catch {
    return null;
  }
}

function lacksSwedishLetters(family: string): boolean {
  try {
    const out = execFileSync("fc-list", [`${family}:charset=e5 e4 f6 c5 c4 d6`, "family"], { encoding: "utf8" });
    return out.trim() === "";
  } catch {
    return false;
  }
}

interface FontMetrics {
  /** Ink height of "H" at REF_PT, in px. */
  capPx: number;
  /** Ink height of the digits at REF_PT, in px. */
  digitPx: number;
}

// ---- seeded randomness ----

function hashSeed(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: string): () => number {
  let a = hashSeed(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (rnd: () => number, lo: number, hi: number) => lo + (hi - lo) * rnd();
const px = (mm: number) => Math.round(mm * PX_PER_MM);

// ---- rendering ----

function escapeMarkup(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

interface Ink {
  png: Buffer;
  width: number;
  height: number;
  /** Row of the baseline inside the cropped image (only for strut renders). */
  baseline: number;
  /** Height of Pango's ink box before cropping to the visible ink. */
  rawHeight: number;
}

/** Renders markup with Pango and crops it to its visible ink. */
async function renderInk(markup: string, font: string, sizePt: number, strutBaseline?: number): Promise<Ink | null> {
  const { data, info } = await sharp({
    text: { text: markup, font: `${font} ${sizePt.toFixed(1)}`, dpi: 300, rgba: true },
  })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((data[(y * width + x) * channels + channels - 1] ?? 0) > 16) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const png = await sharp(data, { raw: { width, height, channels } })
    .extract({ left: x0, top: y0, width: w, height: h })
    .png()
    .toBuffer();
  return { png, width: w, height: h, baseline: (strutBaseline ?? y1 + 1) - y0, rawHeight: height };
}

async function measureFont(font: string): Promise<FontMetrics> {
  const cap = await renderInk("H", font, REF_PT);
  const digits = await renderInk("0123456789", font, REF_PT);
  if (!cap || !digits) throw new Error(`font ${font}: renders no ink`);
  return { capPx: cap.height, digitPx: digits.height };
}

/** The baseline row of every `STRUT + value` render, and its height (to check that the strut is the tallest ink). */
async function measureStrut(): Promise<{ baseline: number; height: number }> {
  const { data, info } = await sharp({ text: { text: `${STRUT}<span font="Sans 20">H</span>`, dpi: 300, rgba: true } })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let bottom = -1;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if ((data[(y * info.width + x) * info.channels + info.channels - 1] ?? 0) > 128) bottom = y;
    }
  }
  if (bottom < 0) throw new Error("strut measurement: no visible H");
  return { baseline: bottom + 1, height: info.height };
}

interface Overlay {
  input: Buffer;
  left: number;
  top: number;
}

interface ItemStyle {
  font: string;
  metrics: FontMetrics;
  strut: { baseline: number; height: number };
  ink: string;
  rnd: () => number;
  seed: string;
}

async function writeText(style: ItemStyle, box: Box, value: string): Promise<Overlay | null> {
  const { rnd } = style;
  const fromBottom = box.h >= 10 ? 2 : 1.2;
  const capMm = Math.min(CAP_MM, box.h - LABEL_MM - fromBottom - 0.5) * between(rnd, 0.92, 1.06);
  const leftMm = LEFT_MM + between(rnd, -0.5, 0.6);
  const available = px(box.w - leftMm - RIGHT_MM);
  let size = (REF_PT * capMm * PX_PER_MM) / style.metrics.capPx;
  const markup = `${STRUT}<span foreground="${style.ink}">${escapeMarkup(value)}</span>`;
  let ink: Ink | null = null;
  for (let attempt = 0; attempt < 4; attempt++) {
    // The strut makes Pango's ink box start at the strut's top, so the baseline row is the same in every render.
    ink = await renderInk(markup, style.font, size, style.strut.baseline);
    if (ink && ink.rawHeight !== style.strut.height) throw new Error(`font ${style.font}: value taller than the strut`);
    if (!ink || ink.width <= available) break;
    size *= (available / ink.width) * 0.98;
  }
  if (!ink) return null;
  const baselineY = box.y + box.h - fromBottom + between(rnd, -0.35, 0.35);
  return { input: ink.png, left: px(box.x + leftMm), top: px(baselineY) - ink.baseline };
}

async function writeDigits(style: ItemStyle, cells: Box[], value: string): Promise<Overlay[]> {
  const out: Overlay[] = [];
  const { rnd } = style;
  const size0 = (REF_PT * DIGIT_MM * PX_PER_MM) / style.metrics.digitPx;
  for (const [i, ch] of [...value].entries()) {
    const cell = cells[i];
    if (!cell || ch === " ") continue;
    let size = size0 * between(rnd, 0.9, 1.06);
    let ink = await renderInk(`<span foreground="${style.ink}">${escapeMarkup(ch)}</span>`, style.font, size);
    const maxW = px(cell.w - 1.6);
    const maxH = px(cell.h - 1.6);
    if (ink && (ink.width > maxW || ink.height > maxH)) {
      size *= Math.min(maxW / ink.width, maxH / ink.height) * 0.97;
      ink = await renderInk(`<span foreground="${style.ink}">${escapeMarkup(ch)}</span>`, style.font, size);
    }
    if (!ink) continue;
    const cx = px(cell.x + cell.w / 2 + between(rnd, -0.3, 0.3));
    const cy = px(cell.y + cell.h / 2 + between(rnd, -0.3, 0.3));
    out.push({ input: ink.png, left: cx - Math.round(ink.width / 2), top: cy - Math.round(ink.height / 2) });
  }
  return out;
}

function svg(wMm: number, hMm: number, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(wMm)}" height="${px(hMm)}" viewBox="0 0 ${wMm} ${hMm}">${body}</svg>`,
  );
}

function writeCross(style: ItemStyle, box: Box): Overlay {
  const { rnd } = style;
  const c = { x: box.w / 2 + between(rnd, -0.25, 0.25), y: box.h / 2 + between(rnd, -0.25, 0.25) };
  const r = between(rnd, 1.35, 1.65);
  const j = () => between(rnd, -0.25, 0.25);
  const line = (x1: number, y1: number, x2: number, y2: number) =>
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${style.ink}" stroke-width="0.5" stroke-linecap="round"/>`;
  const body =
    line(c.x - r + j(), c.y - r + j(), c.x + r + j(), c.y + r + j()) +
    line(c.x + r + j(), c.y - r + j(), c.x - r + j(), c.y + r + j());
  return { input: svg(box.w, box.h, body), left: px(box.x), top: px(box.y) };
}

function writeSignature(style: ItemStyle, box: Box, field: string): Overlay {
  const rnd = prng(`${style.seed}|${field}`);
  const w = between(rnd, 30, 38);
  const h = 8;
  const pad = 0.5;
  // Control points stay inside the box (a Bézier stays in its control points' hull) but may reach back past a
  // stroke's ends: loops, like a hurried signature.
  const clampX = (v: number) => Math.min(w - pad, Math.max(pad, v));
  let x = pad;
  const pts = [`M ${x} ${between(rnd, 2, 6).toFixed(2)}`];
  const strokes = 4 + Math.floor(rnd() * 3);
  for (let i = 0; i < strokes; i++) {
    const nx = clampX(x + (w - 2 * pad) / strokes + between(rnd, -1.5, 1.5));
    const ny = between(rnd, pad + 0.5, h - pad - 0.5);
    const c1 = [clampX(x + between(rnd, -3, 9)), between(rnd, pad, h - pad)];
    const c2 = [clampX(nx - between(rnd, -3, 9)), between(rnd, pad, h - pad)];
    pts.push(`C ${[...c1, ...c2, nx, ny].map((v) => v.toFixed(2)).join(" ")}`);
    x = nx;
  }
  const body = `<path d="${pts.join(" ")}" fill="none" stroke="${style.ink}" stroke-width="0.5" stroke-linecap="round" stroke-linejoin="round"/>`;
  const leftMm = box.x + between(rnd, 4, Math.max(5, Math.min(20, box.w - w - 3)));
  const topMm = box.y + box.h - h - between(rnd, 1.2, 2.2);
  return { input: svg(w, h, body), left: px(leftMm), top: px(topMm) };
}

/** Writes the sample's values onto the blank form and scans it synthetically: a PNG at 300 dpi. */
async function makeScan(template: Template, truth: Truth, style: ItemStyle): Promise<Buffer> {
  const overlays: Overlay[] = [];
  for (const f of template.fields) {
    const value = truth.fields[f.name];
    if (value === undefined || value === "" || value === false) continue;
    if (f.type === "checkbox" && value === true) overlays.push(writeCross(style, f.box));
    else if (f.type === "signature" && value === true) overlays.push(writeSignature(style, f.box, f.name));
    else if (f.type === "personnummer" && typeof value === "string" && f.combCells?.length) {
      overlays.push(...(await writeDigits(style, f.combCells, value.replace(/\D/g, ""))));
    } else if (typeof value === "string") {
      const o = await writeText(style, f.box, value);
      if (o) overlays.push(o);
    }
  }
  const { width, height } = template;
  const written = await sharp(template.png).flatten({ background: "#ffffff" }).composite(overlays).png().toBuffer();
  // A slightly skewed feed: rotate on white, keep the page size.
  const rnd = prng(`${style.seed}|scan`);
  const rotated = await sharp(written)
    .rotate(between(rnd, -1.5, 1.5), { background: "#ffffff" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const left = Math.max(0, Math.floor((rotated.info.width - width) / 2));
  const top = Math.max(0, Math.floor((rotated.info.height - height) / 2));
  const specks: string[] = [];
  const n = 200 + Math.floor(rnd() * 250);
  for (let i = 0; i < n; i++) {
    const grey = Math.floor(between(rnd, 40, 140));
    specks.push(
      `<circle cx="${Math.floor(rnd() * width)}" cy="${Math.floor(rnd() * height)}" r="${between(rnd, 0.5, 1).toFixed(2)}" fill="rgb(${grey},${grey},${grey})"/>`,
    );
  }
  const dust = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${specks.join("")}</svg>`,
  );
  const dusty = await sharp(rotated.data, { raw: rotated.info })
    .extract({ left, top, width: Math.min(width, rotated.info.width), height: Math.min(height, rotated.info.height) })
    .composite([{ input: dust }])
    .png()
    .toBuffer();
  return sharp(dusty)
    .flatten({ background: "#ffffff" })
    .greyscale()
    .blur(0.5)
    .toColourspace("b-w")
    .withDensity(300)
    .png()
    .toBuffer();
}

// ---- scoring ----

interface Outcome {
  font: string;
  truth: Truth;
  reading: Reading | null;
  pnrFields: string[];
}

const isName = (field: string) => /(^|\.)(givenName|surname|name)$/.test(field);
const decidedOf = (o: Outcome): Decision | "ERROR" => o.reading?.validation.decision ?? "ERROR";
const misread = (o: Outcome) =>
  Object.entries(o.truth.fields)
    .filter(([k, v]) => o.reading?.read.form.fields[k]?.value !== v)
    .map(([k]) => k);

/** Exact matches over the picked fields; `fold` compares after it (e.g. ignoring case). */
function exactRate(
  outcomes: Outcome[],
  pick: (o: Outcome) => string[],
  fold: (v: unknown) => unknown = (v) => v,
): { ok: number; n: number } {
  let ok = 0;
  let n = 0;
  for (const o of outcomes) {
    for (const k of pick(o)) {
      n++;
      if (fold(o.reading?.read.form.fields[k]?.value) === fold(o.truth.fields[k])) ok++;
    }
  }
  return { ok, n };
}

const upper = (v: unknown) => (typeof v === "string" ? v.toLocaleUpperCase("sv-SE") : v);

function report(fonts: string[], outcomes: Outcome[], wallSeconds: number): string {
  const out: string[] = [];
  const rate = (r: { ok: number; n: number }) => (r.n === 0 ? "-" : (r.ok / r.n).toFixed(3));
  const row = (label: string, os: Outcome[]) => {
    const correct = os.filter((o) => decidedOf(o) === o.truth.expected.decision).length;
    const wrongExecute = os.filter((o) => decidedOf(o) === "EXECUTE" && o.truth.expected.decision !== "EXECUTE");
    const wrongReturn = os.filter((o) => decidedOf(o) === "RETURN" && o.truth.expected.decision !== "RETURN");
    const pnr = exactRate(os, (o) => o.pnrFields);
    const nameFields = (o: Outcome) => Object.keys(o.truth.fields).filter(isName);
    const names = exactRate(os, nameFields);
    // Some fonts (Humor Sans, Because We Learn) draw lowercase letters as capitals: a reader can only match those
    // names ignoring case.
    const namesAnyCase = exactRate(os, nameFields, upper);
    return (
      `${label.padEnd(20)}${String(os.length).padStart(6)}${(os.length ? correct / os.length : 0).toFixed(3).padStart(10)}` +
      `${String(wrongExecute.length).padStart(8)}${String(wrongReturn.length).padStart(8)}` +
      `${`${rate(pnr)} (${pnr.ok}/${pnr.n})`.padStart(18)}${`${rate(names)} (${names.ok}/${names.n})`.padStart(18)}` +
      `${`${rate(namesAnyCase)} (${namesAnyCase.ok}/${namesAnyCase.n})`.padStart(18)}`
    );
  };
  out.push(
    `${"font".padEnd(20)}${"items".padStart(6)}${"accuracy".padStart(10)}${"wrongEX".padStart(8)}${"wrongRE".padStart(8)}${"personnummer".padStart(18)}${"names".padStart(18)}${"names any case".padStart(18)}`,
  );
  for (const f of fonts)
    out.push(
      row(
        f,
        outcomes.filter((o) => o.font === f),
      ),
    );
  out.push(row("total", outcomes));
  out.push("");
  const labels: Array<Decision | "ERROR"> = [...DECISIONS, "ERROR"];
  out.push(`confusion (rows: expected; columns: decided ${labels.join(" / ")})`);
  for (const f of [...fonts, "total"]) {
    const os = f === "total" ? outcomes : outcomes.filter((o) => o.font === f);
    const cells = DECISIONS.map((e) => {
      const counts = labels.map((d) => os.filter((o) => o.truth.expected.decision === e && decidedOf(o) === d).length);
      return `${e} ${counts.join("/")}`;
    });
    out.push(`  ${f.padEnd(20)}${cells.map((c) => c.padEnd(22)).join("")}`.trimEnd());
  }
  const wrong = outcomes.filter((o) => decidedOf(o) !== o.truth.expected.decision);
  if (wrong.length > 0) {
    out.push("");
    out.push(
      "wrong decisions (!! = wrong EXECUTE or wrong RETURN; misread = field names whose value was not read exactly)",
    );
    for (const o of wrong) {
      const d = decidedOf(o);
      const severe = (d === "EXECUTE" || d === "RETURN") && d !== o.truth.expected.decision;
      out.push(
        `${severe ? "!!" : "  "} ${o.font} ${o.truth.id}: expected ${o.truth.expected.decision} ` +
          `[${o.truth.expected.reasons.join(",")}], got ${d} [${o.reading?.validation.reasons.join(",") ?? ""}]; ` +
          `misread: ${misread(o).join(", ") || "none"}`,
      );
    }
  }
  out.push("");
  out.push(
    `${outcomes.length} items in ${wallSeconds.toFixed(0)} s (${(wallSeconds / Math.max(1, outcomes.length)).toFixed(1)} s per item, wall clock, ${os.availableParallelism()} cores)`,
  );
  return out.join("\n");
}

// ---- main ----

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      fonts: { type: "string" },
      ids: { type: "string" },
      out: { type: "string" },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const list = (s: string | undefined) =>
    s
      ?.split(",")
      .map((x) => x.trim())
      .filter(Boolean) ?? null;
  const installed = installedFamilies();
  const fonts: string[] = [];
  for (const f of list(values.fonts) ?? DEFAULT_FONTS) {
    if (REFUSED_FONTS.includes(f.toLowerCase())) console.error(`font ${f}: skipped: the dev sample's own font`);
    else if (!installed) console.error(`font ${f}: skipped: fc-list is not available to check it is installed`);
    else if (!installed.has(f.toLowerCase())) console.error(`font ${f}: skipped: not installed`);
    else if (!fonts.includes(f)) fonts.push(f);
  }
  const truths = await loadTruths(list(values.ids));
  if (fonts.length === 0 || truths.length === 0) {
    console.error("handwriting bench: nothing to do (no installed font or no form sample)");
    return 0;
  }
  for (const f of fonts) {
    if (lacksSwedishLetters(f)) console.error(`font ${f}: has no å/ä/ö; Pango writes those letters in a fallback font`);
  }
  const templates = new Map<string, Template>();
  for (const t of truths) {
    const code = t.formCode as string;
    if (!templates.has(code)) templates.set(code, await loadTemplate(code));
  }
  const metrics = new Map<string, FontMetrics>();
  for (const f of fonts) metrics.set(f, await measureFont(f));
  const strut = await measureStrut();

  const tempDir = values.out ? null : await mkdtemp(path.join(os.tmpdir(), "lockdesk-handwriting-"));
  const outDir = values.out ? path.resolve(values.out) : (tempDir as string);
  await mkdir(outDir, { recursive: true });
  const items = fonts.flatMap((font) => truths.map((truth) => ({ font, truth })));
  const ctx = openContext(path.join(ROOT, "data/persons.csv"), path.join(ROOT, "data/approved-caregivers.csv"));
  const outcomes: Outcome[] = [];
  const started = performance.now();
  let done = 0;
  try {
    await mapLimit(items, Math.max(1, os.availableParallelism()), async ({ font, truth }, i) => {
      const template = templates.get(truth.formCode as string) as Template;
      const seed = `${font}|${truth.id}`;
      const style: ItemStyle = {
        font,
        metrics: metrics.get(font) as FontMetrics,
        strut,
        // Alternates along the samples; a function of the item alone, so that --ids/--fonts subsets redo it exactly.
        ink: INKS[(hashSeed(font) + Number(truth.id.replace(/\D/g, ""))) % INKS.length] as string,
        rnd: prng(seed),
        seed,
      };
      const file = path.join(outDir, `${font.replace(/\W+/g, "_")}--${truth.id}.png`);
      let reading: Reading | null = null;
      try {
        await writeFile(file, await makeScan(template, truth, style));
        reading = await readAndDecide(ctx, file, truth.receivedDate);
      } catch (e) {
        console.error(failureLine(path.basename(file), e));
      }
      const pnrFields = template.fields.filter((f) => f.type === "personnummer").map((f) => f.name);
      outcomes[i] = { font, truth, reading, pnrFields: pnrFields.filter((k) => k in truth.fields) };
      done++;
      console.error(
        `[${done}/${items.length}] ${font} ${truth.id}: ${truth.expected.decision} → ${reading?.validation.decision ?? "ERROR"}` +
          ` [${reading?.validation.reasons.join(",") ?? ""}]${reading ? ` ${reading.seconds.toFixed(1)} s` : ""}`,
      );
    });
  } finally {
    await ctx.close();
    if (tempDir && !values.keep) await rm(tempDir, { recursive: true, force: true });
    else console.error(`generated scans kept in ${outDir}`);
  }
  console.log(report(fonts, outcomes.filter(Boolean), (performance.now() - started) / 1000));
  return 0;
}

process.exitCode = await main();
