import { describe, expect, it } from "vitest";
import { classifyCaregiver, isApprovedCaregiver, snapToVocabulary } from "../../../shared/domain/caregivers.ts";
import { matchName } from "../../../shared/domain/names.ts";
import { fold, ocrDistance } from "../../../shared/domain/vocabulary.ts";

const APPROVED = [
  "Hälsokällan Vårdcentral AB",
  "Bräcke Läkarpraktik AB",
  "Närvården Älvängen AB",
  "Familjeläkarna i Mölndal AB",
  "Kvinnohälsan Väst AB",
  "Psykiatripartner Göteborg AB",
  "Vårdcentralen Kärra Hälsa AB",
  "Läkarhuset Åby AB",
];

describe("fold", () => {
  it("lower-cases, strips diacritics, treats hyphens as spaces and collapses spaces", () => {
    expect(fold("  Östen-MÅNS   Linnéa ")).toBe("osten mans linnea");
    expect(fold("Lindqvist-Öberg")).toBe(fold("lindqvist  oberg"));
  });
});

describe("fold: punctuation", () => {
  it("treats any punctuation or symbol an OCR puts into a name as a space (typographic quotes too)", () => {
    expect(fold("Söderström” S Söberg")).toBe("soderstrom s soberg");
    expect(fold("O’Brien")).toBe("o brien");
  });
});

describe("ocrDistance", () => {
  it("takes g and q for look-alikes (hand-written and printed)", () => {
    expect(ocrDistance("aqren", "agren")).toBe(0.5);
  });

  it("charges half for look-alike glyphs and full for other edits and swaps", () => {
    expect(ocrDistance("holm", "h0lm")).toBe(0.5);
    expect(ocrDistance("emma", "ernma")).toBe(0.5);
    expect(ocrDistance("kristina", "kristian")).toBe(2);
  });
});

describe("matchName", () => {
  const registry = { givenNames: ["Agneta", "Kristina"], surname: "Isaksson" };

  it("matches one, several or all given names in any order, ignoring case and diacritics", () => {
    for (const given of ["Kristina", "AGNETA", "Kristina Agneta", "agneta kristina"]) {
      expect(matchName({ given, surname: "ISAKSSON" }, registry)).toEqual({ match: true, exact: true, confidence: 1 });
    }
  });

  it("treats a hyphenated registry name as one name, written with hyphen, space or run together", () => {
    const bm = { givenNames: ["Britt-Marie"], surname: "Söderström-Sjöberg" };
    for (const given of ["Britt-Marie", "Britt Marie", "BrittMarie"]) {
      expect(matchName({ given, surname: "Soderstrom Sjoberg" }, bm).exact).toBe(true);
    }
    // "Britt" alone is not one of her given names.
    expect(matchName({ given: "Britt", surname: "Söderström-Sjöberg" }, bm).match).toBe(false);
  });

  it("accepts OCR noise with lower confidence", () => {
    const r = matchName({ given: "Agneta", surname: "lsaksson" }, registry);
    expect(r.match).toBe(true);
    expect(r.exact).toBe(false);
    expect(r.confidence).toBeGreaterThanOrEqual(0.6);
    expect(r.confidence).toBeLessThan(1);
  });

  it("never takes a look-alike real name for the registry name (Kristian ≠ Kristina, Katrin ≠ Karin)", () => {
    expect(matchName({ given: "Kristian", surname: "Isaksson" }, registry).match).toBe(false);
    expect(matchName({ given: "Katrin", surname: "Holm" }, { givenNames: ["Karin"], surname: "Holm" }).match).toBe(
      false,
    );
    expect(
      matchName({ given: "Christian", surname: "Holm" }, { givenNames: ["Christina"], surname: "Holm" }).match,
    ).toBe(false);
  });

  it("rejects another surname, an extra given name, or an empty name", () => {
    expect(matchName({ given: "Agneta", surname: "Svensson" }, registry).match).toBe(false);
    expect(matchName({ given: "Agneta Sofia", surname: "Isaksson" }, registry).match).toBe(false);
    expect(matchName({ given: "", surname: "Isaksson" }, registry).match).toBe(false);
  });
});

describe("snapToVocabulary / caregivers", () => {
  it("snaps an OCR misread to the clearly nearest value", () => {
    const r = snapToVocabulary("Kvinnohalsan Vast A8", APPROVED);
    expect(r.value).toBe("Kvinnohälsan Väst AB");
    expect(r.confidence).toBeGreaterThanOrEqual(0.6);
    expect(r.runnerUpDistance).toBeGreaterThan(r.distance);
  });

  it("never snaps Kvinnohälsan Öst AB to Kvinnohälsan Väst AB", () => {
    const r = snapToVocabulary("Kvinnohälsan Öst AB", APPROVED);
    expect(r.value).toBeNull();
    expect(r.nearest).toBe("Kvinnohälsan Väst AB");
    const c = classifyCaregiver("Kvinnohälsan Öst AB", APPROVED, 0.95);
    expect(c.status).toBe("NOT_APPROVED");
  });

  it("does not snap when two values are equally near", () => {
    const r = snapToVocabulary("Kvinnohälsan xst AB", ["Kvinnohälsan Väst AB", "Kvinnohälsan Öst AB"]);
    expect(r.value).toBeNull();
  });

  it("a doubtful read that does not snap is UNCERTAIN, not NOT_APPROVED", () => {
    expect(classifyCaregiver("Kv1nn0h###n V", APPROVED, 0.3).status).toBe("UNCERTAIN");
  });

  it("isApprovedCaregiver: case-insensitive, extra spaces ignored, the region always approved", () => {
    expect(isApprovedCaregiver("  läkarhuset   ÅBY ab ", APPROVED)).toBe(true);
    expect(isApprovedCaregiver("VÄSTRA GÖTALANDSREGIONEN", [])).toBe(true);
    expect(isApprovedCaregiver("Läkarhuset Åby", APPROVED)).toBe(false);
    expect(isApprovedCaregiver("", APPROVED)).toBe(false);
  });
});
