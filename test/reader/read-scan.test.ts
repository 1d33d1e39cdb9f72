// The reader on real scans, also turned upside down, skewed and shifted: form, action and the marks that decide
// (checkboxes, signatures, empty boxes) come from the pixels; text and digits through the OCR port.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { LocalOcr } from "../../shared/adapters/local/local-ocr.ts";
import { readScan } from "../../shared/extraction/reader.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/scans/${name}`, import.meta.url));
const truthOf = (name: string) =>
  JSON.parse(readFileSync(fixture(name.replace(/\.\w+$/, ".json")), "utf8")) as {
    formCode: string | null;
    action: string | null;
    fields: Record<string, string | boolean>;
  };

const ocr = new LocalOcr();
afterAll(() => ocr.close());

function marks(fields: Record<string, { value: unknown }>, truth: Record<string, unknown>) {
  return Object.keys(truth).filter((k) => typeof truth[k] === "boolean" && fields[k]?.value !== truth[k]);
}

describe("readScan", () => {
  it("reads a clean typed 1177-EGEN scan: every checkbox and signature, the personnummer and names", async () => {
    const truth = truthOf("sample-01.png");
    const r = await readScan({ bytes: readFileSync(fixture("sample-01.png")), fileName: "sample-01.png" }, { ocr });
    expect(r.form.formCode).toBe("1177-EGEN");
    expect(r.form.action).toBe(truth.action);
    expect(marks(r.form.fields, truth.fields)).toEqual([]);
    expect(r.form.fields["citizen.personnummer"]?.value).toBe(truth.fields["citizen.personnummer"]);
    expect(r.form.fields["citizen.surname"]?.value).toBe(truth.fields["citizen.surname"]);
    expect(r.registration?.via).toBe("qr");
    expect(r.registration?.rmsMm).toBeLessThan(0.5);
    for (const f of Object.values(r.form.fields)) {
      expect(f.confidence).toBeGreaterThanOrEqual(0);
      expect(f.confidence).toBeLessThanOrEqual(1);
      expect(f.box).toBeDefined();
    }
  });

  it("reads the same form rotated 180° and skewed 2°, shifted on the page", async () => {
    const truth = truthOf("sample-01.png");
    const turned = await sharp(readFileSync(fixture("sample-01.png")))
      .rotate(182, { background: "#ffffff" })
      .extend({ top: 40, left: 0, right: 30, bottom: 0, background: "#ffffff" })
      .resize(2479, 3508, { fit: "fill" })
      .png()
      .toBuffer();
    const r = await readScan({ bytes: turned, fileName: "turned.png" }, { ocr });
    expect(r.form.formCode).toBe("1177-EGEN");
    expect(r.registration?.upsideDown).toBe(true);
    expect(r.form.action).toBe(truth.action);
    expect(marks(r.form.fields, truth.fields)).toEqual([]);
    expect(r.form.fields["citizen.personnummer"]?.value).toBe(truth.fields["citizen.personnummer"]);
  });

  it("takes the form from page 1 of a two-page PDF (page 2 is an attachment)", async () => {
    const truth = truthOf("sample-12.pdf");
    const r = await readScan({ bytes: readFileSync(fixture("sample-12.pdf")), fileName: "sample-12.pdf" }, { ocr });
    expect(r.pageCount).toBe(2);
    expect(r.formPage).toBe(0);
    expect(r.form.formCode).toBe(truth.formCode);
    expect(marks(r.form.fields, truth.fields)).toEqual([]);
  });

  it("says a letter is not one of the forms", async () => {
    const r = await readScan({ bytes: readFileSync(fixture("sample-22.jpg")), fileName: "sample-22.jpg" }, { ocr });
    expect(r.form.formCode).toBeNull();
    expect(r.form.action).toBeNull();
    expect(r.form.fields).toEqual({});
  });

  it("finds the form by its printed anchors when the QR code is gone", async () => {
    const truth = truthOf("sample-03.png");
    // White out the QR code's corner (top right) of a 1177-VG scan.
    const bytes = await sharp(readFileSync(fixture("sample-03.png")))
      .composite([
        {
          input: { create: { width: 420, height: 420, channels: 3, background: "#ffffff" } },
          left: 2030,
          top: 40,
        },
      ])
      .png()
      .toBuffer();
    const r = await readScan({ bytes, fileName: "no-qr.png" }, { ocr });
    expect(r.registration?.via).toBe("anchors");
    expect(r.form.formCode).toBe("1177-VG");
    expect(r.form.action).toBe(truth.action);
    expect(marks(r.form.fields, truth.fields)).toEqual([]);
  });

  it("reads a form whose QR a stamp and a crease have damaged: the printed anchors carry the registration", async () => {
    const truth = truthOf("sample-03.png");
    // Purple stamp ink over the lower half of the QR (2030,40 … 2450,460 on this scan), with a stamp's text bars
    // across it, and a white crease through the middle: the QR no longer decodes as printed.
    const stamp = Buffer.from(
      `<svg width="460" height="300" xmlns="http://www.w3.org/2000/svg">
        <rect x="0" y="0" width="460" height="300" fill="#7a3fa0" fill-opacity="0.55"/>
        <rect x="20" y="40" width="400" height="26" fill="#5a2080"/>
        <rect x="40" y="120" width="360" height="22" fill="#5a2080"/>
        <rect x="0" y="190" width="460" height="14" fill="#ffffff"/>
      </svg>`,
    );
    const damaged = await sharp(readFileSync(fixture("sample-03.png")))
      .composite([{ input: stamp, left: 2010, top: 230 }])
      .png()
      .toBuffer();
    const r = await readScan({ bytes: damaged, fileName: "damaged-qr.png" }, { ocr });
    expect(r.registration?.via).toBe("anchors");
    expect(r.form.formCode).toBe("1177-VG");
    expect(r.form.action).toBe(truth.action);
    expect(marks(r.form.fields, truth.fields)).toEqual([]);
    expect(r.registration?.rmsMm).toBeLessThan(0.5);
  });

  it("finds the form without its QR code upside down and skewed, and gives a blank page up quickly", async () => {
    const truth = truthOf("sample-03.png");
    const noQr = await sharp(readFileSync(fixture("sample-03.png")))
      .composite([
        { input: { create: { width: 420, height: 420, channels: 3, background: "#ffffff" } }, left: 2030, top: 40 },
      ])
      .png()
      .toBuffer();
    const turned = await sharp(noQr)
      .rotate(181.8, { background: "#ffffff" })
      .resize(2479, 3508, { fit: "fill" })
      .png()
      .toBuffer();
    const r = await readScan({ bytes: turned, fileName: "no-qr-turned.png" }, { ocr });
    expect(r.registration?.via).toBe("anchors");
    expect(r.registration?.upsideDown).toBe(true);
    expect(r.form.formCode).toBe("1177-VG");
    expect(r.form.action).toBe(truth.action);
    expect(marks(r.form.fields, truth.fields)).toEqual([]);

    const blank = await sharp({ create: { width: 2479, height: 3508, channels: 3, background: "#ffffff" } })
      .png()
      .toBuffer();
    const b = await readScan({ bytes: blank, fileName: "blank.png" }, { ocr });
    expect(b.form.formCode).toBeNull();
    expect(b.timings.locateMs).toBeLessThan(30_000);
  });
});
