// How a line tesseract was unsure of and the handwriting reader's reading of it become one field value.
import { describe, expect, it } from "vitest";
import { combineReadings, handwritingCharset, normaliseVgrId } from "../../../shared/extraction/fields.ts";

const hand = (text: string, confidence: number, weakest = confidence) => ({ text, confidence, weakest });

describe("combineReadings", () => {
  it("agreeing up to diacritics and spacing: tesseract's spelling with the better confidence", () => {
    expect(combineReadings({ value: "Närhälsan Lerum", confidence: 0.6 }, hand("NarhalsanLerum", 0.9), false)).toEqual({
      value: "Närhälsan Lerum",
      confidence: 0.9,
    });
  });

  it("agreeing letter for letter on an address: confident even when each reader alone was not", () => {
    const printed = { value: "mattias.johansson@vgregion.se", confidence: 0.01 };
    expect(combineReadings(printed, hand("Mattias.johansson@vgregion.se", 0.96, 0.01), true)).toEqual({
      value: "mattias.johansson@vgregion.se",
      confidence: 0.9,
    });
    // One character apart is not agreement for an address.
    expect(combineReadings(printed, hand("mattias.johanson@vgregion.se", 0.96, 0.2), true).confidence).toBeLessThan(
      0.5,
    );
  });

  it("differing: a typed read tesseract half trusts stays", () => {
    expect(combineReadings({ value: "Borås", confidence: 0.55 }, hand("Boras AB", 0.95), false)).toEqual({
      value: "Borås",
      confidence: 0.55,
    });
  });

  it("differing: below that, the surer handwriting reading wins (tidied)", () => {
    expect(
      combineReadings({ value: "Häsaju nd-Becglu vå", confidence: 0.32 }, hand(" Hagglund-Berglund ", 0.8), false),
    ).toEqual({ value: "Hägglund-Berglund", confidence: 0.8 });
  });

  it("differing, on a field checked against a list: the handwriting reading stays doubtful", () => {
    const printed = { value: "Psykiata pad wee Gat eb", confidence: 0.3 };
    expect(combineReadings(printed, hand("Psykiatripatner Goteborg AB", 0.86), false, true)).toEqual({
      value: "Psykiatripatner Goteborg AB",
      confidence: 0.45,
      alternatives: ["Psykiata pad wee Gat eb"],
    });
  });

  it("differing, on a field checked against a list: tesseract's half-trusted read is kept, but doubtful", () => {
    const printed = { value: "Psykiatrlpartner Gotehorq AB", confidence: 0.62 };
    expect(combineReadings(printed, hand("Psykiatripartner Goteborg AB", 0.9), false, true)).toEqual({
      value: "Psykiatrlpartner Gotehorq AB",
      confidence: 0.45,
      alternatives: ["Psykiatripartner Goteborg AB"],
    });
  });

  it("differing: a less sure handwriting reading does not replace tesseract's", () => {
    expect(combineReadings({ value: "Sw Wal hn", confidence: 0.45 }, hand("Siv Wallin", 0.4), false)).toEqual({
      value: "Sw Wal hn",
      confidence: 0.45,
    });
  });

  it("two different valid addresses (a speck read as a dot): tesseract's, doubtful", () => {
    const printed = { value: "elsa.eklund@vgregion.se", confidence: 0.12 };
    expect(combineReadings(printed, hand("elsa.eklund@v.gregion.se", 0.99, 0.94), true)).toEqual({
      value: "elsa.eklund@vgregion.se",
      confidence: 0.12,
    });
    const surer = { value: "elsa.eklund@vgregion.se", confidence: 0.7 };
    expect(combineReadings(surer, hand("elsa.eklund@v.gregion.se", 0.99, 0.94), true).confidence).toBe(0.5);
  });

  it("an address only the handwriting reader could read: lower-cased, as sure as its least sure character", () => {
    const r = combineReadings({ value: "avva lingpsyk", confidence: 0.01 }, hand("Siv.wallin@x.se", 0.92, 0.41), true);
    expect(r).toEqual({ value: "siv.wallin@x.se", confidence: 0.41 });
  });

  it("nothing read by hand: tesseract's reading as it was", () => {
    expect(combineReadings({ value: "Läkare", confidence: 0.4 }, hand("", 0), false)).toEqual({
      value: "Läkare",
      confidence: 0.4,
    });
  });
});

describe("handwritingCharset", () => {
  it("keeps each kind of field to its alphabet", () => {
    expect(handwritingCharset("child.surname")).not.toMatch(/[0-9/@]/);
    expect(handwritingCharset("citizen.givenName")).toContain("-");
    expect(handwritingCharset("requester.email")).toContain("@");
    expect(handwritingCharset("requester.email")).toContain("S");
    expect(handwritingCharset("verifier.phone")).toBe("0123456789 -+");
    expect(handwritingCharset("requester.date")).not.toMatch(/[a-z]/);
    expect(handwritingCharset("requester.vgrId")).not.toContain(" ");
    expect(handwritingCharset("requester.caregiver")).toContain("&");
  });
});

describe("normaliseVgrId", () => {
  it("writes a read of the VGR-ID's shape in lower-case ASCII", () => {
    expect(normaliseVgrId("mätjo761")).toBe("matjo761");
    expect(normaliseVgrId("Sivwa34")).toBe("sivwa34");
    expect(normaliseVgrId("annjo 12")).toBe("annjo12");
  });

  it("leaves anything of another shape as read (a handler sees what was there)", () => {
    expect(normaliseVgrId("SNWWa3 4x")).toBe("SNWWa3 4x");
    expect(normaliseVgrId("ann12")).toBe("ann12");
    expect(normaliseVgrId("")).toBe("");
  });
});
