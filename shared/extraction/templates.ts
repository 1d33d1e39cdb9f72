// Form templates: field boxes (millimetres) from templates/<code>.fields.json and the blank form image, from which
// the QR position and the printed labels' ink (the registration anchors) are derived at run time.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { z } from "zod";
import { type FieldType, FORM_CODES, type FormCode } from "../domain/forms.ts";
import type { Box } from "./document.ts";
import type { Point } from "./geometry.ts";
import { findQr } from "./qr.ts";
import type { Gray } from "./raster.ts";

const BoxSchema = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
const FieldSchema = z.object({
  name: z.string(),
  type: z.enum(["checkbox", "personnummer", "text", "signature"]),
  label: z.string(),
  box: BoxSchema,
  combCells: z.array(BoxSchema).optional(),
});
const TemplateFileSchema = z.object({
  formCode: z.enum(FORM_CODES),
  version: z.string(),
  qrPayload: z.string(),
  page: z.object({ widthMm: z.number(), heightMm: z.number() }),
  fields: z.array(FieldSchema),
});

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  box: Box;
  combCells?: Box[];
}

/** A patch of printed ink (labels, headings, instructions) that no field value is written over. */
export interface Anchor {
  centre: Point; // mm
  points: Point[]; // ink points in mm
}

export interface Template {
  formCode: FormCode;
  version: string;
  qrPayload: string;
  widthMm: number;
  heightMm: number;
  fields: FieldDef[];
  /** QR corners in mm: topLeft, topRight, bottomRight, bottomLeft (the QR's own orientation). */
  qrCorners: Point[];
  /** Printed ink at INK_PX_PER_MM, 1 = ink. Used to tell printed labels from written values. */
  ink: Gray;
  anchors: Anchor[];
}

export const INK_PX_PER_MM = 8;
/**
 * The templates folder: beside the Lambda bundle (one index.mjs, forms/templates copied next to it at synth, see
 * infra/stacks/pipeline-stack.ts), else the source tree's shared/forms/templates.
 */
export function templateDir(here: string = path.dirname(fileURLToPath(import.meta.url))): string {
  const candidates = [path.join(here, "forms/templates"), path.resolve(here, "../forms/templates")];
  return candidates.find((d) => existsSync(path.join(d, `${FORM_CODES[0]}.fields.json`))) ?? (candidates[1] as string);
}
const TEMPLATE_DIR = templateDir();

let cache: Promise<Map<FormCode, Template>> | undefined;

export function loadTemplates(dir = TEMPLATE_DIR): Promise<Map<FormCode, Template>> {
  if (!cache || dir !== TEMPLATE_DIR) {
    const p = (async () => {
      const loaded = await Promise.all(FORM_CODES.map((code) => loadTemplate(dir, code)));
      return new Map<FormCode, Template>(loaded.map((t) => [t.formCode, t]));
    })();
    if (dir !== TEMPLATE_DIR) return p;
    cache = p;
  }
  return cache;
}

async function loadTemplate(dir: string, code: FormCode): Promise<Template> {
  const def = TemplateFileSchema.parse(JSON.parse(await readFile(path.join(dir, `${code}.fields.json`), "utf8")));
  const png = await readFile(path.join(dir, `${code}.png`));
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const full: Gray = { width: info.width, height: info.height, data: new Uint8Array(data) };
  const pxPerMm = info.width / def.page.widthMm;
  // The QR sits top right on every form; searching there only keeps the cold start short.
  const qr = findQr(full, { x: full.width * 0.6, y: 0, w: full.width * 0.4, h: full.height * 0.15 }) ?? findQr(full);
  if (!qr) throw new Error(`template ${code}: no QR code found in the blank form image`);
  const qrCorners = qr.corners.map((p) => ({ x: p.x / pxPerMm, y: p.y / pxPerMm }));
  const ink = inkMap(full, pxPerMm, def.page.widthMm, def.page.heightMm);
  const fields: FieldDef[] = def.fields.map((f) => ({
    name: f.name,
    type: f.type,
    label: f.label,
    box: f.box,
    ...(f.combCells ? { combCells: f.combCells } : {}),
  }));
  return {
    formCode: def.formCode,
    version: def.version,
    qrPayload: def.qrPayload,
    widthMm: def.page.widthMm,
    heightMm: def.page.heightMm,
    fields,
    qrCorners,
    ink,
    anchors: pickAnchors(ink, fields, def.page.widthMm, def.page.heightMm),
  };
}

/** Black print (not the light dropout colour) at INK_PX_PER_MM: a cell is ink if any source pixel in it is dark. */
function inkMap(img: Gray, pxPerMm: number, widthMm: number, heightMm: number): Gray {
  const w = Math.round(widthMm * INK_PX_PER_MM);
  const h = Math.round(heightMm * INK_PX_PER_MM);
  const out = new Uint8Array(w * h);
  const f = pxPerMm / INK_PX_PER_MM;
  for (let y = 0; y < img.height; y++) {
    const oy = Math.min(h - 1, Math.floor(y / f));
    for (let x = 0; x < img.width; x++) {
      if ((img.data[y * img.width + x] as number) < 110) out[oy * w + Math.min(w - 1, Math.floor(x / f))] = 1;
    }
  }
  return { width: w, height: h, data: out };
}

const LABEL_STRIP_MM = 4;

/** Anchor patches: tiles of printed ink that do not overlap where values are written. */
function pickAnchors(ink: Gray, fields: FieldDef[], widthMm: number, heightMm: number): Anchor[] {
  const valueAreas = fields.map((f) => ({
    x: f.box.x,
    y: f.box.y + LABEL_STRIP_MM,
    w: f.box.w,
    h: Math.max(0, f.box.h - LABEL_STRIP_MM),
  }));
  const tileW = 24;
  const tileH = 10;
  const candidates: Array<Anchor & { score: number; col: number; row: number }> = [];
  for (let ty = 6; ty + tileH <= heightMm - 6; ty += tileH / 2) {
    for (let tx = 6; tx + tileW <= widthMm - 6; tx += tileW / 2) {
      const tile = { x: tx, y: ty, w: tileW, h: tileH };
      if (valueAreas.some((v) => overlap(tile, v) > 0.05 * tileW * tileH)) continue;
      const points: Point[] = [];
      for (let y = Math.round(ty * INK_PX_PER_MM); y < Math.round((ty + tileH) * INK_PX_PER_MM); y += 2) {
        for (let x = Math.round(tx * INK_PX_PER_MM); x < Math.round((tx + tileW) * INK_PX_PER_MM); x += 2) {
          if (ink.data[y * ink.width + x]) points.push({ x: (x + 0.5) / INK_PX_PER_MM, y: (y + 0.5) / INK_PX_PER_MM });
        }
      }
      const density = points.length / ((tileW * tileH * INK_PX_PER_MM * INK_PX_PER_MM) / 4);
      // Text-like density: enough structure to lock onto, not a solid block.
      if (points.length < 60 || density > 0.45) continue;
      // Structure in both directions: a lone horizontal rule cannot fix a horizontal offset.
      const xs = new Set(points.map((p) => Math.round(p.x)));
      const ys = new Set(points.map((p) => Math.round(p.y)));
      if (xs.size < 6 || ys.size < 2) continue;
      candidates.push({
        centre: { x: tx + tileW / 2, y: ty + tileH / 2 },
        points,
        score: points.length,
        col: Math.floor(tx / (widthMm / 3)),
        row: Math.floor(ty / (heightMm / 8)),
      });
    }
  }
  // Spread anchors over the page: the best few per cell of a 3 × 8 grid.
  const chosen: Anchor[] = [];
  const byCell = new Map<string, typeof candidates>();
  for (const c of candidates) {
    const k = `${c.col}:${c.row}`;
    byCell.set(k, [...(byCell.get(k) ?? []), c]);
  }
  for (const list of byCell.values()) {
    list.sort((p, q) => q.score - p.score);
    for (const c of list.slice(0, 2)) chosen.push({ centre: c.centre, points: c.points });
  }
  return chosen;
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export function templateInkAt(t: Template, xMm: number, yMm: number): boolean {
  const x = Math.floor(xMm * INK_PX_PER_MM);
  const y = Math.floor(yMm * INK_PX_PER_MM);
  if (x < 0 || y < 0 || x >= t.ink.width || y >= t.ink.height) return false;
  return t.ink.data[y * t.ink.width + x] === 1;
}
