// Small raster helpers on 8-bit grey images (one byte per pixel, row-major).
import sharp, { type Sharp } from "sharp";
import type { Box, PageImage } from "./document.ts";
import type { Similarity } from "./geometry.ts";
import { fromSimilarity, type Homography } from "./homography.ts";

export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

export async function resizeGray(img: Gray, width: number, height: number): Promise<Gray> {
  return filterGray(img, (s) => s.resize(width, height, { fit: "fill", kernel: "linear" }));
}

export function crop(img: Gray, x0: number, y0: number, w: number, h: number): Gray {
  const x = Math.max(0, Math.floor(x0));
  const y = Math.max(0, Math.floor(y0));
  const cw = Math.max(1, Math.min(img.width - x, Math.floor(w)));
  const ch = Math.max(1, Math.min(img.height - y, Math.floor(h)));
  const out = new Uint8Array(cw * ch);
  for (let r = 0; r < ch; r++) {
    out.set(img.data.subarray((y + r) * img.width + x, (y + r) * img.width + x + cw), r * cw);
  }
  return { width: cw, height: ch, data: out };
}

/**
 * Resample a template-aligned rectangle (millimetres) of the scan into an upright raster of `pxPerMm`,
 * through the template→scan transform (a similarity or a homography). Bilinear; outside the scan is white.
 */
export function warpRegion(scan: Gray, t: Similarity | Homography, box: Box, pxPerMm: number): Gray {
  const h: Homography = "a" in t ? fromSimilarity(t) : t;
  const w = Math.max(1, Math.round(box.w * pxPerMm));
  const rows = Math.max(1, Math.round(box.h * pxPerMm));
  const out = new Uint8Array(w * rows);
  const step = 1 / pxPerMm;
  const W = scan.width;
  const H = scan.height;
  const d = scan.data;
  // Walk in template mm: numerator and denominator of the projection are linear along a row.
  for (let r = 0; r < rows; r++) {
    const my = box.y + step / 2 + r * step;
    const mx0 = box.x + step / 2;
    let nx = h[0] * mx0 + h[1] * my + h[2];
    let ny = h[3] * mx0 + h[4] * my + h[5];
    let nw = h[6] * mx0 + h[7] * my + h[8];
    const dnx = h[0] * step;
    const dny = h[3] * step;
    const dnw = h[6] * step;
    for (let c = 0; c < w; c++) {
      const sx = nx / nw;
      const sy = ny / nw;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      let v = 255;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < W && y0 + 1 < H) {
        const fx = sx - x0;
        const fy = sy - y0;
        const i = y0 * W + x0;
        const top = (d[i] as number) * (1 - fx) + (d[i + 1] as number) * fx;
        const bot = (d[i + W] as number) * (1 - fx) + (d[i + W + 1] as number) * fx;
        v = top * (1 - fy) + bot * fy;
      }
      out[r * w + c] = v;
      nx += dnx;
      ny += dny;
      nw += dnw;
    }
  }
  return { width: w, height: rows, data: out };
}

export function toPageGray(p: PageImage): Gray {
  return { width: p.width, height: p.height, data: p.data };
}

export async function encodePng(img: Gray): Promise<Buffer> {
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: 1 },
  })
    .withMetadata({ density: 300 })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/** Rotate by 180° in place-free fashion. */
export function rotate180(img: Gray): Gray {
  const n = img.data.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = img.data[n - 1 - i] as number;
  return { width: img.width, height: img.height, data: out };
}

export async function filterGray(img: Gray, f: (s: Sharp) => Sharp): Promise<Gray> {
  const { data, info } = await f(
    sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
      raw: { width: img.width, height: img.height, channels: 1 },
    }),
  )
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** A connected set of set pixels of a mask: its pixel indices and bounding box. */
export interface Component {
  px: number[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Connected components of a w×h mask (non-zero = set), in the order of their first pixel (row-major).
 * 4-neighbour by default; `eightConnected` also joins diagonal neighbours.
 */
export function connectedComponents(mask: Uint8Array, w: number, h: number, eightConnected = false): Component[] {
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  const comps: Component[] = [];
  const steps = eightConnected
    ? [
        [-1, -1],
        [0, -1],
        [1, -1],
        [-1, 0],
        [1, 0],
        [-1, 1],
        [0, 1],
        [1, 1],
      ]
    : [
        [-1, 0],
        [1, 0],
        [0, -1],
        [0, 1],
      ];
  for (let i = 0; i < w * h; i++) {
    if (!mask[i] || seen[i]) continue;
    const c: Component = { px: [], x0: w, y0: h, x1: 0, y1: 0 };
    stack.push(i);
    seen[i] = 1;
    while (stack.length > 0) {
      const j = stack.pop() as number;
      c.px.push(j);
      const x = j % w;
      const y = (j - x) / w;
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      for (const [dx, dy] of steps as Array<[number, number]>) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const q = yy * w + xx;
        if (mask[q] && !seen[q]) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    comps.push(c);
  }
  return comps;
}
