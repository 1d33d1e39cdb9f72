import type { CaregiverRow } from "../domain/caregiver-csv.ts";

/** A postal address (folkbokföringsadress) as the registry gives it. */
export interface PostalAddress {
  /** Street address or box, e.g. "Storgatan 15" or "Skatteverket Särskild postförmedling, Box 2820". */
  address: string;
  /** "NNN NN" */
  postalCode: string;
  city: string;
}

export interface Person {
  personnummer: string; // 12 digits
  givenNames: string[]; // all given names; a hyphenated name is one name
  surname: string;
  protectedIdentity: boolean;
  guardians: string[]; // personnummer of registered guardians (children only)
  /**
   * Where letters go; absent when the registry has no address columns or none for this person. For a protected
   * identity it is the tax agency's forwarding address (särskild postförmedling): it goes on the letter only and is
   * never shown to handlers (it is not stored on the case).
   */
  postalAddress?: PostalAddress;
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
  /** Names and organisation numbers of a stored version (organisation number "" if the version lacks them); null if unknown. */
  rows(version: string): Promise<CaregiverRow[] | null>;
  /** Makes an earlier stored version current again; recorded in the history like a publication. */
  rollback(version: string, user: string): Promise<PublishResult>;
}
