// Adversarial hand-written forms, made from the real hand-written dev sample by moving its own ink between boxes
// (no invented handwriting): another person's name in the child's name box, the child's own number as a guardian's
// (a misread that passes the check digit), a missing signature. The reader and the rules must never EXECUTE them.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { CsvCaregiverList } from "../../shared/adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../../shared/adapters/local/csv-person-registry.ts";
import { LocalOcr } from "../../shared/adapters/local/local-ocr.ts";
import type { Box } from "../../shared/extraction/document.ts";
import { readScan } from "../../shared/extraction/reader.ts";
import { validateForm } from "../../shared/use-cases/validate-form.ts";
import { type LocatedScan, locate, moveInk, pagePng, SCANS } from "../support/scan-surgery.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ocr = new LocalOcr();
const registry = CsvPersonRegistry.fromFile(`${ROOT}data/persons.csv`);
const caregivers = CsvCaregiverList.fromFile(`${ROOT}data/approved-caregivers.csv`);
const truth = JSON.parse(readFileSync(`${SCANS}sample-09.json`, "utf8")) as {
  receivedDate: string;
  fields: Record<string, string>;
};
afterAll(() => ocr.close());

async function decide(png: Buffer) {
  const read = await readScan({ bytes: png, fileName: "altered.png" }, { ocr });
  const v = await validateForm({ form: read.form, receivedDate: truth.receivedDate }, { registry, caregivers });
  return { read, decision: v.decision, reasons: v.reasons };
}

/** The writing area of a text box: below its printed label, inside its frame. */
function writingArea(b: Box, h = 8.2): Box {
  return { x: b.x + 0.8, y: b.y + b.h - h - 0.6, w: b.w - 1.6, h };
}

function wipe(scan: LocatedScan, b: Box): void {
  // The page margin left of the form's boxes is blank paper: copy it over the box strip by strip.
  const strip = 8;
  for (let x = 0; x < b.w; x += strip) {
    const w = Math.min(strip, b.w - x);
    moveInk(scan, { x: 3, y: b.y, w, h: b.h }, { x: b.x + x, y: b.y, w, h: b.h });
  }
}

describe("hand-written sample, altered", () => {
  it("as scanned: EXECUTE (the control)", async () => {
    const scan = await locate("sample-09.png");
    const r = await decide(await pagePng(scan));
    expect({ decision: r.decision, reasons: r.reasons }).toEqual({ decision: "EXECUTE", reasons: [] });
  }, 120_000);

  it("a guardian's name written in the child's surname box: never EXECUTE, a name problem or doubt", async () => {
    const scan = await locate("sample-09.png");
    const box = scan.field("child.surname").box;
    const to = writingArea(box);
    const from = writingArea(scan.field("guardian2.name").box);
    wipe(scan, { x: box.x + 0.8, y: box.y + 3, w: box.w - 1.6, h: box.h - 3.6 });
    moveInk(scan, from, to);
    const r = await decide(await pagePng(scan));
    expect(r.read.form.fields["child.surname"]?.value).not.toBe("");
    expect(r.decision).toBe("REVIEW");
    expect(
      r.reasons.some((c) => c === "NAME_MISMATCH" || c === "LOW_CONFIDENCE"),
      r.reasons.join(),
    ).toBe(true);
  }, 120_000);

  it("the child's own valid number written as guardian 1 (passes the check digit): GUARDIAN_MISMATCH, not EXECUTE", async () => {
    const scan = await locate("sample-09.png");
    const child = scan.field("child.personnummer").combCells ?? [];
    const guardian = scan.field("guardian1.personnummer").combCells ?? [];
    expect(child).toHaveLength(12);
    guardian.forEach((cell, i) => {
      const src = child[i] as Box;
      const inner = (b: Box): Box => ({ x: b.x + 0.3, y: b.y + 0.3, w: b.w - 0.6, h: b.h - 0.6 });
      moveInk(scan, inner(src), inner(cell));
    });
    const r = await decide(await pagePng(scan));
    expect(r.decision).toBe("REVIEW");
    expect(
      r.reasons.some((c) => c === "GUARDIAN_MISMATCH" || c === "LOW_CONFIDENCE"),
      r.reasons.join(),
    ).toBe(true);
    if (r.reasons.includes("GUARDIAN_MISMATCH")) {
      expect(r.read.form.fields["guardian1.personnummer"]?.value).toBe(truth.fields["child.personnummer"]);
    }
  }, 120_000);

  it("faded (low contrast): whatever the reader makes of it, no RETURN the form did not earn", async () => {
    const faded = await sharp(readFileSync(`${SCANS}sample-09.png`))
      .linear(0.45, 120)
      .png()
      .toBuffer();
    const r = await decide(faded);
    expect(r.decision, r.reasons.join()).not.toBe("RETURN");
    if (r.decision === "EXECUTE")
      expect(r.read.form.fields["guardian1.personnummer"]?.value).toBe(truth.fields["guardian1.personnummer"]);
  }, 120_000);

  it("the requester's signature wiped: RETURN NOT_VIDIMATED, the account untouched", async () => {
    const scan = await locate("sample-09.png");
    const sig = scan.field("requester.signed").box;
    wipe(scan, { x: sig.x + 0.8, y: sig.y + 0.8, w: sig.w - 1.6, h: sig.h - 1.6 });
    const r = await decide(await pagePng(scan));
    expect(r.read.form.fields["requester.signed"]?.value).toBe(false);
    expect({ decision: r.decision, reasons: r.reasons }).toEqual({ decision: "RETURN", reasons: ["NOT_VIDIMATED"] });
  }, 120_000);
});
