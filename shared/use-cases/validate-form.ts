// Validate a read form: apply the handler's corrections, look the subject up in the registry (only with a
// valid personnummer), take the current approved-caregiver list, and run the contract's decision rules.
// A registry outage throws PersonRegistryUnavailableError: we never decide without the registry.
import type { RegistryResult } from "../domain/case.ts";
import type { Decision, ExtractedForm, FieldValue, ReasonCode } from "../domain/forms.ts";
import { FORM_ROLES } from "../domain/forms.ts";
import { isValidPersonnummer12 } from "../domain/personnummer.ts";
import { DEFAULT_MIN_CONFIDENCE, decide, personnummerValue } from "../domain/rules.ts";
import type { CaregiverList, Person, PersonRegistry } from "../ports/person-registry.ts";

export interface ValidateInput {
  form: ExtractedForm;
  corrections?: Record<string, string | boolean>;
  receivedDate: string;
  minConfidence?: number;
}

export interface ValidateDeps {
  registry: PersonRegistry;
  caregivers: CaregiverList;
}

export interface ValidateOutput {
  decision: Decision;
  reasons: ReasonCode[];
  subjectPersonnummer: string | null;
  registry: RegistryResult | null;
  caregiverListVersion: string;
  effectiveFields: Record<string, FieldValue>;
  subject: Person | null;
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
  });

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
    doubtfulFields: result.doubtfulFields,
  };
}
