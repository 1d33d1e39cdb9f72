// Accents the handwriting model cannot write, put back from tesseract's reading of the same line.
import { describe, expect, it } from "vitest";
import { restoreDiacritics } from "../../../shared/extraction/diacritics.ts";

describe("restoreDiacritics", () => {
  it("takes tesseract's å/ä/ö where both readings have the same letter", () => {
    expect(
      restoreDiacritics("Kvinnohalsan barnmorskemottagning Boras", "Kvinnohälsan barnmorske mottaqning Borås"),
    ).toBe("Kvinnohälsan barnmorskemottagning Borås");
    expect(restoreDiacritics("Amira Lundstrom", "Arnira Lundström")).toBe("Amira Lundström");
    expect(restoreDiacritics("AKE", "Åke")).toBe("ÅKE");
  });

  it("keeps the winner's letters where the readings differ, and its own accents", () => {
    expect(restoreDiacritics("Hagglund-Berglund", "Häsaju nd-Becglu vå")).toBe("Hägglund-Berglund");
    expect(restoreDiacritics("Linné", "Linne")).toBe("Linné");
    expect(restoreDiacritics("Nilsson", "Nålsson")).toBe("Nilsson");
  });

  it("leaves a reading without a counterpart as it is", () => {
    expect(restoreDiacritics("Boras", "")).toBe("Boras");
    expect(restoreDiacritics("", "Borås")).toBe("");
  });
});
