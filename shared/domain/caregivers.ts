// The vouching staff member's caregiver (contract §5 "Caregiver"): the region is always approved, otherwise
// the name must be on the approved list. The contract compares case-insensitively and ignoring extra spaces;
// an OCR read is additionally snapped to the closed vocabulary (region + list) only when clearly nearest.
import { REGION_CAREGIVER } from "./forms.ts";
import { normaliseSpacesAndCase, type SnapResult, snapToVocabulary } from "./vocabulary.ts";

export { type SnapResult, snapToVocabulary } from "./vocabulary.ts";

/** The contract's comparison: case-insensitive, extra spaces ignored; the region is always approved. */
export function isApprovedCaregiver(text: string, list: readonly string[]): boolean {
  const t = normaliseSpacesAndCase(text);
  if (!t) return false;
  if (t === normaliseSpacesAndCase(REGION_CAREGIVER)) return true;
  return list.some((name) => normaliseSpacesAndCase(name) === t);
}

export type CaregiverStatus = "APPROVED" | "NOT_APPROVED" | "UNCERTAIN";

export interface CaregiverClassification {
  status: CaregiverStatus;
  /** The approved name it matched (exactly or by snapping), or null. */
  matched: string | null;
  /** How sure we are of `status`: 0..1. */
  confidence: number;
  snap: SnapResult | null;
}

/**
 * Approved / not approved / uncertain for a caregiver read with OCR confidence `readConfidence`.
 * - exact per the contract → APPROVED (1);
 * - snaps to the region or a listed name (within OCR noise, clear margin) → APPROVED (the snap's confidence);
 * - otherwise NOT_APPROVED only when the read itself is confident (≥ minConfidence): a confident read of
 *   "Kvinnohälsan Öst AB" is clearly another caregiver; a doubtful read that does not snap is UNCERTAIN.
 */
export function classifyCaregiver(
  text: string,
  list: readonly string[],
  readConfidence = 1,
  minConfidence = 0.5,
): CaregiverClassification {
  if (isApprovedCaregiver(text, list)) {
    const t = normaliseSpacesAndCase(text);
    const matched = [REGION_CAREGIVER, ...list].find((n) => normaliseSpacesAndCase(n) === t) ?? REGION_CAREGIVER;
    return { status: "APPROVED", matched, confidence: 1, snap: null };
  }
  const snap = snapToVocabulary(text, [REGION_CAREGIVER, ...list]);
  if (snap.value !== null) return { status: "APPROVED", matched: snap.value, confidence: snap.confidence, snap };
  if (readConfidence >= minConfidence) {
    return { status: "NOT_APPROVED", matched: null, confidence: readConfidence, snap };
  }
  return { status: "UNCERTAIN", matched: null, confidence: readConfidence, snap };
}
