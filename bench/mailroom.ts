// npx tsx bench/mailroom.ts <dir> --persons <csv> --caregivers <csv> [--staff <csv>] [--out DIR] [--keep]
//
// Does the reader hold up under mail-room conditions beyond the ones a set already has? Every single-form PNG or
// JPEG of <dir> (with its ground truth) is made again three ways and each way is decided by `lockdesk eval` with the
// given registry files:
// - photo: a phone photo (test/support/phone-photo.ts): the page turned up to ±12° and seen in perspective (one
//   side up to 9 % narrower), on a desk, lit unevenly, blurred, JPEG 3000 × 4000;
// - fax: a standard-resolution fax, bi-level CCITT G4 TIFF at 204 × 98 dpi, 1728 px wide;
// - copy: a copy of a copy, 95.5 % about the centre, harder contrast, 0.8° skew, 400 toner specks.
// Prints per way: items, decision accuracy, wrong EXECUTEs, mailed and wrongly mailed addresses, letters — aggregates
// only. Deterministic (every choice is seeded by the file's place in the sorted list). A benchmark, not a test:
// its numbers judge the reader; they are never for tuning it to these variants.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { phonePhoto } from "../test/support/phone-photo.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const USAGE =
  "usage: npx tsx bench/mailroom.ts <dir> --persons <csv> --caregivers <csv> [--staff <csv>] [--out DIR] [--keep]";
const WAYS = ["photo", "fax", "copy"] as const;
type Way = (typeof WAYS)[number];

/** A seeded number in [0, 1) for file `i`, draw `k`. */
const seeded = (i: number, k: number) => Math.abs(Math.sin(i * 12.9898 + k * 78.233) * 43758.5453) % 1;

async function greyPage(file: string) {
  return sharp(await readFile(file))
    .rotate()
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
}

async function photo(file: string, i: number): Promise<{ ext: string; bytes: Buffer }> {
  const turn = ((seeded(i, 1) - 0.5) * 24 * Math.PI) / 180;
  const narrow = seeded(i, 2) * 0.09;
  const [cx, cy, hw, hh] = [1500, 2000, 1150, 1620];
  const corners = [
    { x: -hw * (1 - narrow), y: -hh },
    { x: hw * (1 - narrow), y: -hh },
    { x: hw, y: hh },
    { x: -hw, y: hh },
  ].map((p) => ({
    x: cx + p.x * Math.cos(turn) - p.y * Math.sin(turn),
    y: cy + p.x * Math.sin(turn) + p.y * Math.cos(turn),
  }));
  return { ext: ".jpg", bytes: await phonePhoto(await readFile(file), corners as Parameters<typeof phonePhoto>[1]) };
}

async function fax(file: string): Promise<{ ext: string; bytes: Buffer }> {
  const { data, info } = await greyPage(file);
  const w = 1728;
  const h = Math.round(info.height * (w / info.width) * (98 / 204));
  const bytes = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
    .resize(w, h, { fit: "fill" })
    .threshold(150)
    .toColourspace("b-w")
    .tiff({ compression: "ccittfax4", bitdepth: 1, xres: 204 / 25.4, yres: 98 / 25.4 })
    .toBuffer();
  return { ext: ".tif", bytes };
}

async function copy(file: string): Promise<{ ext: string; bytes: Buffer }> {
  const { data, info } = await greyPage(file);
  const [W, H] = [info.width, info.height];
  const small = await sharp(data, { raw: { width: W, height: H, channels: 1 } })
    .resize(Math.round(W * 0.955), Math.round(H * 0.955))
    .linear(1.5, -70)
    .rotate(0.8, { background: "#ffffff" })
    .png()
    .toBuffer();
  const s = await sharp(small).metadata();
  const specks = Array.from({ length: 400 }, (_, k) => ({
    input: { create: { width: 3 + (k % 4), height: 3 + (k % 3), channels: 3 as const, background: "#000000" } },
    left: (k * 7919) % (W - 10),
    top: (k * 104729) % (H - 10),
  }));
  const bytes = await sharp({ create: { width: W, height: H, channels: 3, background: "#ffffff" } })
    .composite([
      {
        input: small,
        left: Math.max(0, Math.round((W - (s.width ?? W)) / 2)),
        top: Math.max(0, Math.round((H - (s.height ?? H)) / 2)),
      },
      ...specks,
    ])
    .greyscale()
    .png()
    .toBuffer();
  return { ext: ".png", bytes };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      persons: { type: "string" },
      caregivers: { type: "string" },
      staff: { type: "string" },
      out: { type: "string" },
      keep: { type: "boolean", default: false },
    },
  });
  const dir = positionals[0];
  if (!dir || !values.persons || !values.caregivers) {
    console.error(USAGE);
    return 2;
  }
  const out = values.out ?? (await mkdtemp(path.join(os.tmpdir(), "lockdesk-mailroom-")));
  const files = (await readdir(dir)).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort();
  const rows: string[] = [];
  try {
    for (const way of WAYS) {
      const wayDir = path.join(out, way);
      await mkdir(wayDir, { recursive: true });
      for (const [i, f] of files.entries()) {
        const truthFile = path.join(dir, f.replace(/\.\w+$/, ".json"));
        const truth = JSON.parse(await readFile(truthFile, "utf8")) as { file: string; documents?: unknown };
        if (truth.documents) continue; // a batch: its pages are not one form
        const made = await make(way, path.join(dir, f), i);
        const name = `${f.replace(/\.\w+$/, "")}-${way}`;
        await writeFile(path.join(wayDir, name + made.ext), made.bytes);
        await writeFile(path.join(wayDir, `${name}.json`), JSON.stringify({ ...truth, file: name + made.ext }));
      }
      const args = ["eval", wayDir, "--persons", values.persons, "--caregivers", values.caregivers, "--json"];
      if (values.staff) args.push("--staff", values.staff);
      const stdout = execFileSync(process.execPath, [path.join(ROOT, "bin/lockdesk.mjs"), ...args], {
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
      });
      const s = JSON.parse(stdout.trim().split("\n").at(-1) as string) as Record<string, number>;
      rows.push(
        `${way.padEnd(6)} ${String(s.items).padStart(5)}  ${(s.decisionAccuracy ?? 0).toFixed(3).padStart(8)}  ` +
          `${String(s.wrongExecute).padStart(7)}  ${String(s.mailedAddresses).padStart(6)}  ` +
          `${String(s.wrongMailAddresses).padStart(10)}  ${String(s.letters).padStart(7)}`,
      );
      console.error(rows.at(-1));
    }
  } finally {
    if (!values.keep && !values.out) await rm(out, { recursive: true, force: true });
  }
  console.log(`bench:mailroom on ${dir}`);
  console.log("way    items  accuracy  wrongEX  mailed  wrongMail  letters");
  for (const r of rows) console.log(r);
  return 0;
}

function make(way: Way, file: string, i: number): Promise<{ ext: string; bytes: Buffer }> {
  if (way === "photo") return photo(file, i);
  return way === "fax" ? fax(file) : copy(file);
}

process.exitCode = await main();
