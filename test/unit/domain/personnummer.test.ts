import { describe, expect, it } from "vitest";
import {
  ageOn,
  birthDate,
  checkPersonnummer,
  isValidPersonnummer12,
  luhnCheckDigit,
} from "../../../shared/domain/personnummer.ts";

// All numbers are Skatteverket test personnummer (test/fixtures/registry/persons.csv, testpersonnummer.txt).
const VALID = ["196408233234", "198207142392", "201202292395", "202412312387", "189001019802"];

/** A samordningsnummer derived from the test number 189001019802 (born 1890: no living person). */
function coordinationFrom(pnr: string): string {
  const day = Number(pnr.slice(6, 8)) + 60;
  const first11 = `${pnr.slice(0, 6)}${day}${pnr.slice(8, 11)}`;
  return `${first11}${luhnCheckDigit(first11.slice(2, 11))}`;
}

describe("isValidPersonnummer12", () => {
  it.each(VALID)("accepts the test number %s", (pnr) => {
    expect(isValidPersonnummer12(pnr)).toBe(true);
  });

  it("rejects a wrong check digit", () => {
    expect(checkPersonnummer("196408233235")).toEqual({ valid: false, problem: "CHECK_DIGIT" });
  });

  it("rejects an impossible date even with a matching check digit", () => {
    // 1999-02-31: compute the check digit so only the date is wrong.
    const first11 = "19990231123";
    const pnr = `${first11}${luhnCheckDigit(first11.slice(2))}`;
    expect(checkPersonnummer(pnr)).toEqual({ valid: false, problem: "IMPOSSIBLE_DATE" });
  });

  it.each(["", "6408233234", "19640823-3234", "1964082332340", "19640823323x"])("rejects the shape %j", (s) => {
    expect(checkPersonnummer(s)).toEqual({ valid: false, problem: "NOT_12_DIGITS" });
  });

  it("accepts a samordningsnummer (day + 60) and reports its kind", () => {
    const samordning = coordinationFrom("189001019802");
    expect(samordning.slice(6, 8)).toBe("61");
    expect(checkPersonnummer(samordning)).toEqual({ valid: true, kind: "samordningsnummer" });
    expect(checkPersonnummer("189001019802")).toEqual({ valid: true, kind: "personnummer" });
  });

  it("computes the contract's example check digit", () => {
    expect(luhnCheckDigit("640823323")).toBe(4);
  });
});

describe("birthDate", () => {
  it("reads the date of a personnummer and of a samordningsnummer (day − 60)", () => {
    expect(birthDate("196408233234")).toBe("1964-08-23");
    expect(birthDate(coordinationFrom("189001019802"))).toBe("1890-01-01");
  });
  it("works without a valid check digit but needs a calendar date", () => {
    expect(birthDate("196408233235")).toBe("1964-08-23");
    expect(birthDate("199902311234")).toBeNull();
    expect(birthDate("19640823")).toBeNull();
  });
});

describe("ageOn", () => {
  it("counts a birthday on the receipt date as reached (born 2012-03-17)", () => {
    expect(ageOn("201203172380", "2025-03-16")).toBe(12);
    expect(ageOn("201203172380", "2025-03-17")).toBe(13);
    expect(ageOn("201203172380", "2025-03-18")).toBe(13);
  });
  it("moves a 29 February birthday to 1 March in non-leap years", () => {
    expect(ageOn("201202292395", "2025-02-28")).toBe(12);
    expect(ageOn("201202292395", "2025-03-01")).toBe(13);
    expect(ageOn("201202292395", "2024-02-28")).toBe(11);
    expect(ageOn("201202292395", "2024-02-29")).toBe(12);
  });
  it("is null for a number without a calendar date or a malformed receipt date", () => {
    expect(ageOn("199902311234", "2025-03-18")).toBeNull();
    expect(ageOn("196408233234", "18/3 2025")).toBeNull();
  });
});
