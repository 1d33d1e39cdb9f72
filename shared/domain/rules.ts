// The decision rules of the contract (§5), pure: field values in, decision and reason codes out.
//
// Reading is noisy; the rules are exact. Every rule is evaluated three-valued from the values read and
// their confidence (below `minConfidence` a value is "doubtful"):
// - a RETURN rule adds its code only on confident evidence; if it would apply on a doubtful value, or
//   whether it applies hangs on a doubtful value, the case is doubtful;
// - REVIEW codes are added from the values as read (a REVIEW is never a guess toward EXECUTE), except
//   NAME_MISMATCH, which claims "another person" and needs a confident read of the name;
// - a doubtful case with no other code gets LOW_CONFIDENCE (REVIEW): a doubtful value never ends in EXECUTE
//   and never in a RETURN the form did not earn.
// Where a field was read by two readers that differ (handwriting), either reading may match the registry name or
// the caregiver list; a mismatch needs both to differ.
// The registry is independent evidence: a doubtful personnummer whose registry entry carries the written
// name (matchName confidence ≥ minConfidence), or a doubtful guardian number that is one of the child's
// registered guardians, is confirmed; a misread number would point at someone else.
import { type CaregiverClassification, classifyCaregiver } from "./caregivers.ts";
import {
  ACTION_BOXES,
  type Action,
  type Decision,
  type FieldValue,
  FORM_ROLES,
  type FormCode,
  REASON_CODES,
  RETURN_CODES,
  type ReasonCode,
} from "./forms.ts";
import { matchName, type NameMatch } from "./names.ts";
import { ageOn, isValidPersonnummer12 } from "./personnummer.ts";
import { checkStaff, type StaffCheck, type StaffEntry } from "./staff.ts";

export const DEFAULT_MIN_CONFIDENCE = 0.5;

export interface RegistryPerson {
  personnummer: string;
  givenNames: string[];
  surname: string;
  protectedIdentity: boolean;
  guardians: string[];
}

export interface DecideInput {
  formCode: FormCode | null;
  /** The action as classified by the reader; recomputed from the action boxes when they are in `fields`. */
  action: Action | null;
  /** Field values after handler corrections, by dotted name. */
  fields: Record<string, FieldValue>;
  /** Per-field read confidence 0..1; a missing entry (e.g. a handler's correction) counts as 1; a field
   *  missing from `fields` counts as 0 (not read). */
  confidence?: Record<string, number>;
  /** Other readers' differing text of a field (subject names, caregiver): a match with the registry or the list
   *  by any reading is a match; a mismatch needs every reading to differ. */
  alternatives?: Record<string, string[]>;
  /** YYYY-MM-DD, the receipt date for the age rules. */
  receivedDate: string;
  /** The registry entry of the subject's personnummer; null when not found; absent when not looked up. */
  subject?: RegistryPerson | null;
  /** Approved private caregivers (the region is always approved). */
  approvedCaregivers: readonly string[];
  /** Confidence below which a read is doubtful (default 0.5). */
  minConfidence?: number;
  /** The staff directory's entry under the written VGR-ID (null: none); absent when no directory is configured
   *  or the VGR-ID box is empty (then today's rules stand exactly). */
  staffEntry?: StaffEntry | null;
}

export interface DecideOutput {
  decision: Decision;
  reasons: ReasonCode[];
  /** The action the boxes ask for (null when none or both). */
  action: Action | null;
  /** Names of doubtful fields that kept the case from a confident decision (never values). */
  doubtfulFields: string[];
  nameMatch: NameMatch | null;
  caregiver: CaregiverClassification | null;
  /** The vouching staff member checked against the directory (null when not checked). */
  staff: StaffCheck | null;
}

type Tri = "YES" | "NO" | "UNSURE";

interface Condition {
  holds: boolean;
  /** Fields whose reads decide `holds`. */
  fields: string[];
}

/** Normalises a written personnummer: digits with optional hyphen/spaces → digits; anything else kept as is. */
export function personnummerValue(v: FieldValue | undefined): string {
  if (typeof v !== "string") return "";
  const t = v.trim();
  return /^[\d\s-]+$/.test(t) ? t.replace(/[\s-]/g, "") : t;
}

export function decisionFor(reasons: readonly ReasonCode[]): Decision {
  if (reasons.some((r) => RETURN_CODES.has(r))) return "RETURN";
  return reasons.length > 0 ? "REVIEW" : "EXECUTE";
}

/** Contract codes in the contract's order, then pipeline codes. */
export function orderReasons(codes: Iterable<ReasonCode>): ReasonCode[] {
  const order = (c: ReasonCode): number => {
    const i = (REASON_CODES as readonly string[]).indexOf(c);
    return i === -1 ? REASON_CODES.length : i;
  };
  return [...new Set(codes)].sort((a, b) => order(a) - order(b));
}

/** The action the boxes ask for: exactly one ticked box, else null. */
export function actionFromBoxes(formCode: FormCode, fields: Record<string, FieldValue>): Action | null {
  const ticked = ACTION_BOXES[formCode].filter((b) => fields[b.field] === true);
  return ticked.length === 1 ? (ticked[0]?.action ?? null) : null;
}

export function decide(input: DecideInput): DecideOutput {
  const minConfidence = input.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const { formCode, fields } = input;
  if (formCode === null) {
    return {
      decision: "REVIEW",
      reasons: ["UNRECOGNIZED_DOCUMENT"],
      action: null,
      doubtfulFields: [],
      nameMatch: null,
      caregiver: null,
      staff: null,
    };
  }

  const confirmed = new Set<string>(); // doubtful reads confirmed by the registry
  // A field that was not read at all is no evidence either way (confidence 0), never "confidently empty".
  const confidenceOf = (f: string): number => {
    if (confirmed.has(f)) return 1;
    if (!(f in fields)) return 0;
    return input.confidence?.[f] ?? 1;
  };
  const doubtful = (f: string): boolean => confidenceOf(f) < minConfidence;
  const text = (f: string): string => {
    const v = fields[f];
    return typeof v === "string" ? v.trim() : "";
  };
  const ticked = (f: string): boolean => fields[f] === true;

  const codes = new Set<ReasonCode>();
  const doubtfulFields = new Set<string>();

  /** Any-of conditions: YES on one confidently holding condition; UNSURE when doubt could change the outcome. */
  const evaluate = (conditions: Condition[]): Tri => {
    if (conditions.some((c) => c.holds && !c.fields.some(doubtful))) return "YES";
    const unsure = conditions.filter((c) => c.holds || c.fields.some(doubtful));
    if (unsure.length === 0) return "NO";
    for (const c of unsure) for (const f of c.fields) if (doubtful(f)) doubtfulFields.add(f);
    return "UNSURE";
  };
  const returnRule = (code: ReasonCode, conditions: Condition[]): void => {
    if (evaluate(conditions) === "YES") codes.add(code);
  };

  const roles = FORM_ROLES[formCode];
  const subjectPnrField = `${roles.subject}.personnummer`;
  const voucher = roles.voucher;
  const boxes = ACTION_BOXES[formCode];
  const boxesPresent = boxes.every((b) => b.field in fields);
  const action = boxesPresent ? actionFromBoxes(formCode, fields) : input.action;
  const actionFields = boxesPresent ? boxes.map((b) => b.field) : [];

  // --- Registry evidence first (it can confirm doubtful reads the earlier rules use). ---
  const subjectPnr = personnummerValue(fields[subjectPnrField]);
  const subjectValid = isValidPersonnummer12(subjectPnr);
  const person = subjectValid ? input.subject : undefined;
  let nameMatch: NameMatch | null = null;
  const readings = (f: string): string[] => [text(f), ...(input.alternatives?.[f] ?? []).map((a) => a.trim())];
  /** Given names: also each word from whichever reader read it, when the readers agree on the number of words. */
  const givenReadings = (f: string): string[] => {
    const all = readings(f);
    const split = all.map((r) => r.split(/\s+/).filter(Boolean));
    const n = split[0]?.length ?? 0;
    if (all.length < 2 || n === 0 || n > 4 || split.some((w) => w.length !== n)) return all;
    let mixed: string[][] = [[]];
    for (let i = 0; i < n; i++) mixed = mixed.flatMap((m) => split.map((w) => [...m, w[i] as string]));
    return [...new Set([...all, ...mixed.map((m) => m.join(" "))])];
  };
  if (person) {
    // Every reader's reading of each name box; the best match counts (a misread seldom lands on the registry name).
    const registryName = { givenNames: person.givenNames, surname: person.surname };
    for (const given of givenReadings(`${roles.subject}.givenName`)) {
      for (const surname of readings(`${roles.subject}.surname`)) {
        const m = matchName({ given, surname }, registryName);
        if (!nameMatch || m.confidence > nameMatch.confidence || (m.match && !nameMatch.match)) nameMatch = m;
      }
    }
    if (nameMatch?.match && nameMatch.confidence >= minConfidence) confirmed.add(subjectPnrField);
  }
  const guardianFields = formCode === "1177-VH" ? ["guardian1", "guardian2"] : [];
  if (person) {
    for (const g of guardianFields) {
      const pnr = personnummerValue(fields[`${g}.personnummer`]);
      if (isValidPersonnummer12(pnr) && person.guardians.includes(pnr)) confirmed.add(`${g}.personnummer`);
    }
  }

  // The caregiver (CAREGIVER_NOT_APPROVED below), classified first: the staff check needs it.
  const caregiverField = `${voucher}.caregiver`;
  let caregiver = classifyCaregiver(
    text(caregiverField),
    input.approvedCaregivers,
    confidenceOf(caregiverField),
    minConfidence,
  );
  // Another reader's reading that is an approved caregiver makes it approved (it cannot make it "not approved").
  for (const other of readings(caregiverField).slice(1)) {
    const alt = classifyCaregiver(other, input.approvedCaregivers, confidenceOf(caregiverField), minConfidence);
    if (alt.status === "APPROVED" && caregiver.status !== "APPROVED") caregiver = alt;
  }

  // The vouching staff member in the directory: the VGR-ID's entry must carry the written name (staff.ts). Only
  // with a directory, a written VGR-ID and a name (an empty name is NOT_VIDIMATED); a doubtful read is doubt, never
  // the claim.
  let staff: StaffCheck | null = null;
  const staffNameField = `${voucher}.name`;
  const vgrIdField = `${voucher}.vgrId`;
  if (
    input.staffEntry !== undefined &&
    caregiver.status !== "NOT_APPROVED" &&
    text(vgrIdField) !== "" &&
    text(staffNameField) !== ""
  ) {
    // The entry may be under another reading of the id (the reader's reading against the directory,
    // extraction/staff-read.ts): the check records the directory's id. A doubtful id stays doubt either way.
    staff = checkStaff({
      vgrId: input.staffEntry?.vgrId ?? text(vgrIdField),
      vgrIdDoubtful: doubtful(vgrIdField),
      nameReadings: readings(staffNameField),
      nameDoubtful: doubtful(staffNameField),
      entry: input.staffEntry,
      minConfidence,
    });
    // The directory's entry carrying the written name confirms a doubtful name read (as the registry does).
    if (staff.status === "VERIFIED") confirmed.add(staffNameField);
  }

  // NOT_VIDIMATED
  returnRule("NOT_VIDIMATED", [
    { holds: text(`${voucher}.name`) === "", fields: [`${voucher}.name`] },
    { holds: !ticked(`${voucher}.signed`), fields: [`${voucher}.signed`] },
  ]);

  // ACTION_MISSING
  returnRule("ACTION_MISSING", [{ holds: action === null, fields: actionFields }]);

  // CITIZEN_SIGNATURE_MISSING
  if (formCode === "1177-EGEN") {
    returnRule("CITIZEN_SIGNATURE_MISSING", [{ holds: !ticked("citizen.signed"), fields: ["citizen.signed"] }]);
  }

  // AGE_NOT_ELIGIBLE: from the birth date whenever it is a calendar date (check digit not required).
  const age = ageOn(subjectPnr, input.receivedDate);
  if (age !== null) {
    const tooYoungOrOld = formCode === "1177-VH" ? age >= 13 : age < 13;
    returnRule("AGE_NOT_ELIGIBLE", [{ holds: tooYoungOrOld, fields: [subjectPnrField] }]);
  } else if (doubtful(subjectPnrField)) {
    doubtfulFields.add(subjectPnrField);
  }

  // THREAT_CHECK_MISSING
  if (formCode === "1177-VG" && action === "UNLOCK") {
    returnRule("THREAT_CHECK_MISSING", [
      { holds: !ticked("manager.threatChecked"), fields: ["manager.threatChecked"] },
      { holds: text("manager.name") === "", fields: ["manager.name"] },
      { holds: !ticked("manager.signed"), fields: ["manager.signed"] },
    ]);
  }

  // CAREGIVER_NOT_APPROVED (classified above)
  if (caregiver.status === "NOT_APPROVED") codes.add("CAREGIVER_NOT_APPROVED");
  else if (caregiver.status === "UNCERTAIN" || caregiver.confidence < minConfidence) doubtfulFields.add(caregiverField);

  // PNR_INVALID: the subject's, and on 1177-VH each written guardian's (guardian 1 required; guardian 2
  // when its name is written).
  if (!subjectValid) codes.add("PNR_INVALID");
  for (const g of guardianFields) {
    const field = `${g}.personnummer`;
    const pnr = personnummerValue(fields[field]);
    const required = g === "guardian1" || text(`${g}.name`) !== "";
    if (pnr === "" && !required) {
      if (doubtful(field)) doubtfulFields.add(field); // a guardian 2 number may have been missed
      continue;
    }
    if (!isValidPersonnummer12(pnr)) codes.add("PNR_INVALID");
  }

  // Registry checks: only with a valid subject personnummer.
  if (subjectValid) {
    if (person === undefined) {
      codes.add("REGISTRY_UNAVAILABLE");
    } else if (person === null) {
      codes.add("PERSON_NOT_FOUND");
    } else {
      const nameFields = [`${roles.subject}.givenName`, `${roles.subject}.surname`];
      if (nameMatch && !nameMatch.match) {
        if (nameFields.some(doubtful)) for (const f of nameFields) doubtfulFields.add(f);
        else codes.add("NAME_MISMATCH");
      } else if (nameMatch && nameMatch.confidence < minConfidence) {
        for (const f of nameFields) doubtfulFields.add(f);
      }
    }
  }

  // PHONE_VERIFICATION: approved caregiver but an empty VGR-ID box.
  if (caregiver.status === "APPROVED") {
    if (text(vgrIdField) === "") codes.add("PHONE_VERIFICATION");
    else if (doubtful(vgrIdField)) doubtfulFields.add(vgrIdField);
  }

  // STAFF_NOT_VERIFIED (checked above): a doubtful read is doubt, never the claim.
  if (staff?.status === "NOT_VERIFIED") codes.add("STAFF_NOT_VERIFIED");
  else if (staff?.status === "DOUBTFUL") doubtfulFields.add(doubtful(vgrIdField) ? vgrIdField : `${voucher}.name`);

  if (person?.protectedIdentity) codes.add("PROTECTED_IDENTITY");

  // GUARDIAN_MISMATCH: a valid guardian number that is not among the child's registered guardians.
  if (person) {
    for (const g of guardianFields) {
      const pnr = personnummerValue(fields[`${g}.personnummer`]);
      if (isValidPersonnummer12(pnr) && !person.guardians.includes(pnr)) codes.add("GUARDIAN_MISMATCH");
    }
  }

  // The subject's number itself: doubtful and not confirmed by the registry name → doubtful case.
  if (doubtful(subjectPnrField)) doubtfulFields.add(subjectPnrField);

  if (codes.size === 0 && doubtfulFields.size > 0) codes.add("LOW_CONFIDENCE");
  const reasons = orderReasons(codes);
  return {
    decision: decisionFor(reasons),
    reasons,
    action,
    doubtfulFields: [...doubtfulFields].sort(),
    nameMatch,
    caregiver,
    staff,
  };
}
