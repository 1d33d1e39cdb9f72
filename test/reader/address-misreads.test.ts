// Only exact addresses are mailed: the three misread patterns of issue 12 ("gosta_lindberg@…" read as
// "gostalindberg@…", "…@vgregjon.se", "dgonkliniken…") recreated on a real sample's e-mail box with the real reader
// (tesseract + PP-OCR, as `lockdesk read` runs it). Each becomes a letter by THE mail rule (domain/mail-safety.ts
// addressFate, which SendMail and `lockdesk eval` use), while the same addresses written plainly are read exactly
// and mailed.
import { afterAll, describe, expect, it } from "vitest";
import { LocalOcr } from "../../shared/adapters/local/local-ocr.ts";
import { addressFate } from "../../shared/domain/mail-safety.ts";
import { readField } from "../../shared/extraction/fields.ts";
import { locate } from "../support/scan-surgery.ts";
import { type TextPart, writeIntoField } from "../support/write-into-field.ts";

const ocr = new LocalOcr();
afterAll(() => ocr.close());

/** sample-10 (1177-EGEN, typed, its citizen e-mail box empty) with `parts` typed into that box, read as the reader does. */
async function readCitizenEmail(parts: TextPart[]): Promise<{ value: string; confidence: number }> {
  const scan = await locate("sample-10.png");
  await writeIntoField(scan, "citizen.email", parts);
  const r = await readField(scan.page, scan.reg, scan.field("citizen.email"), 0, { ocr });
  return { value: String(r.value), confidence: r.confidence };
}

const fate = (r: { value: string; confidence: number }) =>
  addressFate({ value: r.value, confidence: r.confidence, corrected: false });

describe("misread addresses become letters, never mails", () => {
  it("a faint underscore the OCR drops (gosta_lindberg@… read as gostalindberg@…)", async () => {
    const r = await readCitizenEmail([
      { text: "gosta" },
      { text: "_", fill: "#d8d8d8" },
      { text: "lindberg@telia.com" },
    ]);
    expect(r.value).toBe("gostalindberg@telia.com"); // the misread: someone else's mailbox
    expect(fate(r)).toEqual({ fate: "LETTER", address: "gostalindberg@telia.com" });
  });

  it("a faint dot or hyphen the OCR drops", async () => {
    for (const [mark, rest] of [
      [".", "lindberg@telia.com"],
      ["-", "karin.berg@telia.com"],
    ] as const) {
      const r = await readCitizenEmail([
        { text: mark === "." ? "gosta" : "anna" },
        { text: mark, fill: "#d0d0d0" },
        { text: rest },
      ]);
      expect(r.value).not.toContain(mark === "." ? "gosta." : "anna-");
      expect(fate(r).fate).toBe("LETTER");
    }
  });

  it("…@vgregjon.se: a domain one look-alike letter from the region's own", async () => {
    const r = await readCitizenEmail([{ text: "anna.berg@vgregjon.se" }]);
    expect(r.value).toBe("anna.berg@vgregjon.se");
    expect(fate(r).fate).toBe("LETTER");
  });

  it("ögonkliniken…: a mark the address alphabet has no letter for, read as a look-alike (6gonkliniken / dgonkliniken)", async () => {
    const r = await readCitizenEmail([{ text: "ögonkliniken.nal@vgregion.se" }]);
    expect(r.value).not.toBe("ogonkliniken.nal@vgregion.se");
    expect(r.value).toMatch(/gonkliniken\.nal@vgregion\.se$/);
    expect(fate(r).fate).toBe("LETTER");
  });

  it("the same addresses written plainly are read letter for letter and mailed", async () => {
    for (const address of ["gosta_lindberg@telia.com", "anna-karin.berg@telia.com", "ogonkliniken.nal@vgregion.se"]) {
      const r = await readCitizenEmail([{ text: address }]);
      expect(fate(r)).toEqual({ fate: "MAIL", address, source: "READ" });
    }
  });
});
