// Named errors: Step Functions matches Retry/Catch on the error name, so every class sets `name`.

export class LockdeskError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input file: corrupt, empty, oversized, encrypted, not an image. Final: retrying does not help. */
export class UnreadableScanError extends LockdeskError {}
/** A transient failure of the person registry (timeout, 5xx): retried with backoff. */
export class PersonRegistryUnavailableError extends LockdeskError {}
/** The staff directory (HSA) could not be reached: retried, then the case is parked until it answers. */
export class StaffDirectoryUnavailableError extends LockdeskError {}
/** A transient failure of the OCR engine (throttling). */
export class OcrThrottledError extends LockdeskError {}
/** The case was changed by someone else since it was read (optimistic locking). */
export class CaseVersionConflictError extends LockdeskError {}
export class CaseNotFoundError extends LockdeskError {}
/** The account service could not be reached: transient. */
export class AccountServiceUnavailableError extends LockdeskError {}
/** Invalid input at a boundary (API body, event). */
export class ValidationError extends LockdeskError {}
/** The case is claimed by another handler ("one handler at a time"). */
export class CaseClaimedError extends LockdeskError {}
/** The requested change does not fit the case's status (e.g. deciding a case that is not in review). */
export class InvalidCaseStateError extends LockdeskError {}
/** No or an invalid/expired credential (HTTP 401). */
export class AuthenticationError extends LockdeskError {}
/** Authenticated, but not in a group allowed to do this (HTTP 403). */
export class AuthorizationError extends LockdeskError {}
/** The case's decision does not allow an account action (no EXECUTE decision, no handler approval). Final. */
export class ActionNotAllowedError extends LockdeskError {}
/** The account service refused the request (4xx other than auth): final, a handler must look. */
export class AccountServiceRejectedError extends LockdeskError {}
/** The archive copy did not match the original (sha256), or neither exists: the original is kept, a handler looks. */
export class ArchiveVerificationError extends LockdeskError {}
/** The scan object is not (or no longer) in the bucket: final, retrying does not help. */
export class ScanNotFoundError extends LockdeskError {}
/** A registry or caregiver data file is malformed (says which line and column, never the value). Final. */
export class RegistryDataError extends LockdeskError {}
/** The person registry answered with a body or status we cannot trust (never echoes personal data). Final. */
export class PersonRegistryResponseError extends LockdeskError {}
/** The person registry rejected our credentials even after refreshing the secret. Final until fixed. */
export class PersonRegistryAuthError extends LockdeskError {}
/** Reference data (the approved-caregivers list) was changed by someone else between read and write. */
export class ReferenceDataConflictError extends LockdeskError {}

/** The object under a case's scan key is not the scan the case was read from (replaced after registration). */
export class ScanChangedError extends LockdeskError {}
/** The staff directory answered with a body or status we cannot trust, or refused our credentials. Final. */
export class StaffDirectoryResponseError extends LockdeskError {}
