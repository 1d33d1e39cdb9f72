// Other hands on the field samples (../shared/forms/field): a hand-written caregiver or subject name that neither
// reader spells out is read against what it may be (the region and the approved list; the registry's name of the
// personnummer read) with the handwriting model's likelihood — and a name that is not there is not found.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CsvPersonRegistry } from "../../shared/adapters/local/csv-person-registry.ts";
import { LocalOcr } from "../../shared/adapters/local/local-ocr.ts";
import { REGION_CAREGIVER } from "../../shared/domain/forms.ts";
import { decodeScan } from "../../shared/extraction/decode.ts";
import { fieldInk } from "../../shared/extraction/fields.ts";
import { localRegistration } from "../../shared/extraction/local-fit.ts";
import { locateForm } from "../../shared/extraction/reader.ts";
import { readNamesAgainstRegistry } from "../../shared/extraction/registry-names.ts";
import { loadTemplates } from "../../shared/extraction/templates.ts";
import { vocabularyReading } from "../../shared/extraction/vocabulary-read.ts";

const field = fileURLToPath(new URL("../../../shared/forms/field/", import.meta.url));
const approved = readFileSync(`${field}approved-caregivers.csv`, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(",")[0] as string);
const registry = CsvPersonRegistry.fromFile(`${field}persons.csv`);
const ocr = new LocalOcr();
afterAll(() => ocr.close());

async function formPage(file: string, page: number) {
  const pages = await decodeScan(readFileSync(`${field}scans/${file}`), file);
  const p = pages[page];
  if (!p) throw new Error("no page");
  const where = await locateForm(p, await loadTemplates(), ocr);
  if (!where) throw new Error("no form");
  return { page: p, reg: where.reg };
}

async function caregiverFits(file: string, page: number): Promise<{ fits: string | null; none: boolean }> {
  const { page: p, reg } = await formPage(file, page);
  const def = reg.template.fields.find((f) => f.name.endsWith(".caregiver"));
  if (!def) throw new Error("no caregiver field");
  const { region, ink } = fieldInk(p, localRegistration(p, reg, def.box), def);
  return vocabularyReading(region, ink, ocr, [REGION_CAREGIVER, ...approved]);
}

describe("a closed vocabulary read against the writing", () => {
  it("finds the region in a square hand both readers garble (fieldsample-10, page 4)", async () => {
    expect(await caregiverFits("fieldsample-10.tif", 3)).toEqual({ fits: REGION_CAREGIVER, none: false });
  });

  it("finds a listed caregiver in a cursive hand (fieldsample-10, page 1)", async () => {
    expect(await caregiverFits("fieldsample-10.tif", 0)).toEqual({ fits: "Sjöviks Vårdcentral AB", none: false });
  });

  it("finds that nothing fits a caregiver that is not on the list (fieldsample-09)", async () => {
    expect(await caregiverFits("fieldsample-09.jpg", 0)).toEqual({ fits: null, none: true });
  });
});

describe("subject names read against the registry", () => {
  it("offers the registered given name for a cursive name the readers split ('Bj ön', fieldsample-05)", async () => {
    const { page, reg } = await formPage("fieldsample-05.png", 0);
    const fields = {
      "citizen.personnummer": { value: "197206179298", confidence: 0.95 },
      "citizen.givenName": { value: "Bj ön", confidence: 0.45 },
      "citizen.surname": { value: "Samuelsson", confidence: 0.88 },
    };
    await readNamesAgainstRegistry(page, reg, fields, ocr, (pnr) => registry.findByPersonnummer(pnr));
    expect(fields["citizen.givenName"]).toMatchObject({ value: "Bj ön", alternatives: ["Björn"] });
    // A confident reading is left as read.
    expect(fields["citizen.surname"]).toEqual({ value: "Samuelsson", confidence: 0.88 });
  });

  it("offers nothing when the registry's person has another name than the one written", async () => {
    const { page, reg } = await formPage("fieldsample-05.png", 0);
    const fields = {
      "citizen.personnummer": { value: "197206179298", confidence: 0.95 },
      "citizen.givenName": { value: "Bj ön", confidence: 0.45 },
      "citizen.surname": { value: "Samuelsson", confidence: 0.45 },
    };
    await readNamesAgainstRegistry(page, reg, fields, ocr, async () => ({
      givenNames: ["Karl", "Johan"],
      surname: "Andersson",
    }));
    expect(fields["citizen.givenName"]).toEqual({ value: "Bj ön", confidence: 0.45 });
    expect(fields["citizen.surname"]).toEqual({ value: "Samuelsson", confidence: 0.45 });
  });
});
