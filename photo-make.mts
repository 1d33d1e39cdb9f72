// Synthetic phone photos of sample pages: perspective, a desk around, uneven light, blur, JPEG.
import { readFileSync, writeFileSync } from "node:fs";
import sharp from "sharp";
import { fitHomography, applyH } from "./shared/extraction/homography.ts";
const [src, out, seedArg] = process.argv.slice(2);
const seed = Number(seedArg ?? 1);
const { data, info } = await sharp(readFileSync(src as string)).rotate().greyscale().resize({ width: 2480 }).raw().toBuffer({ resolveWithObject: true });
const W = 3000, H = 4000, w = info.width, h = info.height;
// Where the page corners land in the photo (a tilt towards the top, varied by seed).
const j = (k: number) => ((Math.sin(seed * 12.9898 + k * 78.233) * 43758.5453) % 1) * 60;
const dst = [ { x: 260 + j(1), y: 240 + j(2) }, { x: 2760 + j(3), y: 330 + j(4) }, { x: 2880 + j(5), y: 3800 + j(6) }, { x: 140 + j(7), y: 3700 + j(8) } ];
const srcPts = [ { x: 0, y: 0 }, { x: w, y: 0 }, { x: w, y: h }, { x: 0, y: h } ];
const Hinv = fitHomography(dst, srcPts);
if (!Hinv) throw new Error("no fit");
const outBuf = new Uint8Array(W * H);
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
  const p = applyH(Hinv, { x, y });
  let v = 105 + ((x * 7 + y * 13) % 17); // desk
  if (p.x >= 0 && p.y >= 0 && p.x < w - 1 && p.y < h - 1) {
    const x0 = Math.floor(p.x), y0 = Math.floor(p.y), fx = p.x - x0, fy = p.y - y0;
    const a = data[y0 * w + x0]!, b = data[y0 * w + x0 + 1]!, c = data[(y0 + 1) * w + x0]!, d = data[(y0 + 1) * w + x0 + 1]!;
    v = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
  }
  const light = 1 - 0.35 * (y / H) * (0.6 + 0.4 * (x / W)); // uneven light
  outBuf[y * W + x] = Math.max(0, Math.min(255, v * light));
}
await sharp(Buffer.from(outBuf), { raw: { width: W, height: H, channels: 1 } }).blur(1.1).jpeg({ quality: 85 }).toFile(out as string);
