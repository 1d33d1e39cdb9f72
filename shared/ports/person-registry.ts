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
