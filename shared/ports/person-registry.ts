export interface Person {
  personnummer: string; // 12 digits
  givenNames: string[]; // all given names; a hyphenated name is one name
  surname: string;
  protectedIdentity: boolean;
  guardians: string[]; // personnummer of registered guardians (children only)
}

/** The population registry. Throws PersonRegistryUnavailableError on transient failures. */
export interface PersonRegistry {
  findByPersonnummer(personnummer: string): Promise<Person | null>;
}

export interface ApprovedCaregivers {
  /** version identifies the list a case was checked against. */
  version: string;
  names: string[];
}

export interface CaregiverList {
  current(): Promise<ApprovedCaregivers>;
}

/** One published version of the approved-caregivers list, as the admin history shows it. */
export interface CaregiverListChange {
  version: string;
  /** The previous current version (null for the first publication). */
  previousVersion: string | null;
  count: number;
  uploadedBy: string;
  uploadedAt: string;
}

export interface PublishResult {
  version: string;
  count: number;
  /** false when the content equals the current list (nothing written). */
  changed: boolean;
}

/** The caregiver list as admins maintain it (API + admin page). Publishing validates the CSV first. */
export interface CaregiverListAdmin extends CaregiverList {
  publish(csvText: string, user: string): Promise<PublishResult>;
  /** Every change of the current list, newest first. */
  history(): Promise<CaregiverListChange[]>;
}
