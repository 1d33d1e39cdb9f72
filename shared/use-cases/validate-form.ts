// Validate a read form: apply the handler's corrections, look the subject up in the registry (only with a
// valid personnummer), take the current approved-caregiver list, and run the contract's decision rules.
// A registry outage throws PersonRegistryUnavailableError: we never decide without the registry.
// With a staff directory configured, the vouching staff member is looked up by the written VGR-ID (staff.ts) and
// their address fields snapped to the directory's addresses (mail-safety.ts); an outage throws
// StaffDirectoryUnavailableError (retried, then parked). Without a directory today's rules stand exactly.
import type { RegistryResult } from "../domain/case.ts";
import type { Decision, ExtractedForm, FieldValue, ReasonCode } from "../domain/forms.ts";
import { FORM_ROLES } from "../domain/forms.ts";
import { snapStaffAddresses } from "../domain/mail-safety.ts";
import { isValidPersonnummer12 } from "../domain/personnummer.ts";
import { DEFAULT_MIN_CONFIDENCE, decide, personnummerValue } from "../domain/rules.ts";
import { findVouchingEntry, type StaffCheck, type StaffEntry } from "../domain/staff.ts";
import type { CaregiverList, Person, PersonRegistry } from "../ports/person-registry.ts";
import type { StaffDirectory } from "../ports/staff-directory.ts";

export interface ValidateInput {
  form: ExtractedForm;
  corrections?: Record<string, string | boolean>;
  receivedDate: string;
  minConfidence?: number;
}

export interface ValidateDeps {
  registry: PersonRegistry;
  caregivers: CaregiverList;
  /** The staff directory; absent: no staff check, no address snapping. */
  staff?: StaffDirectory | undefined;
}

export interface ValidateOutput {
  decision: Decision;
  reasons: ReasonCode[];
  subjectPersonnummer: string | null;
  registry: RegistryResult | null;
  caregiverListVersion: string;
  effectiveFields: Record<string, FieldValue>;
  subject: Person | null;
  /** The vouching staff member checked against the directory (null: no directory, or nothing to check). */
  staff: StaffCheck | null;
  /** Address fields snapped to the verified staff member's directory addresses (field → address). */
  staffAddresses: Record<string, string>;
  /** Fields read with low confidence and not confirmed (they make a case LOW_CONFIDENCE). */
  doubtfulFields: string[];
}

export async function validateForm(input: ValidateInput, deps: ValidateDeps): Promise<ValidateOutput> {
  const { form } = input;
  const corrections = input.corrections ?? {};
  const effectiveFields: Record<string, FieldValue> = {};
  const confidence: Record<string, number> = {};
  const alternatives: Record<string, string[]> = {};
  for (const [name, reading] of Object.entries(form.fields)) {
    effectiveFields[name] = reading.value;
    confidence[name] = reading.confidence;
    if (reading.alternatives && reading.alternatives.length > 0) alternatives[name] = reading.alternatives;
  }
  // A handler's correction is certain: it replaces the read value, its confidence and any other reading.
  for (const [name, value] of Object.entries(corrections)) {
    effectiveFields[name] = value;
    confidence[name] = 1;
    delete alternatives[name];
  }

  const caregiverList = await deps.caregivers.current();

  let subjectPersonnummer: string | null = null;
  let lookedUp = false;
  let subject: Person | null = null;
  if (form.formCode !== null) {
    const pnr = personnummerValue(effectiveFields[`${FORM_ROLES[form.formCode].subject}.personnummer`]);
    subjectPersonnummer = pnr === "" ? null : pnr;
    if (isValidPersonnummer12(pnr)) {
      // Throws PersonRegistryUnavailableError on an outage: the state machine retries, never guesses.
      subject = await deps.registry.findByPersonnummer(pnr);
      lookedUp = true;
    }
  }

  // The vouching staff member's directory entry (throws StaffDirectoryUnavailableError on an outage).
  let staffEntry: StaffEntry | null | undefined;
  if (deps.staff && form.formCode !== null) {
    const { voucher } = FORM_ROLES[form.formCode];
    const vgrId = effectiveFields[`${voucher}.vgrId`];
    const name = effectiveFields[`${voucher}.name`];
    if (typeof vgrId === "string" && vgrId.trim() !== "") {
      const staff = deps.staff;
      staffEntry = await findVouchingEntry(
        [vgrId, ...(alternatives[`${voucher}.vgrId`] ?? [])],
        [typeof name === "string" ? name : "", ...(alternatives[`${voucher}.name`] ?? [])],
        (id) => staff.findByVgrId(id),
      );
    }
  }

  const result = decide({
    formCode: form.formCode,
    action: form.action,
    fields: effectiveFields,
    confidence,
    alternatives,
    receivedDate: input.receivedDate,
    ...(lookedUp ? { subject } : {}),
    approvedCaregivers: caregiverList.names,
    minConfidence: input.minConfidence ?? DEFAULT_MIN_CONFIDENCE,
    ...(staffEntry !== undefined ? { staffEntry } : {}),
  });

  const texts: Record<string, string> = {};
  for (const [name, v] of Object.entries(effectiveFields)) if (typeof v === "string") texts[name] = v;
  const staffAddresses =
    form.formCode !== null && result.staff?.status === "VERIFIED" && result.staff.entry
      ? snapStaffAddresses(form.formCode, texts, result.staff.entry)
      : {};

  const registry: RegistryResult | null = lookedUp
    ? {
        found: subject !== null,
        ...(subject ? { protectedIdentity: subject.protectedIdentity } : {}),
        ...(result.nameMatch ? { nameMatches: result.nameMatch.match } : {}),
        checkedAt: new Date().toISOString(),
      }
    : null;

  return {
    decision: result.decision,
    reasons: result.reasons,
    subjectPersonnummer,
    registry,
    caregiverListVersion: caregiverList.version,
    effectiveFields,
    subject,
    staff: result.staff,
    staffAddresses,
    doubtfulFields: result.doubtfulFields,
  };
}
