// The approved-caregivers CSV as admins upload it (comma or Excel's semicolon, BOM, Swedish headings, quotes) and
// the difference between two lists.
import { describe, expect, it } from "vitest";
import { canonicalCaregiverCsv, diffCaregivers, parseCaregiverCsv } from "../../../shared/domain/caregiver-csv.ts";

describe("parseCaregiverCsv", () => {
  it("reads the contract's comma CSV and Excel's semicolon CSV with BOM and Swedish headings alike", () => {
    const comma = parseCaregiverCsv('name,organisationNumber\n"Vård, Bäst AB",556712-3400\r\nÅby  AB,559256-7811\n');
    const excel = parseCaregiverCsv(
      "\uFEFFNamn;Organisationsnummer\r\nVård, Bäst AB;556712-3400\r\nÅby AB;559256-7811\r\n",
    );
    expect(comma).toEqual([
      { name: "Vård, Bäst AB", organisationNumber: "556712-3400" },
      { name: "Åby AB", organisationNumber: "559256-7811" },
    ]);
    expect(excel).toEqual(comma);
    expect(parseCaregiverCsv(canonicalCaregiverCsv(comma))).toEqual(comma);
  });

  it("refuses with a Swedish message naming the line", () => {
    const bad = (csv: string) => () => parseCaregiverCsv(csv);
    expect(bad("name,organisationNumber\nA AB,5567123400\n")).toThrow(
      "Rad 2, kolumnen organisationsnummer: ska skrivas NNNNNN-NNNN.",
    );
    expect(bad("name,organisationNumber\nA AB,556712-3400\na ab,556712-3401\n")).toThrow(
      "Rad 3: namnet finns redan på rad 2.",
    );
    expect(bad("name,organisationNumber\nA AB,556712-3400\nB AB,556712-3400\n")).toThrow(
      "Rad 3: organisationsnumret finns redan på rad 2.",
    );
    expect(bad("name,organisationNumber\n")).toThrow("Filen har inga vårdgivare (bara rubrikraden).");
    expect(bad("namn;telefon\nA;1\n")).toThrow("Rad 1: kolumnerna");
    expect(bad("name,organisationNumber\nH\uFFFDlsan AB,556712-3400\n")).toThrow("tecken som inte kunde läsas");
    expect(bad('name,organisationNumber\n"A AB,556712-3400\n')).toThrow("Rad 2: ett citattecken avslutas aldrig.");
  });
});

describe("diffCaregivers", () => {
  it("added, removed, renamed (same organisation number) and renumbered (same name)", () => {
    const before = [
      { name: "A AB", organisationNumber: "556000-0001" },
      { name: "B AB", organisationNumber: "556000-0002" },
      { name: "C AB", organisationNumber: "556000-0003" },
      { name: "D AB", organisationNumber: "556000-0004" },
    ];
    const after = [
      { name: "A AB", organisationNumber: "556000-0001" },
      { name: "B Nya AB", organisationNumber: "556000-0002" },
      { name: "C AB", organisationNumber: "556000-0033" },
      { name: "E AB", organisationNumber: "556000-0005" },
    ];
    expect(diffCaregivers(before, after)).toEqual({
      added: [{ name: "E AB", organisationNumber: "556000-0005" }],
      removed: [{ name: "D AB", organisationNumber: "556000-0004" }],
      changed: [
        { before: before[1], after: after[1] },
        { before: before[2], after: after[2] },
      ],
      unchanged: 1,
    });
    expect(diffCaregivers([], after).added).toHaveLength(4);
  });
});
