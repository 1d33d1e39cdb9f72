// Which address read from a form may be e-mailed, pure. ONE rule, used by SendMail (the real mails) and by
// `lockdesk eval` (mailedAddresses / wrongMailAddresses / letters): a confirmation that reaches a stranger tells
// them that a named person locked their 1177 login, so an address is mailed only when it is known exactly:
// 1. a handler's correction;
// 2. an address of the verified vouching staff member in the staff directory (their own or their unit's): the read
//    is snapped to that closed vocabulary only with a clear margin (snapEmail), never between two near-identical
//    directory addresses;
// 3. otherwise (a citizen's address, or one the directory does not know) only a reading that is certain letter for
//    letter: the reader's confidence ≥ MAIL_ADDRESS_MIN_CONFIDENCE (the reader doubts every reading whose ink
//    does not fit its text: shared/extraction/email.ts).
// Anything else written in an address box becomes a letter.
import type { FormCode } from "./forms.ts";
import { FORM_ROLES } from "./forms.ts";
import { ocrDistance } from "./vocabulary.ts";

/**
 * An address read from the scan with less confidence than this is never mailed: one misread character sends
 * personal data to a stranger. Typed addresses read at 0.76–0.99 on the development scans; a hand-written one is as
 * sure as its least sure character.
 */
export const MAIL_ADDRESS_MIN_CONFIDENCE = 0.7;

/** The address fields of a form: the citizen's (1177-EGEN) and the vouching staff member's. */
export function addressFieldsOf(formCode: FormCode): string[] {
  const voucher = FORM_ROLES[formCode].voucher;
  const staff = voucher === "verifier" ? ["verifier.email"] : ["requester.email", "requester.email2"];
  return [...(formCode === "1177-EGEN" ? ["citizen.email"] : []), ...staff];
}

/** The vouching staff member's address fields (snapped to the directory when the member is verified). */
export function staffAddressFieldsOf(formCode: FormCode): string[] {
  return FORM_ROLES[formCode].voucher === "verifier" ? ["verifier.email"] : ["requester.email", "requester.email2"];
}

const ADDRESS = /^[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_])?@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,12}$/i;

/** One plain address (no display name, no list, no spaces). */
export function isPlainAddress(s: string): boolean {
  return s.length <= 254 && ADDRESS.test(s) && !s.includes("..");
}

/** How far an address may be from a directory address and still be read as it: one letter (look-alikes 0.5). */
export const EMAIL_SNAP_TOLERANCE = 1;
/** The runner-up directory address must be at least this much farther (and itself beyond the tolerance). */
export const EMAIL_SNAP_MARGIN = 1;

export interface EmailSnap {
  /** The directory address the reading stands for, or null (no clear nearest). */
  address: string | null;
  distance: number;
  runnerUpDistance: number;
}

/**
 * Snaps an address reading to a closed vocabulary of directory addresses: only when one is within one letter and
 * every other is clearly farther. Two near-identical directory addresses ("alva.berglund@…", "alva.berglund9@…")
 * both within reach of a reading → no snap, not even for an exact reading of one of them (a dropped "9" would
 * read exactly as the other): the reading then stands on its own certainty.
 */
export function snapEmail(reading: string, vocabulary: readonly string[]): EmailSnap {
  const read = reading.trim().toLowerCase();
  const known = [...new Set(vocabulary.map((v) => v.trim().toLowerCase()).filter(isPlainAddress))];
  const ranked = known.map((a) => ({ a, d: ocrDistance(read, a) })).sort((x, y) => x.d - y.d);
  const best = ranked[0];
  const second = ranked[1];
  const runnerUpDistance = second ? second.d : Number.POSITIVE_INFINITY;
  if (!best || read === "") return { address: null, distance: best?.d ?? Number.POSITIVE_INFINITY, runnerUpDistance };
  const clear = runnerUpDistance - best.d >= EMAIL_SNAP_MARGIN && runnerUpDistance > EMAIL_SNAP_TOLERANCE;
  return { address: best.d <= EMAIL_SNAP_TOLERANCE && clear ? best.a : null, distance: best.d, runnerUpDistance };
}

/** What is known of one address field when deciding whether to mail it. */
export interface AddressEvidence {
  /** The value as read, or the handler's correction. */
  value: string;
  /** The reader's confidence (ignored for a correction). */
  confidence: number;
  /** True when a handler corrected the field. */
  corrected: boolean;
  /** The directory address the reading was snapped to (verified staff only). */
  directoryAddress?: string | undefined;
}

export type AddressFate =
  | { fate: "MAIL"; address: string; source: "HANDLER" | "DIRECTORY" | "READ" }
  | { fate: "LETTER"; address: string }
  | { fate: "NONE" };

/** THE mail rule: mail an exactly known address, make a letter of a doubtful one, nothing for an empty box. */
export function addressFate(e: AddressEvidence): AddressFate {
  const value = e.value.trim();
  if (e.corrected)
    return isPlainAddress(value) ? { fate: "MAIL", address: value, source: "HANDLER" } : { fate: "NONE" };
  if (e.directoryAddress && isPlainAddress(e.directoryAddress)) {
    return { fate: "MAIL", address: e.directoryAddress, source: "DIRECTORY" };
  }
  if (value === "") return { fate: "NONE" };
  if (isPlainAddress(value) && e.confidence >= MAIL_ADDRESS_MIN_CONFIDENCE) {
    return { fate: "MAIL", address: value, source: "READ" };
  }
  return { fate: "LETTER", address: value };
}

/**
 * The directory addresses the staff member's address fields stand for: each field's reading snapped to the
 * verified member's own address and their unit's mailbox. Fields that do not snap are left out.
 */
export function snapStaffAddresses(
  formCode: FormCode,
  values: Record<string, string>,
  entry: { email: string; unitEmail: string },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of staffAddressFieldsOf(formCode)) {
    const value = values[field] ?? "";
    if (value.trim() === "") continue;
    const snap = snapEmail(value, [entry.email, entry.unitEmail]);
    if (snap.address) out[field] = snap.address;
  }
  return out;
}
