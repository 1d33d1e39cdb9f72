// 2-D similarity transforms (rotation, uniform scale, translation): template millimetres → scan pixels.

export interface Point {
  x: number;
  y: number;
}

/** x' = a·x − b·y + tx ; y' = b·x + a·y + ty */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export function apply(t: Similarity, p: Point): Point {
  return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

export function scaleOf(t: Similarity): number {
  return Math.hypot(t.a, t.b);
}

export function angleOf(t: Similarity): number {
  return (Math.atan2(t.b, t.a) * 180) / Math.PI;
}

/** Least-squares similarity mapping `from[i]` onto `to[i]` (closed form). Needs at least two distinct points. */
export function fitSimilarity(from: Point[], to: Point[], weights?: number[]): Similarity {
  const n = from.length;
  if (n < 2 || to.length !== n) throw new Error("fitSimilarity needs two or more point pairs");
  let sw = 0;
  let mfx = 0;
  let mfy = 0;
  let mtx = 0;
  let mty = 0;
  for (let i = 0; i < n; i++) {
    const w = weights?.[i] ?? 1;
    const f = from[i] as Point;
    const t = to[i] as Point;
    sw += w;
    mfx += w * f.x;
    mfy += w * f.y;
    mtx += w * t.x;
    mty += w * t.y;
  }
  mfx /= sw;
  mfy /= sw;
  mtx /= sw;
  mty /= sw;
  let sxx = 0;
  let sab = 0;
  let sba = 0;
  for (let i = 0; i < n; i++) {
    const w = weights?.[i] ?? 1;
    const f = from[i] as Point;
    const t = to[i] as Point;
    const fx = f.x - mfx;
    const fy = f.y - mfy;
    const ux = t.x - mtx;
    const uy = t.y - mty;
    sxx += w * (fx * fx + fy * fy);
    sab += w * (fx * ux + fy * uy);
    sba += w * (fx * uy - fy * ux);
  }
  if (sxx === 0) throw new Error("fitSimilarity: points coincide");
  const a = sab / sxx;
  const b = sba / sxx;
  return { a, b, tx: mtx - (a * mfx - b * mfy), ty: mty - (b * mfx + a * mfy) };
}

/**
 * A robust fit of any model: fit, then drop the worst pair while its residual is above `maxResidual` (in target
 * units) and refit, keeping at least `minPairs`. One at a time: a single bad anchor drags the first fit, so a plain
 * threshold would drop good ones. Null when `fitModel` gives up (a degenerate set of pairs).
 */
export function fitRobust<T>(
  from: Point[],
  to: Point[],
  maxResidual: number,
  minPairs: number,
  fitModel: (from: Point[], to: Point[]) => T | null,
  map: (model: T, p: Point) => Point,
): { model: T; kept: number[]; rms: number } | null {
  let kept = from.map((_, i) => i);
  let model = fitModel(from, to);
  if (model === null) return null;
  const residual = (i: number) => {
    const q = map(model as T, from[i] as Point);
    const target = to[i] as Point;
    return Math.hypot(q.x - target.x, q.y - target.y);
  };
  while (kept.length > minPairs) {
    let worst = -1;
    let worstR = maxResidual;
    for (const i of kept) {
      const r = residual(i);
      if (r > worstR) {
        worstR = r;
        worst = i;
      }
    }
    if (worst < 0) break;
    kept = kept.filter((i) => i !== worst);
    model = fitModel(
      kept.map((i) => from[i] as Point),
      kept.map((i) => to[i] as Point),
    );
    if (model === null) return null;
  }
  let sum = 0;
  for (const i of kept) sum += residual(i) ** 2;
  return { model, kept, rms: Math.sqrt(sum / Math.max(1, kept.length)) };
}

/** The robust similarity fit (at least three pairs kept): see fitRobust. */
export function fitSimilarityRobust(
  from: Point[],
  to: Point[],
  maxResidual: number,
): { transform: Similarity; kept: number[]; rms: number } {
  const r = fitRobust(from, to, maxResidual, 3, fitSimilarity, apply) as {
    model: Similarity;
    kept: number[];
    rms: number;
  };
  return { transform: r.model, kept: r.kept, rms: r.rms };
}
