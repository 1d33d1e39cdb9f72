// The vouching staff member against the staff directory (domain/staff.ts through validateForm, with the CSV
// directory) and the mail rule's snapping to directory addresses (domain/mail-safety.ts).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CsvCaregiverList } from "../../../shared/adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../../../shared/adapters/local/csv-person-registry.ts";
import { CsvStaffDirectory } from "../../../shared/adapters/local/csv-staff-directory.ts";
import type { ExtractedForm, FieldReading, FieldValue, FormCode } from "../../../shared/domain/forms.ts";
import { addressFate, MAIL_ADDRESS_MIN_CONFIDENCE, snapEmail } from "../../../shared/domain/mail-safety.ts";
import { matchStaffName } from "../../../shared/domain/staff.ts";
import { candidateIds } from "../../../shared/extraction/staff-read.ts";
import { validateForm } from "../../../shared/use-cases/validate-form.ts";
import { CAREGIVERS_CSV, egen, REGISTRY_CSV, vg, vh } from "./forms-fixture.ts";

const registry = CsvPersonRegistry.fromFile(REGISTRY_CSV);
const caregivers = CsvCaregiverList.fromFile(CAREGIVERS_CSV);
const STAFF_CSV = fileURLToPath(new URL("../../fixtures/registry/staff.csv", import.meta.url));
const staff = CsvStaffDirectory.fromFile(STAFF_CSV);
const GT_DIR = fileURLToPath(new URL("../../fixtures/registry/ground-truth/", import.meta.url));

type Overrides = Record<string, Partial<FieldReading> & { value: FieldValue }>;

function form(formCode: FormCode, fields: Record<string, FieldValue>, overrides: Overrides = {}): ExtractedForm {
  const read: Record<string, FieldReading> = {};
  for (const [k, value] of Object.entries(fields)) read[k] = { value, confidence: 0.95 };
  for (const [k, o] of Object.entries(overrides)) read[k] = { confidence: 0.95, ...o };
  return { formCode, formVersion: "v1", action: null, fields: read, warnings: [] };
}

const validate = (f: ExtractedForm, withStaff = true) =>
  validateForm({ form: f, receivedDate: "2025-03-18" }, { registry, caregivers, ...(withStaff ? { staff } : {}) });

describe("vouching staff verified against the directory", () => {
  it("found under the VGR-ID with the written name: EXECUTE, and the entry is recorded", async () => {
    const out = await validate(form("1177-EGEN", egen()));
    expect({ decision: out.decision, reasons: out.reasons }).toEqual({ decision: "EXECUTE", reasons: [] });
    expect(out.staff?.status).toBe("VERIFIED");
    expect(out.staff?.entry).toMatchObject({
      vgrId: "evali12",
      name: "Eva Lind",
      title: "Sjuksköterska",
      unit: "Vårdcentralen Centrum",
      caregiver: "Västra Götalandsregionen",
    });
    expect(out.staffAddresses).toEqual({ "verifier.email": "eva.lind@example.org" });
  });

  it("a VGR-ID that belongs to another staff member → REVIEW with STAFF_NOT_VERIFIED", async () => {
    // evali31 is Eva Lindh: one letter from the written Eva Lind, and another person.
    for (const vgrId of ["evali31", "amilu73"]) {
      const out = await validate(form("1177-VG", { ...vg(), "requester.vgrId": vgrId }));
      expect({ decision: out.decision, reasons: out.reasons }).toEqual({
        decision: "REVIEW",
        reasons: ["STAFF_NOT_VERIFIED"],
      });
      expect(out.staff?.status).toBe("NOT_VERIFIED");
      expect(out.staffAddresses).toEqual({});
    }
  });

  it("a VGR-ID nobody in the directory has → STAFF_NOT_VERIFIED", async () => {
    const out = await validate(form("1177-VH", { ...vh(), "requester.vgrId": "zzzzz99" }));
    expect(out.reasons).toEqual(["STAFF_NOT_VERIFIED"]);
    expect(out.staff).toMatchObject({ status: "NOT_VERIFIED", entry: null });
  });

  it("OCR noise in the name still verifies; so does the other reader's reading", async () => {
    const noisy = await validate(
      form("1177-VG", { ...vg(), "requester.name": "Margareta Mattssan", "requester.vgrId": "marma247" }),
    );
    expect(noisy.staff?.status).toBe("VERIFIED");
    expect(noisy.decision).toBe("EXECUTE");
    const twoReaders = await validate(
      form("1177-EGEN", egen(), {
        "verifier.name": { value: "Exa Ljnd", confidence: 0.6, alternatives: ["Eva Lind"] },
      }),
    );
    expect(twoReaders.staff?.status).toBe("VERIFIED");
    expect(twoReaders.decision).toBe("EXECUTE");
  });

  it("a mismatch needs both readings to differ; a doubtful name read is doubt, not the claim", async () => {
    const both = await validate(
      form("1177-EGEN", egen(), {
        "verifier.name": { value: "Exa Ljnd", confidence: 0.6, alternatives: ["Ewa Lxnd"] },
      }),
    );
    expect(both.reasons).toEqual(["STAFF_NOT_VERIFIED"]);
    const doubtful = await validate(
      form("1177-EGEN", egen(), { "verifier.name": { value: "Ewa Lxnd", confidence: 0.3 } }),
    );
    expect(doubtful.reasons).toEqual(["LOW_CONFIDENCE"]);
  });

  it("a doubtful VGR-ID read is never EXECUTEd, even when the directory agrees", async () => {
    const out = await validate(form("1177-EGEN", egen(), { "verifier.vgrId": { value: "evali12", confidence: 0.3 } }));
    expect(out.decision).toBe("REVIEW");
    expect(out.reasons).toEqual(["LOW_CONFIDENCE"]);
    expect(out.staff?.status).toBe("DOUBTFUL");
    expect(out.staffAddresses).toEqual({});
    const other = await validate(
      form("1177-EGEN", egen(), { "verifier.vgrId": { value: "evali31", confidence: 0.3 } }),
    );
    expect(other.reasons).toEqual(["LOW_CONFIDENCE"]);
  });

  it("an id the reader read against the directory (another reading) verifies when its entry carries the name", async () => {
    // The reader offers evali12 as another reading of a misread id (extraction/staff-read.ts).
    const read = (confidence: number, other: string) =>
      validate(form("1177-EGEN", egen(), { "verifier.vgrId": { value: "evai12", confidence, alternatives: [other] } }));
    const out = await read(0.85, "evali12");
    expect({ decision: out.decision, reasons: out.reasons }).toEqual({ decision: "EXECUTE", reasons: [] });
    expect(out.staff).toMatchObject({ status: "VERIFIED", vgrId: "evali12" });
    expect(out.staffAddresses).toEqual({ "verifier.email": "eva.lind@example.org" });
    // Another reading under another person's name verifies nobody: the id as read stands, and finds nobody.
    const other = await read(0.85, "evali31");
    expect(other.reasons).toEqual(["STAFF_NOT_VERIFIED"]);
    expect(other.staff).toMatchObject({ status: "NOT_VERIFIED", vgrId: "evai12", entry: null });
    // An id read with doubt stays doubt, whatever reading finds the member.
    expect((await read(0.4, "evali12")).reasons).toEqual(["LOW_CONFIDENCE"]);
  });

  it("an empty VGR-ID stays PHONE_VERIFICATION; the directory is not asked", async () => {
    const out = await validate(form("1177-EGEN", { ...egen(), "verifier.vgrId": "" }));
    expect(out.reasons).toEqual(["PHONE_VERIFICATION"]);
    expect(out.staff).toBeNull();
  });

  it("without a directory today's rules stand exactly (an unknown VGR-ID is not questioned)", async () => {
    const out = await validate(form("1177-VG", { ...vg(), "requester.vgrId": "zzzzz99" }), false);
    expect({ decision: out.decision, reasons: out.reasons }).toEqual({ decision: "EXECUTE", reasons: [] });
    expect(out.staff).toBeNull();
  });

  it("every development sample keeps its decision with the samples' staff.csv, its staff verified", async () => {
    const samplesStaff = CsvStaffDirectory.fromFile(
      fileURLToPath(new URL("../../../../shared/forms/data/staff.csv", import.meta.url)),
    );
    for (const file of readdirSync(GT_DIR).filter((f) => f.endsWith(".json"))) {
      const gt = JSON.parse(readFileSync(GT_DIR + file, "utf8")) as {
        formCode: FormCode | null;
        fields: Record<string, FieldValue>;
        receivedDate: string;
        expected: { decision: string; reasons: string[] };
      };
      if (!gt.formCode) continue;
      const out = await validateForm(
        { form: form(gt.formCode, gt.fields), receivedDate: gt.receivedDate },
        { registry, caregivers, staff: samplesStaff },
      );
      expect({ file, decision: out.decision, reasons: out.reasons }).toEqual({ file, ...gt.expected });
      if (out.staff) expect({ file, status: out.staff.status }).toEqual({ file, status: "VERIFIED" });
    }
  });
});

describe("ids to look up in a directory that cannot list itself", () => {
  it("tries one look-alike character changed and VGR's scheme from the name with the id's digits", () => {
    expect(candidateIds("gunbel34", ["Gunnel Bergman"])).toContain("gunbe134");
    expect(candidateIds("brist331", ["Kris'tina Olssion"])).toContain("kriol331");
    expect(candidateIds("axeab4o", ["Axel Åberg"])).toContain("axeab40");
    // Never the id as read, and a bounded number of lookups.
    expect(candidateIds("gunbel34", ["Gunnel Bergman"])).not.toContain("gunbel34");
    expect(candidateIds("l1l1l1l1l1l1l1l1l1l1", ["Ann Al"]).length).toBeLessThanOrEqual(40);
  });
});

describe("staff names", () => {
  it("a registered middle initial is optional on the form, an extra one is another person", () => {
    expect(matchStaffName(["Alva Lindberg"], "Alva A. Lindberg").match).toBe(true);
    expect(matchStaffName(["Alva A. Lindberg"], "Alva Lindberg").match).toBe(false);
    expect(matchStaffName(["Anders Lundqvist-Henriksson"], "Anders Lundqvist-Henriksson").match).toBe(true);
  });
});

describe("only exact addresses are mailed", () => {
  it("a staff address one letter off is snapped to the directory's address", async () => {
    const out = await validate(
      form("1177-VG", {
        ...vg(),
        "requester.email": "eva.lmd@example.org",
        "requester.email2": "vc.centrun@example.org",
      }),
    );
    expect(out.staffAddresses).toEqual({
      "requester.email": "eva.lind@example.org",
      "requester.email2": "vc.centrum@example.org",
    });
    const fate = addressFate({
      value: "eva.lmd@example.org",
      confidence: 0.3,
      corrected: false,
      directoryAddress: out.staffAddresses["requester.email"],
    });
    expect(fate).toEqual({ fate: "MAIL", address: "eva.lind@example.org", source: "DIRECTORY" });
  });

  it("an address the directory does not know is not snapped (treated like a citizen's)", async () => {
    const out = await validate(form("1177-VG", { ...vg(), "requester.email2": "kalle.anka@example.org" }));
    expect(out.staffAddresses).toEqual({ "requester.email": "eva.lind@example.org" });
  });

  it("two near-identical directory addresses are never confused", () => {
    const twins = ["alva.berglund@vgregion.se", "alva.berglund9@vgregion.se"];
    // Within reach of both: no snap, not even for an exact reading of one (a dropped "9" reads as the other).
    expect(snapEmail("alva.berglund@vgregion.se", twins).address).toBeNull();
    expect(snapEmail("alva.berglunda@vgregion.se", twins).address).toBeNull();
    expect(snapEmail("alva.berglund9@vgregion.se", twins).address).toBeNull();
    // Clearly nearer one of them (one letter from it, two from the other): that one.
    expect(snapEmail("alva.berglunc@vgregion.se", twins).address).toBe(twins[0]);
    // One of them alone (the verified member's own) is snapped to.
    expect(snapEmail("alva.berglunc@vgregion.se", [twins[0] as string]).address).toBe(twins[0]);
    // More than one letter off: not that address.
    expect(snapEmail("alva.bergqvist@vgregion.se", [twins[0] as string]).address).toBeNull();
  });

  it("the mail rule: a correction, a directory address, or a certain reading; else a letter", () => {
    expect(addressFate({ value: "a@b.se", confidence: 0.2, corrected: true })).toMatchObject({ fate: "MAIL" });
    expect(addressFate({ value: "a@b.se", confidence: MAIL_ADDRESS_MIN_CONFIDENCE, corrected: false })).toMatchObject({
      fate: "MAIL",
      source: "READ",
    });
    expect(addressFate({ value: "a@b.se", confidence: 0.69, corrected: false })).toEqual({
      fate: "LETTER",
      address: "a@b.se",
    });
    expect(addressFate({ value: "a b.se", confidence: 0.99, corrected: false })).toMatchObject({ fate: "LETTER" });
    expect(addressFate({ value: "", confidence: 0.99, corrected: false })).toEqual({ fate: "NONE" });
  });
});
