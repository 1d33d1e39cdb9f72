// A synthetic phone photo of a scanned page, for reader tests: the page warped in perspective onto a 3000 × 4000
// desk (the page corners where `corners` says), lit unevenly, slightly blurred, as JPEG.
import sharp from "sharp";
import { applyH, fitHomography } from "../../shared/extraction/homography.ts";

type Point = { x: number; y: number };

export async function phonePhoto(scan: Buffer, corners: [Point, Point, Point, Point]): Promise<Buffer> {
  const { data, info } = await sharp(scan)
    .rotate()
    .greyscale()
    .resize({ width: 2480 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const [W, H, w, h] = [3000, 4000, info.width, info.height];
  const toPage = fitHomography(corners, [
    { x: 0, y: 0 },
    { x: w, y: 0 },
    { x: w, y: h },
    { x: 0, y: h },
  ]);
  if (!toPage) throw new Error("corners do not make a page");
  const at = (x: number, y: number) => data[y * w + x] as number;
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = applyH(toPage, { x, y });
      let v = 105 + ((x * 7 + y * 13) % 17); // the desk
      if (p.x >= 0 && p.y >= 0 && p.x < w - 1 && p.y < h - 1) {
        const [x0, y0] = [Math.floor(p.x), Math.floor(p.y)];
        const [fx, fy] = [p.x - x0, p.y - y0];
        const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
        const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
        v = top * (1 - fy) + bottom * fy;
      }
      const light = 1 - 0.35 * (y / H) * (0.6 + 0.4 * (x / W)); // darker towards the bottom right
      out[y * W + x] = Math.max(0, Math.min(255, v * light));
    }
  }
  return sharp(Buffer.from(out), { raw: { width: W, height: H, channels: 1 } })
    .blur(1.1)
    .jpeg({ quality: 85 })
    .toBuffer();
}
