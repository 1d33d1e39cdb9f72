// The staff directory: in production Inera's HSA catalogue of health-care staff and units; in VGR the VGR-ID
// written on the form is the staff member's id there. Locally and in tests a CSV (../shared/forms/README.md §8).

/** One entry of the directory (the CSV columns `vgrId,name,title,unit,caregiver,email,phone,unitEmail,unitAddress`). */
export interface StaffMember {
  vgrId: string;
  /** Given name(s) and surname as registered. */
  name: string;
  title: string;
  unit: string;
  caregiver: string;
  /** The staff member's own work address; "" when they have none. */
  email: string;
  phone: string;
  /** The unit's functional mailbox; "" when the unit has none. */
  unitEmail: string;
  /** The unit's postal address (for letters to the staff member). */
  unitAddress: string;
}

/** Looks staff up by VGR-ID. Throws StaffDirectoryUnavailableError on transient failures (retried, then parked). */
export interface StaffDirectory {
  /** The staff member with this id (compared case-insensitively, spaces ignored), or null when not listed. */
  findByVgrId(vgrId: string): Promise<StaffMember | null>;
}
