// QR code detection with jsQR on a grey image (jsQR wants RGBA).
import jsQRModule from "jsqr";
import type { Point } from "./geometry.ts";
import type { Gray } from "./raster.ts";

// jsqr is CommonJS with a `default` export: unwrap it the same way under tsx, vitest and esbuild.
type JsQr = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: "dontInvert" | "onlyInvert" | "attemptBoth" | "invertFirst" },
) => {
  data: string;
  location: Record<"topLeftCorner" | "topRightCorner" | "bottomRightCorner" | "bottomLeftCorner", Point>;
} | null;
const jsQR: JsQr = ((jsQRModule as unknown as { default?: JsQr }).default ?? jsQRModule) as unknown as JsQr;

export interface QrHit {
  payload: string;
  /** topLeft, topRight, bottomRight, bottomLeft in the QR's own orientation, image pixels. */
  corners: Point[];
}

export function findQr(img: Gray, region?: { x: number; y: number; w: number; h: number }): QrHit | null {
  const rx = Math.max(0, Math.floor(region?.x ?? 0));
  const ry = Math.max(0, Math.floor(region?.y ?? 0));
  const rw = Math.min(img.width - rx, Math.floor(region?.w ?? img.width));
  const rh = Math.min(img.height - ry, Math.floor(region?.h ?? img.height));
  if (rw < 21 || rh < 21) return null;
  const rgba = new Uint8ClampedArray(rw * rh * 4);
  for (let y = 0; y < rh; y++) {
    const row = (ry + y) * img.width + rx;
    for (let x = 0; x < rw; x++) {
      const v = img.data[row + x] as number;
      const o = (y * rw + x) * 4;
      rgba[o] = v;
      rgba[o + 1] = v;
      rgba[o + 2] = v;
      rgba[o + 3] = 255;
    }
  }
  const hit = jsQR(rgba, rw, rh, { inversionAttempts: "dontInvert" });
  if (!hit) return null;
  const l = hit.location;
  const shift = (p: { x: number; y: number }) => ({ x: p.x + rx, y: p.y + ry });
  return {
    payload: hit.data,
    corners: [shift(l.topLeftCorner), shift(l.topRightCorner), shift(l.bottomRightCorner), shift(l.bottomLeftCorner)],
  };
}
