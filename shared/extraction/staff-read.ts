// The vouching staff member read against the staff directory (domain/staff.ts; ../shared/forms/README.md §8): a
// VGR-ID and a name in a hand that neither reader spells out ("gunbel34", "AwwSefte Rergwan") may still fit one
// directory entry — its id in the VGR-ID box and its name in the name box — far better than any other entry. That
// entry's id and name are offered as other readings of the two fields; validate-form looks the id up and the rules
// match the name as for any reading. Only when the id as read does not already name the writer.
//
// The entries scored: every entry where the directory can list itself (a CSV, an extract), else the entries found
// under the id as read with one look-alike character changed, and under VGR's own scheme for its ids (the first
// three letters of the given name, the first two of the surname, then digits) from the name as read.
// Both boxes must fit the same entry, each well enough on its own, and that entry must fit clearly better than the
// next: a written id of another staff member, or a name nobody in the directory has, stays as read (the rules then
// say STAFF_NOT_VERIFIED), and two members of one name are told apart by the digits of the id.
import { type FieldReading, FORM_ROLES, type FormCode } from "../domain/forms.ts";
import { matchStaffName, type StaffEntry, splitFullName, vgrIdKey } from "../domain/staff.ts";
import { fold } from "../domain/vocabulary.ts";
import type { Ocr } from "../ports/ocr.ts";
import type { StaffDirectory } from "../ports/staff-directory.ts";
import type { PageImage } from "./document.ts";
import { fieldWriting } from "./fields.ts";
import type { Registration } from "./register.ts";

/**
 * Log-likelihood per character, relative to the handwriting model's best reading, that each box must reach for an
 * entry (measured on the samples and field samples: see the README's reading notes).
 */
export const STAFF_ID_MIN_SCORE = -2.0;
export const STAFF_NAME_MIN_SCORE = -2.0;
/** How much better (id and name scores added) the entry must fit than the next one. */
export const STAFF_MARGIN = 2.0;
/** Lookups at most when the directory cannot list itself. */
const MAX_LOOKUPS = 40;
/**
 * Entries scored at most: a region's whole catalogue (tens of thousands) is first narrowed to the members whose id
 * ends in the digits read, whose name matches a reading, or whose id is a look-alike or scheme candidate.
 */
export const MAX_SCORED = 2000;

/** Characters a reader confuses with one another in ids (lower case). */
const LOOK_ALIKE: readonly string[] = ["1li7", "0o", "5s", "2z", "8b3", "6b", "9gq", "4a", "uv", "nh", "ce"];

export async function readStaffAgainstDirectory(
  page: PageImage,
  reg: Registration,
  fields: Record<string, FieldReading>,
  ocr: Ocr,
  staff: StaffDirectory,
): Promise<void> {
  if (!ocr.scoreCandidates) return;
  const voucher = FORM_ROLES[reg.template.formCode as FormCode].voucher;
  const idName = `${voucher}.vgrId`;
  const nameName = `${voucher}.name`;
  const id = fields[idName];
  const name = fields[nameName];
  if (!id || !name || typeof id.value !== "string" || typeof name.value !== "string") return;
  if (id.value.trim() === "" || name.value.trim() === "") return;
  const readings = [name.value, ...(name.alternatives ?? [])];
  const asRead = await staff.findByVgrId(id.value.trim());
  if (asRead && matchStaffName(readings, asRead.name).match) return;

  const candidates = candidateIds(id.value, readings);
  const all = staff.entries ? await staff.entries() : await lookedUp(staff, candidates);
  const entries = all.length > MAX_SCORED ? shortlist(all, id.value, readings, candidates) : all;
  if (entries.length === 0) return;
  const idImage = writing(page, reg, idName);
  const nameImage = writing(page, reg, nameName);
  if (!idImage || !nameImage) return;
  const idScores = await ocr.scoreCandidates(
    idImage,
    entries.map((e) => e.vgrId),
  );
  const nameScores = await ocr.scoreCandidates(
    nameImage,
    entries.map((e) => e.name),
  );
  const ranked = entries
    .map((entry, i) => {
      const idScore = idScores[i] ?? Number.NEGATIVE_INFINITY;
      const nameScore = nameScores[i] ?? Number.NEGATIVE_INFINITY;
      return { entry, idScore, nameScore, both: idScore + nameScore };
    })
    .sort((a, b) => b.both - a.both);
  const [best, next] = ranked;
  if (!best || best.idScore < STAFF_ID_MIN_SCORE || best.nameScore < STAFF_NAME_MIN_SCORE) return;
  if (next && best.both - next.both < STAFF_MARGIN) return;
  fields[idName] = { ...id, alternatives: [...(id.alternatives ?? []), best.entry.vgrId] };
  if (!readings.includes(best.entry.name)) {
    fields[nameName] = { ...name, alternatives: [...(name.alternatives ?? []), best.entry.name] };
  }
}

/** A field's cleaned writing as the handwriting model scores it, or null when the box is empty. */
function writing(page: PageImage, reg: Registration, fieldName: string): PageImage | null {
  const def = reg.template.fields.find((f) => f.name === fieldName);
  return def ? fieldWriting(page, reg, def) : null;
}

/**
 * Ids to look up in a directory that cannot list itself: the id as read with one look-alike character changed, and
 * VGR's scheme (three letters of the given name, two of the surname) from each reading of the name with the digits
 * read at the end of the id.
 */
export function candidateIds(read: string, nameReadings: readonly string[]): string[] {
  const id = vgrIdKey(read);
  const out = new Set<string>();
  [...id].forEach((ch, i) => {
    for (const group of LOOK_ALIKE) {
      if (!group.includes(ch)) continue;
      for (const other of group) if (other !== ch) out.add(id.slice(0, i) + other + id.slice(i + 1));
    }
  });
  const digits = digitsAtTheEnd(id);
  if (digits !== "") {
    for (const reading of nameReadings) {
      const { given, surname } = splitFullName(fold(reading).replace(/[^a-z ]/g, ""));
      const first = given.split(" ")[0] ?? "";
      if (first.length >= 3 && surname.length >= 2) out.add(`${first.slice(0, 3)}${surname.slice(0, 2)}${digits}`);
    }
  }
  out.delete(id);
  return [...out].slice(0, MAX_LOOKUPS);
}

/** A large directory narrowed to the members the writing could be (at most MAX_SCORED). */
function shortlist(
  all: readonly StaffEntry[],
  read: string,
  readings: readonly string[],
  candidates: readonly string[],
): StaffEntry[] {
  const digits = digitsAtTheEnd(vgrIdKey(read));
  const ids = new Set(candidates);
  return all
    .filter(
      (e) =>
        (digits !== "" && /\d+$/.exec(vgrIdKey(e.vgrId))?.[0] === digits) ||
        ids.has(vgrIdKey(e.vgrId)) ||
        matchStaffName(readings, e.name).match,
    )
    .slice(0, MAX_SCORED);
}

/** The digits an id ends with, reading look-alike letters after the fifth character as the digits they resemble. */
function digitsAtTheEnd(id: string): string {
  const asDigit: Record<string, string> = { l: "1", i: "1", o: "0", s: "5", z: "2", b: "6", g: "9", q: "9" };
  const tail = [...id.slice(5)].map((c) => (/\d/.test(c) ? c : (asDigit[c] ?? ""))).join("");
  return tail.length === id.length - 5 ? tail : (id.match(/\d+$/)?.[0] ?? "");
}

async function lookedUp(staff: StaffDirectory, ids: readonly string[]): Promise<StaffEntry[]> {
  const found = new Map<string, StaffEntry>();
  for (const id of ids) {
    const entry = await staff.findByVgrId(id);
    if (entry) found.set(vgrIdKey(entry.vgrId), entry);
  }
  return [...found.values()];
}
