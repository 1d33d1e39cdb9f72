import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CsvStaffDirectory, parseStaffCsv } from "../../../shared/adapters/local/csv-staff-directory.ts";
import { RegistryDataError } from "../../../shared/domain/errors.ts";
import { staffDirectoryContract } from "./staff-directory-contract.ts";

const STAFF_CSV = fileURLToPath(new URL("../../fixtures/registry/staff.csv", import.meta.url));

staffDirectoryContract("CsvStaffDirectory", async () => ({ directory: CsvStaffDirectory.fromFile(STAFF_CSV) }));

const HEADER = "vgrId,name,title,unit,caregiver,email,phone,unitEmail,unitAddress";
const ROW =
  'evali12,Eva Lind,Sjuksköterska,VC Centrum,Västra Götalandsregionen,eva.lind@example.org,010-1,,"Gatan 1, 411 01 Ort"';

describe("CsvStaffDirectory: strict parsing, one line naming line and column", () => {
  it("reads the samples' staff.csv", () => {
    const text = readFileSync(
      fileURLToPath(new URL("../../../../shared/forms/data/staff.csv", import.meta.url)),
      "utf8",
    );
    expect(new CsvStaffDirectory(text).size).toBeGreaterThan(50);
  });

  it("a member without an own mailbox (the unit's only) is valid", async () => {
    const d = new CsvStaffDirectory(
      `${HEADER}\n${ROW.replace("eva.lind@example.org,010-1,,", ",010-1,vc@example.org,")}`,
    );
    expect(await d.findByVgrId("evali12")).toMatchObject({ email: "", unitEmail: "vc@example.org" });
  });

  it.each([
    [
      "a missing column",
      "vgrId,name,title,unit,caregiver,email,phone,unitEmail\nx",
      "staff.csv line 1: missing column unitAddress",
    ],
    [
      "an id with spaces inside",
      `${HEADER}\n${ROW.replace("evali12", "eva li")}`,
      "staff.csv line 2, column vgrId: expected letters and digits",
    ],
    [
      "a duplicate id (case-insensitive)",
      `${HEADER}\n${ROW}\n${ROW.replace("evali12", "EVALI12")}`,
      "staff.csv line 3, column vgrId: duplicate VGR-ID",
    ],
    ["an empty name", `${HEADER}\n${ROW.replace("Eva Lind", "")}`, "staff.csv line 2, column name: empty"],
    [
      "a broken address",
      `${HEADER}\n${ROW.replace("eva.lind@example.org", "eva.lind(at)example")}`,
      "staff.csv line 2, column email: not an e-mail address",
    ],
    [
      "a broken unit mailbox",
      `${HEADER}\n${ROW.replace("010-1,,", "010-1,vc centrum,")}`,
      "staff.csv line 2, column unitEmail: not an e-mail address",
    ],
    ["a short row", `${HEADER}\nevali12,Eva Lind`, "staff.csv line 2: expected 9 columns, found 2"],
  ])("%s", (_what, text, message) => {
    const e = (() => {
      try {
        parseStaffCsv(text);
      } catch (x) {
        return x;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(RegistryDataError);
    expect((e as Error).message).toBe(message);
    // Never the value itself.
    expect((e as Error).message).not.toContain("Eva");
  });
});
