import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CsvCaregiverList } from "../../../shared/adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../../../shared/adapters/local/csv-person-registry.ts";
import { PersonRegistryUnavailableError } from "../../../shared/domain/errors.ts";
import type { ExtractedForm, FieldValue, FormCode } from "../../../shared/domain/forms.ts";
import type { Person, PersonRegistry } from "../../../shared/ports/person-registry.ts";
import { validateForm } from "../../../shared/use-cases/validate-form.ts";
import { CAREGIVERS_CSV, egen, JOHAN, REGISTRY_CSV } from "./forms-fixture.ts";

const registry = CsvPersonRegistry.fromFile(REGISTRY_CSV);
const caregivers = CsvCaregiverList.fromFile(CAREGIVERS_CSV);
const GT_DIR = fileURLToPath(new URL("../../fixtures/registry/ground-truth/", import.meta.url));

function form(formCode: FormCode | null, fields: Record<string, FieldValue>, confidence = 0.95): ExtractedForm {
  return {
    formCode,
    formVersion: formCode ? "v1" : null,
    action: null,
    fields: Object.fromEntries(Object.entries(fields).map(([k, value]) => [k, { value, confidence }])),
    warnings: [],
  };
}

/** Counts lookups, so tests can tell whether the registry was asked. */
class CountingRegistry implements PersonRegistry {
  calls = 0;
  constructor(private readonly inner: PersonRegistry) {}
  async findByPersonnummer(pnr: string): Promise<Person | null> {
    this.calls++;
    return this.inner.findByPersonnummer(pnr);
  }
}

describe("validateForm on the development set's ground truth", () => {
  const files = readdirSync(GT_DIR).filter((f) => f.endsWith(".json"));
  it("has the 22 samples", () => expect(files.length).toBe(22));
  it.each(files)("%s gives the expected decision and reasons", async (file) => {
    const gt = JSON.parse(readFileSync(GT_DIR + file, "utf8")) as {
      formCode: FormCode | null;
      receivedDate: string;
      fields: Record<string, FieldValue>;
      expected: { decision: string; reasons: string[] };
    };
    const out = await validateForm(
      { form: form(gt.formCode, gt.fields), receivedDate: gt.receivedDate },
      { registry, caregivers },
    );
    expect({ decision: out.decision, reasons: out.reasons }).toEqual(gt.expected);
  });
});

describe("validateForm with a second reader's readings", () => {
  it("matches the registry by the other reading; a handler's correction replaces both", async () => {
    const base = form("1177-EGEN", { ...egen(), "citizen.surname": "Xq" }, 0.95);
    const surname = { value: "Xq", confidence: 0.45, alternatives: [JOHAN.surname] };
    const read: ExtractedForm = { ...base, fields: { ...base.fields, "citizen.surname": surname } };
    const out = await validateForm({ form: read, receivedDate: "2025-03-18" }, { registry, caregivers });
    expect({ decision: out.decision, reasons: out.reasons }).toEqual({ decision: "EXECUTE", reasons: [] });
    // The handler writes what the box says: the other reading no longer counts.
    const corrected = await validateForm(
      { form: read, corrections: { "citizen.surname": "Xq" }, receivedDate: "2025-03-18" },
      { registry, caregivers },
    );
    expect(corrected.reasons).toEqual(["NAME_MISMATCH"]);
  });
});

describe("validateForm", () => {
  it("returns the registry result, subject, list version and effective fields", async () => {
    const out = await validateForm(
      { form: form("1177-EGEN", egen()), receivedDate: "2025-03-18" },
      { registry, caregivers },
    );
    expect(out.decision).toBe("EXECUTE");
    expect(out.subjectPersonnummer).toBe(JOHAN.pnr);
    expect(out.subject?.surname).toBe("Andersson");
    expect(out.registry).toMatchObject({ found: true, protectedIdentity: false, nameMatches: true });
    expect(out.caregiverListVersion).toBe((await caregivers.current()).version);
    expect(out.effectiveFields["citizen.givenName"]).toBe("Johan");
  });

  it("applies handler corrections over the read values, with full confidence", async () => {
    const read = form("1177-EGEN", { ...egen(), "citizen.surname": "Anderss0n", "citizen.signed": false }, 0.2);
    const before = await validateForm({ form: read, receivedDate: "2025-03-18" }, { registry, caregivers });
    expect(before.decision).not.toBe("EXECUTE");
    const corrections: Record<string, string | boolean> = Object.fromEntries(
      Object.entries(egen()).filter(([k]) => k.startsWith("action.") || k.includes("signed") || k.includes(".name")),
    );
    const after = await validateForm(
      {
        form: read,
        corrections: { ...corrections, "citizen.surname": "Andersson", "citizen.personnummer": JOHAN.pnr },
        receivedDate: "2025-03-18",
      },
      { registry, caregivers: { current: async () => ({ version: "v-test", names: [] }) } },
    );
    // Doubtful caregiver and VGR-ID reads remain: never EXECUTE on them.
    expect(after).toMatchObject({ decision: "REVIEW", reasons: ["LOW_CONFIDENCE"], caregiverListVersion: "v-test" });
    expect(after.effectiveFields["citizen.surname"]).toBe("Andersson");
  });

  it("does not ask the registry for an invalid personnummer", async () => {
    const counting = new CountingRegistry(registry);
    const out = await validateForm(
      { form: form("1177-EGEN", { ...egen(), "citizen.personnummer": "19820714239" }), receivedDate: "2025-03-18" },
      { registry: counting, caregivers },
    );
    expect(counting.calls).toBe(0);
    expect(out).toMatchObject({ decision: "REVIEW", reasons: ["PNR_INVALID"], registry: null, subject: null });
  });

  it("throws PersonRegistryUnavailableError on an outage instead of deciding", async () => {
    const down: PersonRegistry = {
      findByPersonnummer: async () => {
        throw new PersonRegistryUnavailableError("registry timed out");
      },
    };
    await expect(
      validateForm({ form: form("1177-EGEN", egen()), receivedDate: "2025-03-18" }, { registry: down, caregivers }),
    ).rejects.toBeInstanceOf(PersonRegistryUnavailableError);
  });

  it("a non-form has no subject", async () => {
    const out = await validateForm({ form: form(null, {}), receivedDate: "2025-03-18" }, { registry, caregivers });
    expect(out).toMatchObject({ decision: "REVIEW", reasons: ["UNRECOGNIZED_DOCUMENT"], subjectPersonnummer: null });
  });
});
