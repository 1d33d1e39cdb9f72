// Projective transforms (homographies): template millimetres → scan pixels for pages that are not flat on the glass
// (a phone photo of a page on a desk). A similarity is the special case without perspective.
import { fitRobust, type Point, type Similarity } from "./geometry.ts";

/** Row-major 3 × 3 matrix with h[8] = 1: u = (h0·x + h1·y + h2) / w, v = (h3·x + h4·y + h5) / w, w = h6·x + h7·y + 1. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

export function fromSimilarity(t: Similarity): Homography {
  return [t.a, -t.b, t.tx, t.b, t.a, t.ty, 0, 0, 1];
}

export function applyH(h: Homography, p: Point): Point {
  const w = h[6] * p.x + h[7] * p.y + h[8];
  return { x: (h[0] * p.x + h[1] * p.y + h[2]) / w, y: (h[3] * p.x + h[4] * p.y + h[5]) / w };
}

export function invertH(h: Homography): Homography {
  const [a, b, c, d, e, f, g, k, l] = h;
  const A = e * l - f * k;
  const B = -(d * l - f * g);
  const C = d * k - e * g;
  const det = a * A + b * B + c * C;
  if (det === 0) throw new Error("invertH: singular homography");
  const m = [
    A,
    -(b * l - c * k),
    b * f - c * e,
    B,
    a * l - c * g,
    -(a * f - c * d),
    C,
    -(a * k - b * g),
    a * e - b * d,
  ].map((v) => v / det);
  const s = m[8] as number;
  return m.map((v) => v / s) as unknown as Homography;
}

/** Translate and scale points to mean 0 and mean distance √2 (Hartley), for a well-conditioned fit. */
function normaliser(pts: Point[]): { s: number; cx: number; cy: number } {
  let cx = 0;
  let cy = 0;
  for (const p of pts) {
    cx += p.x;
    cy += p.y;
  }
  cx /= pts.length;
  cy /= pts.length;
  let d = 0;
  for (const p of pts) d += Math.hypot(p.x - cx, p.y - cy);
  d /= pts.length;
  return { s: d > 0 ? Math.SQRT2 / d : 1, cx, cy };
}

/** Least-squares homography mapping `from[i]` onto `to[i]`; null for fewer than four pairs or a degenerate set. */
export function fitHomography(from: Point[], to: Point[]): Homography | null {
  const n = from.length;
  if (n < 4 || to.length !== n) return null;
  const nf = normaliser(from);
  const nt = normaliser(to);
  // Normal equations of the 8 unknowns (h8 = 1) on the normalised points.
  const M = Array.from({ length: 8 }, () => new Float64Array(9));
  const addRow = (row: number[], rhs: number) => {
    for (let i = 0; i < 8; i++) {
      const ri = row[i] as number;
      if (ri === 0) continue;
      const Mi = M[i] as Float64Array;
      for (let j = 0; j < 8; j++) Mi[j] = (Mi[j] as number) + ri * (row[j] as number);
      Mi[8] = (Mi[8] as number) + ri * rhs;
    }
  };
  for (let i = 0; i < n; i++) {
    const f = from[i] as Point;
    const t = to[i] as Point;
    const x = (f.x - nf.cx) * nf.s;
    const y = (f.y - nf.cy) * nf.s;
    const u = (t.x - nt.cx) * nt.s;
    const v = (t.y - nt.cy) * nt.s;
    addRow([x, y, 1, 0, 0, 0, -x * u, -y * u], u);
    addRow([0, 0, 0, x, y, 1, -x * v, -y * v], v);
  }
  const sol = solve(M);
  if (!sol) return null;
  const hn = [...sol, 1];
  // Undo the normalisation: H = Tt⁻¹ · Hn · Tf.
  const Tf = [nf.s, 0, -nf.s * nf.cx, 0, nf.s, -nf.s * nf.cy, 0, 0, 1];
  const TtInv = [1 / nt.s, 0, nt.cx, 0, 1 / nt.s, nt.cy, 0, 0, 1];
  const H = mul(TtInv, mul(hn, Tf));
  const s = H[8] as number;
  if (!Number.isFinite(s) || s === 0) return null;
  return H.map((v) => v / s) as unknown as Homography;
}

function mul(a: number[], b: number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let v = 0;
      for (let k = 0; k < 3; k++) v += (a[r * 3 + k] as number) * (b[k * 3 + c] as number);
      out[r * 3 + c] = v;
    }
  }
  return out;
}

/** Gaussian elimination with partial pivoting on an 8 × 9 augmented matrix. */
function solve(M: Float64Array[]): number[] | null {
  const n = M.length;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs((M[r] as Float64Array)[col] as number) > Math.abs((M[piv] as Float64Array)[col] as number)) piv = r;
    }
    const P = M[piv] as Float64Array;
    if (Math.abs(P[col] as number) < 1e-12) return null;
    [M[col], M[piv]] = [P, M[col] as Float64Array];
    const R = M[col] as Float64Array;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const Q = M[r] as Float64Array;
      const f = (Q[col] as number) / (R[col] as number);
      if (f === 0) continue;
      for (let c = col; c <= n; c++) Q[c] = (Q[c] as number) - f * (R[c] as number);
    }
  }
  return M.map((row, i) => (row[n] as number) / (row[i] as number));
}

/** The robust homography fit (at least eight pairs kept): see fitRobust; null for a degenerate set. */
export function fitHomographyRobust(
  from: Point[],
  to: Point[],
  maxResidual: number,
): { h: Homography; kept: number[]; rms: number } | null {
  const r = fitRobust(from, to, maxResidual, 8, fitHomography, applyH);
  return r ? { h: r.model, kept: r.kept, rms: r.rms } : null;
}

/**
 * A page-like mapping: the template page's corners land in a convex quadrilateral in the same turning order, and the
 * perspective changes the scale across the page by less than half (a photo, not a degenerate fit).
 */
export function plausiblePage(h: Homography, widthMm: number, heightMm: number): boolean {
  const corners = [
    { x: 0, y: 0 },
    { x: widthMm, y: 0 },
    { x: widthMm, y: heightMm },
    { x: 0, y: heightMm },
  ];
  for (const c of corners) {
    const w = h[6] * c.x + h[7] * c.y + h[8];
    if (!(w > 0.67 && w < 1.5)) return false;
  }
  const q = corners.map((c) => applyH(h, c));
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i] as Point;
    const b = q[(i + 1) % 4] as Point;
    const c = q[(i + 2) % 4] as Point;
    const cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
    const s = Math.sign(cross);
    if (s === 0 || (sign !== 0 && s !== sign)) return false;
    sign = s;
  }
  return true;
}
