import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { renderCaseSummaryPdf } from "../../../shared/documents/case-summary.ts";
import { renderLetterPdf } from "../../../shared/documents/letter.ts";
import { makeCase, pdfText } from "./support.ts";

describe("documents", () => {
  it("renders a letter with Swedish letters and survives characters outside WinAnsi", async () => {
    const bytes = await renderLetterPdf({
      caseId: "C-1",
      date: "2025-03-20",
      address: ["Vårdcentralen Åby ✓", "Västra Götalandsregionen"],
      addressMissing: false,
      subject: "Retur för komplettering – ärende C-1",
      body: "Hej Zoë Łukasz 李,\n\nÅtgärda följande: ärendet är öppet.",
    });
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    const text = pdfText(bytes);
    expect(text).toContain("Vårdcentralen Åby ?");
    expect(text).toContain("Hej Zoë ?ukasz ?,");
    expect(text).toContain("Retur för komplettering – ärende C-1");
  });

  it("keeps the case summary to one page even with a long history", async () => {
    const record = makeCase({});
    record.history = Array.from({ length: 300 }, (_, i) => ({
      at: "2025-03-18T08:00:00.000Z",
      by: "step",
      what: `entry ${i}`,
    }));
    const doc = await PDFDocument.load(await renderCaseSummaryPdf(record, "2025-03-20T09:30:00.000Z"));
    expect(doc.getPageCount()).toBe(1);
  });
});
