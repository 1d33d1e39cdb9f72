// The facts a handler decides on, beside the fields: what the registry says about the subject (the registered
// name for NAME_MISMATCH, the registered guardians for GUARDIAN_MISMATCH), which fields decided LOW_CONFIDENCE and
// what each reader made of them, and the staff directory's entry when validation recorded one. The handler is
// authorised to see the registry's name; it is never logged (only the case id is).
import { type CaseRecord, maskPersonnummer } from "../domain/case.ts";
import type { FieldValue } from "../domain/forms.ts";
import { FORM_ROLES } from "../domain/forms.ts";
import { isValidPersonnummer12 } from "../domain/personnummer.ts";
import { DEFAULT_MIN_CONFIDENCE, personnummerValue } from "../domain/rules.ts";
import type { PersonRegistry } from "../ports/person-registry.ts";

export interface GuardianFact {
  /** Masked (YYYYMMDD-****). */
  personnummer: string;
  /** Registered as the child's guardian in the registry. */
  registered: boolean;
  /** Written on the form: which slot (1 or 2) and the name written beside it; null when not on the form. */
  onForm: { slot: 1 | 2; name: string } | null;
}

export interface ReadingFact {
  field: string;
  value: FieldValue;
  confidence: number;
  /** What the other reader(s) made of the same writing, when they differ. */
  alternatives: string[];
}

export interface StaffFact {
  status: string | null;
  vgrId: string | null;
  entry: { name: string; title: string; unit: string; caregiver: string; email: string; phone: string } | null;
}

export interface CaseFacts {
  /** The subject's name in the registry ("Förnamn Efternamn"), when the registry knows the person. */
  registryName: { givenNames: string; surname: string } | null;
  /** 1177-VH: the child's registered guardians and the guardians written on the form. */
  guardians: GuardianFact[];
  /** The doubtful fields that made the case LOW_CONFIDENCE (or, for an older case, the fields read below the bar). */
  doubtful: ReadingFact[];
  staff: StaffFact | null;
}

const EMPTY: CaseFacts = { registryName: null, guardians: [], doubtful: [], staff: null };

function fieldValueOf(record: CaseRecord, field: string): FieldValue | undefined {
  return record.corrections[field] ?? record.fields[field]?.value;
}

function doubtfulReadings(record: CaseRecord): ReadingFact[] {
  const names =
    record.doubtfulFields ??
    Object.entries(record.fields)
      .filter(([, r]) => r.confidence < DEFAULT_MIN_CONFIDENCE)
      .map(([n]) => n);
  return names
    .filter((n) => record.corrections[n] === undefined && record.fields[n] !== undefined)
    .map((n) => {
      const r = record.fields[n];
      return {
        field: n,
        value: r?.value ?? "",
        confidence: r?.confidence ?? 0,
        alternatives: (r?.alternatives ?? []).filter((a) => a !== r?.value),
      };
    });
}

/** The staff directory's result, when another part of the pipeline recorded one on the case (`staff`). */
function staffFact(record: CaseRecord): StaffFact | null {
  const raw = (record as { staff?: unknown }).staff;
  if (!raw || typeof raw !== "object") return null;
  const s = raw as { status?: unknown; vgrId?: unknown; entry?: unknown };
  const e = s.entry && typeof s.entry === "object" ? (s.entry as Record<string, unknown>) : null;
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    status: typeof s.status === "string" ? s.status : null,
    vgrId: typeof s.vgrId === "string" ? s.vgrId : null,
    entry: e
      ? {
          name: text(e.name),
          title: text(e.title),
          unit: text(e.unit),
          caregiver: text(e.caregiver),
          email: text(e.email),
          phone: text(e.phone),
        }
      : null,
  };
}

/** Reads the registry once for the subject; without a registry (or on an outage) only the recorded facts. */
export async function caseFacts(record: CaseRecord, persons: PersonRegistry | undefined): Promise<CaseFacts> {
  const facts: CaseFacts = { ...EMPTY, doubtful: doubtfulReadings(record), staff: staffFact(record) };
  const pnr = personnummerValue(record.subjectPersonnummer ?? "");
  if (!persons || !record.formCode || !isValidPersonnummer12(pnr)) return facts;
  const person = await persons.findByPersonnummer(pnr).catch(() => null);
  if (!person) return facts;
  facts.registryName = { givenNames: person.givenNames.join(" "), surname: person.surname };
  if (FORM_ROLES[record.formCode].subject === "child") {
    const written = ([1, 2] as const).map((slot) => ({
      slot,
      pnr: personnummerValue(fieldValueOf(record, `guardian${slot}.personnummer`)),
      name: String(fieldValueOf(record, `guardian${slot}.name`) ?? "").trim(),
    }));
    const onForm = (g: string) => written.find((w) => w.pnr === g) ?? null;
    facts.guardians = person.guardians.map((g) => {
      const w = onForm(g);
      return { personnummer: maskPersonnummer(g), registered: true, onForm: w ? { slot: w.slot, name: w.name } : null };
    });
    for (const w of written) {
      if (w.pnr === "" || person.guardians.includes(w.pnr)) continue;
      facts.guardians.push({
        personnummer: maskPersonnummer(w.pnr),
        registered: false,
        onForm: { slot: w.slot, name: w.name },
      });
    }
  }
  return facts;
}
