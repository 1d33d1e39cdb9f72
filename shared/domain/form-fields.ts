// Every field of each form (contract §1, ../shared/forms/README.md) with its type, in the form's order: the handler's
// manual entry of a document the reader did not recognise asks for exactly these. Pure data.
import type { FieldType, FormCode } from "./forms.ts";

export interface FormField {
  name: string;
  type: FieldType;
}

/** The vouching staff member's boxes, the same on every form (1177-VG and 1177-VH have a second address). */
function voucherFields(role: "verifier" | "requester", secondAddress: boolean): FormField[] {
  const text = ["name", "title", "unit", "caregiver", "vgrId", "phone", "email", ...(secondAddress ? ["email2"] : [])];
  return [
    ...[...text, "date"].map((n): FormField => ({ name: `${role}.${n}`, type: "text" })),
    { name: `${role}.signed`, type: "signature" },
  ];
}

export const FORM_FIELDS: Record<FormCode, readonly FormField[]> = {
  "1177-EGEN": [
    { name: "action.lock", type: "checkbox" },
    { name: "action.unlock", type: "checkbox" },
    { name: "citizen.personnummer", type: "personnummer" },
    { name: "citizen.phone", type: "text" },
    { name: "citizen.givenName", type: "text" },
    { name: "citizen.surname", type: "text" },
    { name: "citizen.email", type: "text" },
    { name: "citizen.placeAndDate", type: "text" },
    { name: "citizen.signed", type: "signature" },
    { name: "verifier.idDocument.passport", type: "checkbox" },
    { name: "verifier.idDocument.nationalIdCard", type: "checkbox" },
    { name: "verifier.idDocument.drivingLicence", type: "checkbox" },
    { name: "verifier.idDocument.other", type: "checkbox" },
    { name: "verifier.idDocument.otherText", type: "text" },
    ...voucherFields("verifier", false),
  ],
  "1177-VG": [
    { name: "action.lock", type: "checkbox" },
    { name: "action.unlock", type: "checkbox" },
    { name: "urgent", type: "checkbox" },
    { name: "citizen.personnummer", type: "personnummer" },
    { name: "citizen.givenName", type: "text" },
    { name: "citizen.surname", type: "text" },
    { name: "manager.threatChecked", type: "checkbox" },
    { name: "manager.name", type: "text" },
    { name: "manager.signed", type: "signature" },
    ...voucherFields("requester", true),
  ],
  "1177-VH": [
    { name: "action.block", type: "checkbox" },
    { name: "action.unblock", type: "checkbox" },
    { name: "child.personnummer", type: "personnummer" },
    { name: "child.givenName", type: "text" },
    { name: "child.surname", type: "text" },
    { name: "guardian1.personnummer", type: "personnummer" },
    { name: "guardian1.name", type: "text" },
    { name: "guardian2.personnummer", type: "personnummer" },
    { name: "guardian2.name", type: "text" },
    { name: "concernReported", type: "checkbox" },
    ...voucherFields("requester", true),
  ],
};
