// Template registration: find where the blank form lies on the scan (rotation incl. upside down, scale, offset).
// Coarse: the QR code's corners. Fine: printed anchors (labels, headings, instructions) located by correlation.
import type { PageImage } from "./document.ts";
import { angleOf, fitSimilarity, fitSimilarityRobust, type Point, type Similarity, scaleOf } from "./geometry.ts";
import { applyH, fitHomographyRobust, fromSimilarity, type Homography, plausiblePage } from "./homography.ts";
import { findQr } from "./qr.ts";
import { filterGray, type Gray, resizeGray } from "./raster.ts";
import type { Template } from "./templates.ts";

export const WORK_PX_PER_MM = 6;

export interface Registration {
  template: Template;
  /** template millimetres → scan pixels: the similarity closest to the page (rotation, scale, offset) */
  transform: Similarity;
  /** template millimetres → scan pixels as fitted: a homography where the page is seen in perspective (a photo) */
  map: Homography;
  upsideDown: boolean;
  angleDeg: number;
  /** anchors that agreed with the fit, out of those tried */
  anchorsUsed: number;
  anchorsTried: number;
  /** residual of the anchor fit in millimetres */
  rmsMm: number;
  /** 0..1 */
  confidence: number;
}

export interface PagePrep {
  page: PageImage;
  /** estimated scan pixels per template millimetre */
  pxPerMm: number;
  /** the page at WORK_PX_PER_MM */
  work: Gray;
  /** ink (dark print or writing) at work resolution, dilated by one pixel */
  workInk: Uint8Array;
}

export async function preparePage(page: PageImage): Promise<PagePrep> {
  const a4 = 297 / 210;
  const portrait = page.height >= page.width;
  const ratio = portrait ? page.height / page.width : page.width / page.height;
  const shortMm = 210;
  const pxPerMm =
    Math.abs(ratio - a4) < 0.04 ? Math.min(page.width, page.height) / shortMm : Math.max(1, page.dpi) / 25.4;
  const k = WORK_PX_PER_MM / pxPerMm;
  const work = await resizeGray(
    { width: page.width, height: page.height, data: page.data },
    Math.max(1, Math.round(page.width * k)),
    Math.max(1, Math.round(page.height * k)),
  );
  return { page, pxPerMm, work, workInk: inkOf(work) };
}

function inkOf(g: Gray): Uint8Array {
  const { width: w, height: h, data } = g;
  const raw = new Uint8Array(w * h);
  for (let i = 0; i < raw.length; i++) raw[i] = (data[i] as number) < 150 ? 1 : 0;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!raw[y * w + x]) continue;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < w) out[yy * w + xx] = 1;
        }
      }
    }
  }
  return out;
}

export interface QrLocation {
  payload: string;
  /** corners in full-resolution scan pixels */
  corners: Point[];
}

/** Look for the form's QR code where it should be: top right, or bottom left when the page is upside down. */
export async function locateQr(prep: PagePrep): Promise<QrLocation | null> {
  // Dust and noise can break the finder patterns: retry on a median-filtered and a smaller copy.
  const variants: Array<() => Promise<Gray>> = [
    async () => prep.work,
    async () => filterGray(prep.work, (s) => s.median(3)),
    async () => resizeGray(prep.work, Math.round((prep.work.width * 2) / 3), Math.round((prep.work.height * 2) / 3)),
  ];
  for (const make of variants) {
    const img = await make();
    const hit = scanForQr(img, prep.pxPerMm / (WORK_PX_PER_MM * (img.width / prep.work.width)));
    if (hit) return hit;
  }
  return null;
}

function scanForQr(work: Gray, up: number): QrLocation | null {
  const W = work.width;
  const H = work.height;
  const regions = [
    { x: W * 0.45, y: 0, w: W * 0.55, h: H * 0.3 },
    { x: 0, y: H * 0.7, w: W * 0.55, h: H * 0.3 },
    { x: 0, y: 0, w: W * 0.55, h: H * 0.3 },
    { x: W * 0.45, y: H * 0.7, w: W * 0.55, h: H * 0.3 },
    undefined,
  ];
  for (const r of regions) {
    const hit = findQr(work, r);
    if (hit) return { payload: hit.payload, corners: hit.corners.map((p) => ({ x: p.x * up, y: p.y * up })) };
  }
  return null;
}

export function coarseFromQr(template: Template, qr: QrLocation): Similarity {
  return fitSimilarity(template.qrCorners, qr.corners);
}

/** A coarse guess without a QR: the page fills the scan, upright or upside down. */
export function coarseFromPage(template: Template, prep: PagePrep, upsideDown: boolean, angleDeg = 0): Similarity {
  const s = prep.pxPerMm;
  const th = (angleDeg * Math.PI) / 180 + (upsideDown ? Math.PI : 0);
  const a = s * Math.cos(th);
  const b = s * Math.sin(th);
  const cx = template.widthMm / 2;
  const cy = template.heightMm / 2;
  const centre = { x: prep.page.width / 2, y: prep.page.height / 2 };
  return { a, b, tx: centre.x - (a * cx - b * cy), ty: centre.y - (b * cx + a * cy) };
}

interface AnchorMatch {
  mm: Point;
  px: Point;
  score: number;
}

function matchAnchors(prep: PagePrep, template: Template, t: Homography, radiusMm: number): AnchorMatch[] {
  const k = WORK_PX_PER_MM / prep.pxPerMm;
  const W = prep.work.width;
  const H = prep.work.height;
  const ink = prep.workInk;
  const R = Math.ceil(radiusMm * WORK_PX_PER_MM);
  const out: AnchorMatch[] = [];
  for (const anchor of template.anchors) {
    const n = anchor.points.length;
    const xs = new Int32Array(n);
    const ys = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const p = applyH(t, anchor.points[i] as Point);
      xs[i] = Math.round(p.x * k);
      ys[i] = Math.round(p.y * k);
    }
    let best = -1;
    let bestDx = 0;
    let bestDy = 0;
    const scoreAt = (dx: number, dy: number): number => {
      let score = 0;
      for (let i = 0; i < n; i++) {
        const x = (xs[i] as number) + dx;
        const y = (ys[i] as number) + dy;
        if (x >= 0 && y >= 0 && x < W && y < H && ink[y * W + x]) score++;
      }
      return score;
    };
    const consider = (dx: number, dy: number) => {
      const score = scoreAt(dx, dy);
      if (score > best || (score === best && dx * dx + dy * dy < bestDx * bestDx + bestDy * bestDy)) {
        best = score;
        bestDx = dx;
        bestDy = dy;
      }
    };
    // Wide searches go coarse first (every other offset; the ink map is dilated by one pixel), then fine around it.
    const step = R > 12 ? 2 : 1;
    for (let dy = -R; dy <= R; dy += step) for (let dx = -R; dx <= R; dx += step) consider(dx, dy);
    if (step > 1) {
      const cx = bestDx;
      const cy = bestDy;
      for (let dy = cy - 1; dy <= cy + 1; dy++) for (let dx = cx - 1; dx <= cx + 1; dx++) consider(dx, dy);
    }
    if (best < 0.7 * n) continue;
    const c = applyH(t, anchor.centre);
    out.push({ mm: anchor.centre, px: { x: c.x + bestDx / k, y: c.y + bestDy / k }, score: best / n });
  }
  return out;
}

/** Fewest agreeing anchors for a projective fit (8 unknowns): fewer keep the similarity. */
const MIN_ANCHORS_PROJECTIVE = 12;

/**
 * Fine registration from a coarse pose: printed anchors are searched within `radiusMm`, a similarity is fitted
 * robustly, and — where the page is seen in perspective (a phone photo) and enough anchors agree — a homography,
 * whose better fit lets the next, narrower search find the anchors the similarity could not reach. `scaleFrom` is
 * the scale the result must stay within 10 % of (the page estimate; the QR's size when the QR gave the pose).
 */
export function refine(
  prep: PagePrep,
  template: Template,
  coarse: Similarity,
  radiusMm: number,
  scaleFrom: number = prep.pxPerMm,
): Registration | null {
  let h = fromSimilarity(coarse);
  let sim = coarse;
  let used = 0;
  let rmsMm = Number.POSITIVE_INFINITY;
  const radii = [radiusMm, Math.min(radiusMm, 3), 1.5, 1.5];
  for (const [pass, r] of radii.entries()) {
    const matches = matchAnchors(prep, template, h, r);
    if (matches.length < 4) {
      if (pass === 0) return null;
      break;
    }
    const from = matches.map((m) => m.mm);
    const to = matches.map((m) => m.px);
    const tol = 1.0 * prep.pxPerMm;
    const fit = fitSimilarityRobust(from, to, tol);
    if (fit.kept.length < 4) return null;
    sim = fit.transform;
    h = fromSimilarity(sim);
    used = fit.kept.length;
    rmsMm = fit.rms / prep.pxPerMm;
    if (matches.length >= MIN_ANCHORS_PROJECTIVE && (rmsMm > 0.15 || used < matches.length)) {
      const proj = fitHomographyRobust(from, to, tol);
      if (
        proj &&
        proj.kept.length >= MIN_ANCHORS_PROJECTIVE &&
        proj.kept.length >= used &&
        proj.rms < 0.8 * fit.rms &&
        plausiblePage(proj.h, template.widthMm, template.heightMm)
      ) {
        h = proj.h;
        used = proj.kept.length;
        rmsMm = proj.rms / prep.pxPerMm;
        sim = fitSimilarity(
          proj.kept.map((i) => from[i] as Point),
          proj.kept.map((i) => to[i] as Point),
        );
      }
    }
    // Converged: the narrow search found every anchor the similarity needs and a flat page stays flat.
    if (pass >= 2 && used === template.anchors.length) break;
  }
  const reg = finish(template, sim, h, used, rmsMm);
  // A plausible page: scale within 10 % of the page estimate (or of the QR's).
  const scaleRatio = scaleOf(sim) / scaleFrom;
  if (scaleRatio < 0.9 || scaleRatio > 1.1) return null;
  return reg;
}

function finish(template: Template, t: Similarity, map: Homography, used: number, rmsMm: number): Registration {
  const angle = angleOf(t);
  const upsideDown = Math.abs(angle) > 90;
  const tried = template.anchors.length;
  const share = tried > 0 ? used / tried : 0;
  const confidence = Math.max(0, Math.min(1, share * 1.5)) * (rmsMm < 0.5 ? 1 : rmsMm < 1 ? 0.8 : 0.5);
  return {
    template,
    transform: t,
    map,
    upsideDown,
    angleDeg: angle,
    anchorsUsed: used,
    anchorsTried: tried,
    rmsMm,
    confidence,
  };
}
