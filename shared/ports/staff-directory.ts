// The staff directory: in production Inera's HSA catalogue of health-care staff and units; in VGR the VGR-ID
// written on the form is the staff member's id there. Locally and in tests a CSV (../shared/forms/README.md §8).
import type { StaffEntry } from "../domain/staff.ts";

/**
 * One entry of the directory (the CSV columns `vgrId,name,title,unit,caregiver,email,phone,unitEmail,unitAddress`):
 * the domain's StaffEntry, which the staff rules compare with the form.
 */
export type StaffMember = StaffEntry;

/** Looks staff up by VGR-ID. Throws StaffDirectoryUnavailableError on transient failures (retried, then parked). */
export interface StaffDirectory {
  /** The staff member with this id (compared case-insensitively, spaces ignored), or null when not listed. */
  findByVgrId(vgrId: string): Promise<StaffMember | null>;
  /**
   * Every entry, where the directory can list itself (a CSV, an extract of the catalogue): the reader reads a
   * hand-written VGR-ID and name against them (extraction/staff-read.ts). A lookup-only service leaves it out.
   */
  entries?(): Promise<readonly StaffMember[]>;
}
