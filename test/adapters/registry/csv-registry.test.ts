import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CsvCaregiverList, caregiverListVersion } from "../../../shared/adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../../../shared/adapters/local/csv-person-registry.ts";
import { RegistryDataError } from "../../../shared/domain/errors.ts";
import { personRegistryAddressContract, personRegistryContract } from "./person-registry-contract.ts";

const PERSONS = fileURLToPath(new URL("../../fixtures/registry/persons.csv", import.meta.url));
const PERSONS_WITH_ADDRESSES = fileURLToPath(
  new URL("../../fixtures/registry/persons-with-addresses.csv", import.meta.url),
);
const CAREGIVERS = fileURLToPath(new URL("../../fixtures/registry/approved-caregivers.csv", import.meta.url));
const HEADER = "personnummer,givenNames,surname,protectedIdentity,guardians";

personRegistryContract("CsvPersonRegistry", async () => ({ registry: CsvPersonRegistry.fromFile(PERSONS) }));
personRegistryAddressContract(
  "CsvPersonRegistry",
  async () => ({ registry: CsvPersonRegistry.fromFile(PERSONS_WITH_ADDRESSES) }),
  async () => ({ registry: CsvPersonRegistry.fromFile(PERSONS) }),
);

describe("CsvPersonRegistry: the optional address columns", () => {
  const ADDRESS_HEADER = `${HEADER},address,postalCode,city`;
  it("an empty address on a row is no address; a postal code without a space is written NNN NN", async () => {
    const r = new CsvPersonRegistry(
      `${ADDRESS_HEADER}\n197508069163,Anna,Karlsson,false,,,,\n198207142392,Johan,Andersson,false,,"Box 12, Plan 3",53481,Lidköping\n`,
    );
    expect(await r.findByPersonnummer("197508069163")).not.toHaveProperty("postalAddress");
    expect((await r.findByPersonnummer("198207142392"))?.postalAddress).toEqual({
      address: "Box 12, Plan 3",
      postalCode: "534 81",
      city: "Lidköping",
    });
  });

  it("a half-filled address is a one-line error naming line and column, never the value", () => {
    const e = errorOf(
      () => new CsvPersonRegistry(`${ADDRESS_HEADER}\n197508069163,Anna,Karlsson,false,,Nygatan 31,,Lidköping\n`),
    );
    expect(e).toBeInstanceOf(RegistryDataError);
    expect(e.message).toBe(
      "persons.csv line 2, column postalCode: empty while the rest of the postal address is given",
    );
    const bad = errorOf(
      () => new CsvPersonRegistry(`${ADDRESS_HEADER}\n197508069163,Anna,Karlsson,false,,Nygatan 31,5348,Lidköping\n`),
    );
    expect(bad.message).toBe("persons.csv line 2, column postalCode: expected NNN NN");
    expect(bad.message).not.toContain("Nygatan");
  });
});

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("CsvPersonRegistry parsing", () => {
  it("reads every row of the fixture", () => {
    const lines = readFileSync(PERSONS, "utf8").trim().split("\n").length;
    expect(CsvPersonRegistry.fromFile(PERSONS).size).toBe(lines - 1);
  });

  it("accepts a BOM, CRLF, reordered columns and quoted fields with commas", async () => {
    const csv = `\uFEFFsurname,personnummer,givenNames,guardians,protectedIdentity\r\n"Holm, d.ä.",198304122396,"Leif Sven",,false\r\nHolm,202303092395,Leif,"198304122396;198911112384",FALSE\r\n`;
    const r = new CsvPersonRegistry(csv);
    expect(await r.findByPersonnummer("198304122396")).toMatchObject({
      surname: "Holm, d.ä.",
      givenNames: ["Leif", "Sven"],
    });
    expect((await r.findByPersonnummer("202303092395"))?.guardians).toEqual(["198304122396", "198911112384"]);
  });

  it.each([
    [`${HEADER}\n19830412239,Leif,Holm,false,\n`, "persons.csv line 2, column personnummer: expected 12 digits"],
    [
      `${HEADER}\n198304122396,Leif,Holm,maybe,\n`,
      "persons.csv line 2, column protectedIdentity: expected true or false",
    ],
    [
      `${HEADER}\n198304122396,Leif,Holm,false,\n198304122396,Leif,Holm,false,\n`,
      "line 3, column personnummer: duplicate",
    ],
    [`${HEADER}\n198304122396, ,Holm,false,\n`, "persons.csv line 2, column givenNames: empty"],
    [`${HEADER}\n198304122396,Leif,Holm,false\n`, "persons.csv line 2: expected 5 columns, found 4"],
    [`${HEADER}\n198304122396,"Leif,Holm,false,\n`, "persons.csv line 2: unterminated quoted field"],
    [`${HEADER}\n202303092395,Leif,Holm,false,1983041223\n`, "line 2, column guardians: expected 12-digit"],
    ["personnummer,givenNames,surname\n", "persons.csv line 1: missing column protectedIdentity"],
    ["", "persons.csv: empty file"],
  ])("names the line and column of a malformed file (%#)", (csv, message) => {
    const e = errorOf(() => new CsvPersonRegistry(csv));
    expect(e).toBeInstanceOf(RegistryDataError);
    expect(e.name).toBe("RegistryDataError");
    expect(e.message).toContain(message);
    // One line, no personal data from the file.
    expect(e.message).not.toMatch(/\n|Leif|Holm|1983041223/);
  });
});

describe("CsvCaregiverList", () => {
  it("lists the names and versions the list by its content", async () => {
    const list = CsvCaregiverList.fromFile(CAREGIVERS);
    const current = await list.current();
    expect(current.names).toContain("Kvinnohälsan Väst AB");
    expect(current.names).toHaveLength(8);
    expect(current.version).toMatch(/^[0-9a-f]{12}$/);
    expect(current.version).toBe(caregiverListVersion(readFileSync(CAREGIVERS, "utf8")));
    const changed = new CsvCaregiverList(`${readFileSync(CAREGIVERS, "utf8")}Ny Vård AB,556000-0001\n`);
    expect((await changed.current()).version).not.toBe(current.version);
  });

  it("rejects a malformed organisation number with line and column", () => {
    const e = errorOf(() => new CsvCaregiverList("name,organisationNumber\nNy Vård AB,5560000001\n"));
    expect(e).toBeInstanceOf(RegistryDataError);
    expect(e.message).toBe("approved-caregivers.csv line 2, column organisationNumber: expected NNNNNN-NNNN");
  });
});
