// Other hands on the field samples (../shared/forms/field): a hand-written caregiver or subject name that neither
// reader spells out is read against what it may be (the region and the approved list; the registry's name of the
// personnummer read) with the handwriting model's likelihood — and a name that is not there is not found. The same
// for the vouching staff member against the staff directory, and a personnummer tesseract misreads in a cursive hand.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CsvPersonRegistry } from "../../shared/adapters/local/csv-person-registry.ts";
import { CsvStaffDirectory, parseStaffCsv } from "../../shared/adapters/local/csv-staff-directory.ts";
import { LocalOcr } from "../../shared/adapters/local/local-ocr.ts";
import { type FieldReading, REGION_CAREGIVER } from "../../shared/domain/forms.ts";
import { decodeScan } from "../../shared/extraction/decode.ts";
import { fieldInk, readField } from "../../shared/extraction/fields.ts";
import { localRegistration } from "../../shared/extraction/local-fit.ts";
import { locateForm } from "../../shared/extraction/reader.ts";
import { readNamesAgainstRegistry } from "../../shared/extraction/registry-names.ts";
import { readStaffAgainstDirectory } from "../../shared/extraction/staff-read.ts";
import { loadTemplates } from "../../shared/extraction/templates.ts";
import { vocabularyReading } from "../../shared/extraction/vocabulary-read.ts";
import type { StaffDirectory } from "../../shared/ports/staff-directory.ts";

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

  it("reads a confident reading that does not match the registry against it too ('Bj ön' read surely)", async () => {
    const { page, reg } = await formPage("fieldsample-05.png", 0);
    const fields = {
      "citizen.personnummer": { value: "197206179298", confidence: 0.95 },
      "citizen.givenName": { value: "Bj ön", confidence: 0.8 },
      "citizen.surname": { value: "Samuelsson", confidence: 0.88 },
    };
    await readNamesAgainstRegistry(page, reg, fields, ocr, (pnr) => registry.findByPersonnummer(pnr));
    expect(fields["citizen.givenName"]).toMatchObject({ value: "Bj ön", confidence: 0.8, alternatives: ["Björn"] });
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
    // Read surely, the same: another person's name does not fit the writing.
    const sure = {
      "citizen.personnummer": { value: "197206179298", confidence: 0.95 },
      "citizen.givenName": { value: "Björn", confidence: 0.9 },
      "citizen.surname": { value: "Samuelsson", confidence: 0.9 },
    };
    await readNamesAgainstRegistry(page, reg, sure, ocr, async () => ({ givenNames: ["Karl"], surname: "Andersson" }));
    expect(sure["citizen.givenName"]).toEqual({ value: "Björn", confidence: 0.9 });
    expect(sure["citizen.surname"]).toEqual({ value: "Samuelsson", confidence: 0.9 });
  });
});

type Truth = { fields: Record<string, string>; documents?: Array<{ fields: Record<string, string> }> };
const truthOf = (name: string): Truth => JSON.parse(readFileSync(`${field}scans/${name}`, "utf8")) as Truth;
const staffCsv = readFileSync(`${field}staff.csv`, "utf8");

/** The field directory without some members, as a CSV directory (it lists itself) or as a lookup-only service. */
function directory(without: string[] = [], lookupOnly = false): StaffDirectory {
  const rows = staffCsv.trim().split("\n");
  const kept = rows.filter((r, i) => i === 0 || !without.includes(r.split(",")[0] as string));
  const csv = new CsvStaffDirectory(kept.join("\n"));
  return lookupOnly ? { findByVgrId: (id) => csv.findByVgrId(id) } : csv;
}

/** The requester's VGR-ID and name as a reader read them (the field samples' own misreadings). */
async function staffRead(file: string, page: number, vgrId: string, name: string, staff: StaffDirectory) {
  const { page: p, reg } = await formPage(file, page);
  const fields: Record<string, FieldReading> = {
    "requester.vgrId": { value: vgrId, confidence: 0.85 },
    "requester.name": { value: name, confidence: 0.75 },
  };
  await readStaffAgainstDirectory(p, reg, fields, ocr, staff);
  return fields;
}

describe("the vouching staff member read against the staff directory", () => {
  it("finds the member a misread id and name both fit, never the colleague of the same name (fieldsample-04)", async () => {
    const fields = await staffRead("fieldsample-04.pdf", 0, "brist331", "Kris'tina Olssion", directory());
    // kriol917 is another Kristina Olsson of the same unit: the digits of the id tell them apart.
    expect(fields["requester.vgrId"]).toMatchObject({ value: "brist331", alternatives: ["kriol331"] });
    expect(fields["requester.name"]).toMatchObject({ alternatives: ["Kristina Olsson"] });
  });

  it("finds a member whose every letter both readers garble (fieldsample-10, page 4)", async () => {
    const fields = await staffRead("fieldsample-10.tif", 3, "awnuess", "AwwSefte Rergwan", directory());
    const truth = truthOf("fieldsample-10.json").documents?.[2]?.fields ?? {};
    expect(fields["requester.vgrId"]?.alternatives).toEqual([truth["requester.vgrId"]]);
  });

  it("takes nobody when the writer is not in the directory, not even a namesake", async () => {
    for (const [file, page, id, name, writer] of [
      ["fieldsample-04.pdf", 0, "brist331", "Kris'tina Olssion", "kriol331"],
      ["fieldsample-12.jpg", 0, "gunbel34", "Gunnel Bergman", "gunbe134"],
      ["fieldsample-10.tif", 3, "awnuess", "AwwSefte Rergwan", "annbe63"],
    ] as const) {
      const fields = await staffRead(file, page, id, name, directory([writer]));
      expect(fields["requester.vgrId"], file).toEqual({ value: id, confidence: 0.85 });
      expect(fields["requester.name"], file).toEqual({ value: name, confidence: 0.75 });
    }
  });

  it("finds the member in a lookup-only directory by look-alike characters and VGR's id scheme", async () => {
    const lookAlike = await staffRead("fieldsample-12.jpg", 0, "gunbel34", "Gunnel Bergman", directory([], true));
    expect(lookAlike["requester.vgrId"]?.alternatives).toEqual(["gunbe134"]);
    const scheme = await staffRead("fieldsample-04.pdf", 0, "brist331", "Kris'tina Olssion", directory([], true));
    expect(scheme["requester.vgrId"]?.alternatives).toEqual(["kriol331"]);
  });

  it("finds the member in a region-sized directory (12,000 other members) by the shortlist", async () => {
    const members = parseStaffCsv(staffCsv);
    const others = Array.from({ length: 12_000 }, (_, k) => ({
      ...(members[k % members.length] as (typeof members)[number]),
      vgrId: `zz${String.fromCharCode(97 + (k % 26))}${String.fromCharCode(97 + ((k / 26) % 26))}${k}`,
      name: `Person${k} Efternamn${k}`,
    }));
    const big: StaffDirectory = {
      findByVgrId: async (id) => [...members, ...others].find((m) => m.vgrId === id) ?? null,
      entries: async () => [...others, ...members],
    };
    const fields = await staffRead("fieldsample-04.pdf", 0, "brist331", "Kris'tina Olssion", big);
    expect(fields["requester.vgrId"]?.alternatives).toEqual(["kriol331"]);
  });

  it("leaves an id that names the writer as read untouched", async () => {
    const entry = parseStaffCsv(staffCsv).find((m) => m.vgrId === "gunbe134");
    const fields = await staffRead("fieldsample-12.jpg", 0, "gunbe134", entry?.name ?? "", directory());
    expect(fields["requester.vgrId"]).toEqual({ value: "gunbe134", confidence: 0.85 });
  });
});

describe("a personnummer in a cursive hand", () => {
  async function subjectNumber(file: string, page: number, fieldName: string) {
    const { page: p, reg } = await formPage(file, page);
    const def = reg.template.fields.find((f) => f.name === fieldName);
    if (!def) throw new Error("no such field");
    return readField(p, reg, def, 0, { ocr });
  }

  it("is the handwriting readers' valid number, doubtful, where tesseract is sure of an impossible one (fieldsample-04)", async () => {
    const read = await subjectNumber("fieldsample-04.pdf", 0, "child.personnummer");
    expect(read.value).toBe(truthOf("fieldsample-04.json").fields["child.personnummer"]);
    // Doubtful: the registry must confirm it by the written name (rules.ts).
    expect(read.confidence).toBeLessThan(0.5);
  });

  it("stays as written when the writer's own check digit is wrong (fieldsample-10, page 3: PNR_INVALID)", async () => {
    const read = await subjectNumber("fieldsample-10.tif", 2, "citizen.personnummer");
    expect(read.value).toBe(truthOf("fieldsample-10.json").documents?.[1]?.fields["citizen.personnummer"]);
  });
});
