// The case record: the DynamoDB item is the source of truth; executions are short and idempotent.

import type { Action, Decision, ExtractedForm, FieldReading, FormCode, ReasonCode } from "./forms.ts";
import type { FourEyesWhy } from "./four-eyes.ts";
import type { StaffEntry, StaffStatus } from "./staff.ts";

export const CASE_STATUSES = [
  "RECEIVED", // registered from a scan, not read yet
  "READ", // form read, not validated yet
  "IN_REVIEW", // parked: waits for a handler (decision REVIEW, or set aside after a failure)
  "AWAITING_SECOND_APPROVAL", // a handler proposed an approval that needs a second handler (four eyes)
  "APPROVED", // a handler approved: the resumed execution will re-validate and execute
  "EXECUTING", // account action under way
  "AWAITING_MANUAL_EXECUTION", // manual mode: a handler does it in the 1177 staff tool and confirms
  "EXECUTED", // account action done, confirmation sent
  "RETURNED", // returned for completion, notice sent
  "CLOSED", // closed by a handler with a note
  "FAILED", // the pipeline failed; a handler must look
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface ScanRef {
  bucket: string;
  key: string;
  versionId?: string;
  sha256?: string;
  size?: number;
  /** The object's etag at registration: a later object under the key (another upload) has another. */
  etag?: string;
  contentType?: string;
  fileName: string;
}

/**
 * A document of a batch file (an envelope stack scanned into one PDF/TIFF holds several forms; contract §9): its
 * place in the file. Every document is its own case; all point at the one file (`scan`). Absent: the file is one
 * document. Pages are 0-based indexes into the file.
 */
export interface DocumentRef {
  /** 0-based: the file's first document is 0 (the file's own case). */
  index: number;
  /** Documents in the file. */
  count: number;
  pages: number[];
  /** The document's form page, or null for a file without a form (one UNRECOGNIZED_DOCUMENT). */
  formPage: number | null;
  /** The case of the file's first document: the archive copy of the file lives under it. */
  fileCaseId: string;
}

/** A document's case id: the file's case for the first, `<file case>-<n>` (1-based) for the others. Stable. */
export function documentCaseId(fileCaseId: string, index: number): string {
  return index === 0 ? fileCaseId : `${fileCaseId}-${index + 1}`;
}

/**
 * The key that says "the same bytes" for DUPLICATE_SCAN: the file's sha256, and for a document of a batch the
 * sha256 with the document's index (its siblings share the file's bytes but are other papers).
 */
export function paperBytesKey(record: Pick<CaseRecord, "scan" | "document">): string | undefined {
  const sha = record.scan?.sha256;
  if (!sha) return undefined;
  return record.document && record.document.count > 1 ? `${sha}#${record.document.index}` : sha;
}

export interface HistoryEntry {
  at: string; // ISO time
  by: string; // step name ("ReadForm") or a user id ("user:anna")
  what: string; // e.g. "status RECEIVED → READ", "field citizen.surname corrected"
  /** A person's display name as their sign-in gave it (staff, never a citizen), so every page can name them. */
  name?: string;
}

export interface RegistryResult {
  found: boolean;
  protectedIdentity?: boolean;
  nameMatches?: boolean;
  /** Masked, never the full registry name in lists. */
  checkedAt: string;
}

/** The vouching staff member as the staff directory knows them (staff.ts), recorded by ValidateCase. */
export interface StaffDirectoryResult {
  status: StaffStatus;
  /** The VGR-ID as looked up. */
  vgrId: string;
  /** The directory's entry under that VGR-ID (staff data, no patient data); null when it has none. */
  entry: StaffEntry | null;
  /** Address fields snapped to the verified member's directory addresses (field → address; mail-safety.ts). */
  addresses: Record<string, string>;
  checkedAt: string;
}

export interface PhoneVerification {
  at: string;
  by: string;
  /** Name of the staff member reached by phone (staff, not the subject; never logged). */
  calledName: string;
  phone: string;
  outcome: "VERIFIED" | "NOT_VERIFIED" | "NO_ANSWER";
}

/** Who a letter goes to: the citizen (postal address from the person registry) or the vouching staff member's unit. */
export type LetterRecipient = "CITIZEN" | "STAFF";

export interface LetterRecord {
  kind: "CONFIRMATION" | "RETURN_NOTICE";
  bucket: string;
  key: string;
  at: string;
  /** Absent on letters written before letters had recipients: those went to the vouching staff member's unit. */
  recipient?: LetterRecipient;
  /** No postal address was known: the letter says "Adress saknas" and the mail room must find the address. */
  addressMissing?: boolean;
  /** Marked posted by the mail room: when, by whom (user id) and the user's display name. */
  posted?: { at: string; by: string; name: string };
}

export interface CaseRecord {
  caseId: string;
  version: number;
  status: CaseStatus;
  scan?: ScanRef;
  /** This case's document of a batch file (absent: the file is one document). */
  document?: DocumentRef;
  receivedAt: string; // arrival stamp (S3 event time), ISO
  receivedDate: string; // YYYY-MM-DD, the receipt date for the age rules
  formCode: FormCode | null;
  formVersion: string | null;
  action: Action | null;
  fields: Record<string, FieldReading>;
  /** Handler corrections, by dotted field name; validation uses them over the read value. */
  corrections: Record<string, string | boolean>;
  decision: Decision | null;
  reasons: ReasonCode[];
  /** The subject's personnummer as read (or corrected), for "cases by personnummer". */
  subjectPersonnummer?: string;
  registry?: RegistryResult;
  /** How the scan lies, from the reader's registration: the viewer shows it upright and offers every page. */
  scanLayout?: { pageCount: number; formPage: number | null; upsideDown: boolean };
  /** Fields validation found doubtful (read with low confidence, not confirmed): the ones that decided LOW_CONFIDENCE. */
  doubtfulFields?: string[];
  caregiverListVersion?: string;
  /** The staff directory's check of the vouching staff member (only with a directory configured). */
  staff?: StaffDirectoryResult;
  earlierCaseIds?: string[];
  /**
   * A handler's recorded approval: allows execution despite REVIEW reasons. `by`/`at` are the (first) handler's;
   * `secondApprover` is the other handler who approved a four-eyes proposal (shared/domain/four-eyes.ts).
   */
  handlerDecision?: {
    by: string;
    at: string;
    decision: "APPROVE" | "RETURN" | "CLOSE";
    note?: string;
    /** RETURN: the reasons the handler ticked; the return notice explains these, not the machine's reasons. */
    returnReasons?: ReasonCode[];
    /** RETURN: the handler's message to the sender, printed in the notice (checked: no personnummer). */
    noticeNote?: string;
    secondApprover?: { by: string; at: string; note?: string };
  };
  /** Status AWAITING_SECOND_APPROVAL: the approval one handler proposed, waiting for a different handler. */
  proposal?: {
    by: string;
    at: string;
    decision: "APPROVE";
    note?: string;
    why: FourEyesWhy[];
    overrides: ReasonCode[];
  };
  /** An urgent protective action run on one handler's word: followed up until the paper form arrives (linked). */
  followUp?: { what: "AWAITING_PAPER"; since: string };
  claimedBy?: string;
  execution?: { result: string; at: string; details?: Record<string, string> };
  mails?: Array<{ kind: "CONFIRMATION" | "RETURN_NOTICE"; to: string[]; messageId: string; at: string }>;
  /** Written just before an e-mail is handed to SES: an intent without a sent mail means "may have gone out". */
  mailIntents?: Array<{ kind: "CONFIRMATION" | "RETURN_NOTICE"; key: string; at: string }>;
  letterRequired?: boolean;
  /** Printable letters (a mail that could not be e-mailed), stored in the archive bucket; the mail room posts them. */
  letters?: LetterRecord[];
  /** Manual mode: the steps a handler carries out in the 1177 staff tool before confirming. */
  manualChecklist?: Array<{ step: string; done: boolean }>;
  archive?: { bucket: string; scanKey: string; summaryKey: string; at: string };
  failure?: { error: string; cause: string; at: string };
  /** Why the pipeline parked the case for a handler when no reason code says it (e.g. an unreadable scan). Never personal data. */
  reviewReason?: string;
  /** Phone verifications of the vouching staff member (PHONE_VERIFICATION), newest last. */
  phoneVerifications?: PhoneVerification[];
  /** Urgent cases created by hand without a scan, and the paper form that arrived later, point at each other. */
  links?: { scanCaseId?: string; urgentCaseId?: string };
  /** True for a case a handler created by hand (urgent, no scan yet). */
  manual?: boolean;
  /** The arrival date (YYYY-MM-DD, Swedish time) of the upload: the system's receipt date. */
  arrivalDate?: string;
  /** An earlier receipt date the mail room set (the envelope's stamp), and who set it; receivedDate uses it when valid. */
  claimedReceivedDate?: { date: string; by: string };
  /** The earliest original this paper repeats (DUPLICATE_SCAN): same bytes or same form content. */
  duplicateOf?: string;
  /** The executed case with the opposite action vouched for on or after this paper's date (LATER_CASE_EXISTS). */
  laterCaseId?: string;
  /** sha256 of the paper's content fingerprint (form, action, subject, vouching staff member and date). */
  contentFingerprint?: string;
  /** The vouching date written on the form (YYYY-MM-DD), or the receipt date when it could not be read. */
  vouchedOn?: string;
  history: HistoryEntry[];
  createdAt: string;
  updatedAt: string;
}

export function extractedToCaseFields(
  form: ExtractedForm,
): Pick<CaseRecord, "formCode" | "formVersion" | "action" | "fields"> {
  return { formCode: form.formCode, formVersion: form.formVersion, action: form.action, fields: form.fields };
}

export function maskPersonnummer(pnr: string | undefined | null): string {
  if (!pnr) return "";
  const digits = pnr.replace(/\D/g, "");
  if (digits.length < 8) return "****";
  return `${digits.slice(0, 8)}-****`;
}

/** A case as first written: not read yet, no decision; `at` is the creation time (ISO). */
export function newCase(init: {
  caseId: string;
  status: CaseStatus;
  scan?: ScanRef;
  receivedAt: string;
  receivedDate: string;
  at: string;
  by: string;
  what: string;
}): CaseRecord {
  return {
    caseId: init.caseId,
    version: 1,
    status: init.status,
    ...(init.scan ? { scan: init.scan } : {}),
    receivedAt: init.receivedAt,
    receivedDate: init.receivedDate,
    formCode: null,
    formVersion: null,
    action: null,
    fields: {},
    corrections: {},
    decision: null,
    reasons: [],
    history: [{ at: init.at, by: init.by, what: init.what }],
    createdAt: init.at,
    updatedAt: init.at,
  };
}
