// The region's three forms and the vocabulary of the contract (../shared/forms/README.md).

export const FORM_CODES = ["1177-EGEN", "1177-VG", "1177-VH"] as const;
export type FormCode = (typeof FORM_CODES)[number];

export const ACTIONS = ["LOCK", "UNLOCK", "BLOCK", "UNBLOCK"] as const;
export type Action = (typeof ACTIONS)[number];

export const DECISIONS = ["EXECUTE", "RETURN", "REVIEW"] as const;
export type Decision = (typeof DECISIONS)[number];

/** Reason codes in the contract's order: reasons are always listed in this order. */
export const REASON_CODES = [
  "NOT_VIDIMATED",
  "ACTION_MISSING",
  "CITIZEN_SIGNATURE_MISSING",
  "AGE_NOT_ELIGIBLE",
  "THREAT_CHECK_MISSING",
  "CAREGIVER_NOT_APPROVED",
  "PNR_INVALID",
  "PERSON_NOT_FOUND",
  "NAME_MISMATCH",
  "PHONE_VERIFICATION",
  "PROTECTED_IDENTITY",
  "GUARDIAN_MISMATCH",
  "STAFF_NOT_VERIFIED",
  "DUPLICATE_SCAN",
  "LATER_CASE_EXISTS",
  "UNRECOGNIZED_DOCUMENT",
] as const;
/** Codes beyond the contract that the pipeline adds (never produced for the evaluation corpus' clean reads). */
export const PIPELINE_REASON_CODES = [
  "LOW_CONFIDENCE",
  "PRIOR_OPEN_CASE",
  "REGISTRY_UNAVAILABLE",
  "CHILD_PROTECTED_NO_BLOCK_NEEDED",
] as const;
export type ContractReasonCode = (typeof REASON_CODES)[number];
export type PipelineReasonCode = (typeof PIPELINE_REASON_CODES)[number];
export type ReasonCode = ContractReasonCode | PipelineReasonCode;

export const RETURN_CODES: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  "NOT_VIDIMATED",
  "ACTION_MISSING",
  "CITIZEN_SIGNATURE_MISSING",
  "AGE_NOT_ELIGIBLE",
  "THREAT_CHECK_MISSING",
  "CAREGIVER_NOT_APPROVED",
]);

export type FieldType = "checkbox" | "personnummer" | "text" | "signature";

/** One field's value as read: text and personnummer are strings, checkbox and signature booleans. */
export type FieldValue = string | boolean;

export interface FieldReading {
  value: FieldValue;
  /** 0..1: how sure the reader is of this value. */
  confidence: number;
  /**
   * Text another reader made of the same writing when the two differ (hand-written names, caregiver). Used only to
   * match a known value (the registry's name, the caregiver list): a match by either reader is a match; a mismatch
   * needs both.
   */
  alternatives?: string[];
  /** Where on the page (in page pixels of the registered scan) the field was read, for the handler UI. */
  box?: { page: number; x: number; y: number; w: number; h: number };
}

/** What the form reader hands to validation: engine-independent. */
export interface ExtractedForm {
  formCode: FormCode | null;
  formVersion: string | null;
  action: Action | null;
  fields: Record<string, FieldReading>;
  /** Overall page-level notes for humans, never personal data. */
  warnings: string[];
}

export const REGION_CAREGIVER = "Västra Götalandsregionen";

/** Who is the subject and who vouches, per form. */
export const FORM_ROLES: Record<FormCode, { subject: "citizen" | "child"; voucher: "verifier" | "requester" }> = {
  "1177-EGEN": { subject: "citizen", voucher: "verifier" },
  "1177-VG": { subject: "citizen", voucher: "requester" },
  "1177-VH": { subject: "child", voucher: "requester" },
};

export const FORM_TITLES: Record<FormCode, string> = {
  "1177-EGEN": "Begäran om låsning eller upplåsning av inloggning till 1177 e-tjänster – på invånarens egen begäran",
  "1177-VG":
    "Låsning eller brytande av låsning av invånares inloggning till 1177 e-tjänster, 13 år och äldre – på vårdgivarens begäran",
  "1177-VH": "Blockering av vårdnadshavares åtkomst till barns journal och e-tjänster på 1177 (barn 0–12 år)",
};

/** Action box field names per form, and the action each one asks for. */
export const ACTION_BOXES: Record<FormCode, Array<{ field: string; action: Action }>> = {
  "1177-EGEN": [
    { field: "action.lock", action: "LOCK" },
    { field: "action.unlock", action: "UNLOCK" },
  ],
  "1177-VG": [
    { field: "action.lock", action: "LOCK" },
    { field: "action.unlock", action: "UNLOCK" },
  ],
  "1177-VH": [
    { field: "action.block", action: "BLOCK" },
    { field: "action.unblock", action: "UNBLOCK" },
  ],
};

export function isFormCode(s: unknown): s is FormCode {
  return typeof s === "string" && (FORM_CODES as readonly string[]).includes(s);
}
