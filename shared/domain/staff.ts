// The vouching staff member checked against the staff directory (HSA; ../shared/forms/README.md §8), pure.
//
// The VGR-ID on the form is the staff member's id in the directory. The entry found under it must carry the name
// written on the form, compared as the subject's name is (names.ts: folded, OCR noise per word; every written given
// name must be one of the registered ones, the surname must be the registered one). Where two readers read the name
// differently (`alternatives`), a match by either reading is a match; "not verified" needs every reading to differ.
// - found, name matches                → VERIFIED (the vidimation's identity is confirmed; the entry is recorded);
// - found under another name, or not found (a VGR-ID nobody has) → NOT_VERIFIED (REVIEW: STAFF_NOT_VERIFIED);
// - the VGR-ID or the name read with doubt, and no match to confirm it → DOUBTFUL (LOW_CONFIDENCE: never EXECUTE,
//   never a STAFF_NOT_VERIFIED claim on a misread).
// An empty VGR-ID is not looked up: PHONE_VERIFICATION stays the rule for it (rules.ts).
import { matchName } from "./names.ts";
import { fold } from "./vocabulary.ts";

/** A directory entry (the StaffDirectory port answers with these). */
export interface StaffEntry {
  vgrId: string;
  name: string;
  title: string;
  unit: string;
  caregiver: string;
  email: string;
  phone: string;
  unitEmail: string;
  unitAddress: string;
}

export type StaffStatus = "VERIFIED" | "NOT_VERIFIED" | "DOUBTFUL";

export interface StaffCheck {
  status: StaffStatus;
  /** The VGR-ID as looked up. */
  vgrId: string;
  /** The directory entry under that VGR-ID (null when there is none). */
  entry: StaffEntry | null;
  /** How well the written name matches the entry's (0 for a mismatch or no entry). */
  nameConfidence: number;
}

/** The directory's key for an id: case-insensitive, spaces ignored (the StaffDirectory port's contract). */
export function vgrIdKey(vgrId: string): string {
  return vgrId.replace(/\s+/g, "").toLowerCase();
}

/**
 * The entry of the vouching staff member: under the VGR-ID as read when it carries one of the written names, else
 * under the first other reading of the id that does (the reader's reading against the directory), else whatever
 * the id as read finds (null: nobody). `find` is the directory's lookup.
 */
export async function findVouchingEntry(
  ids: readonly string[],
  nameReadings: readonly string[],
  find: (vgrId: string) => Promise<StaffEntry | null>,
): Promise<StaffEntry | null> {
  let asRead: StaffEntry | null = null;
  for (const [i, id] of ids.entries()) {
    if (id.trim() === "") continue;
    const entry = await find(id.trim());
    if (i === 0) asRead = entry;
    if (entry && matchStaffName(nameReadings, entry.name).match) return entry;
  }
  return asRead;
}

/** Splits a full name "Given Names Surname" into the matcher's parts (the last word is the surname). */
export function splitFullName(full: string): { given: string; surname: string } {
  const words = full.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return { given: "", surname: words[0] ?? "" };
  return { given: words.slice(0, -1).join(" "), surname: words.at(-1) as string };
}

/** The best match of any reading of the written name with the entry's name. */
export function matchStaffName(readings: readonly string[], entryName: string): { match: boolean; confidence: number } {
  const registered = splitFullName(entryName);
  const registryName = { givenNames: fold(registered.given).split(" ").filter(Boolean), surname: registered.surname };
  let best = { match: false, confidence: 0 };
  for (const reading of readings) {
    if (reading.trim() === "") continue;
    const m = matchName(splitFullName(reading), registryName);
    if (m.match && (!best.match || m.confidence > best.confidence)) best = { match: true, confidence: m.confidence };
  }
  return best;
}

export interface StaffCheckInput {
  vgrId: string;
  vgrIdDoubtful: boolean;
  /** The name box as read, then any other reader's reading. */
  nameReadings: readonly string[];
  nameDoubtful: boolean;
  /** The entry under the VGR-ID; null when the directory has none. */
  entry: StaffEntry | null;
  minConfidence: number;
}

export function checkStaff(input: StaffCheckInput): StaffCheck {
  const base = { vgrId: input.vgrId, entry: input.entry };
  const m = input.entry ? matchStaffName(input.nameReadings, input.entry.name) : { match: false, confidence: 0 };
  if (input.entry && m.match && m.confidence >= input.minConfidence && !input.vgrIdDoubtful) {
    return { ...base, status: "VERIFIED", nameConfidence: m.confidence };
  }
  // A doubtful read cannot claim "not verified", nor be confirmed: a handler looks (LOW_CONFIDENCE).
  if (input.vgrIdDoubtful || input.nameDoubtful || (m.match && m.confidence < input.minConfidence)) {
    return { ...base, status: "DOUBTFUL", nameConfidence: m.confidence };
  }
  return { ...base, status: "NOT_VERIFIED", nameConfidence: m.confidence };
}
