// StaffDirectory over the contract's staff.csv (../shared/forms/README.md §8): read once, looked up in memory.
// Same CSV conventions as persons.csv (csv-person-registry.ts); strict: a malformed row is one line naming the file,
// line and column, never the value.
import { readFileSync } from "node:fs";
import { RegistryDataError } from "../../domain/errors.ts";
import { isPlainAddress } from "../../domain/mail-safety.ts";
import { vgrIdKey } from "../../domain/staff.ts";
import type { StaffDirectory, StaffMember } from "../../ports/staff-directory.ts";
import { parseCsv } from "./csv-person-registry.ts";

export const STAFF_COLUMNS = [
  "vgrId",
  "name",
  "title",
  "unit",
  "caregiver",
  "email",
  "phone",
  "unitEmail",
  "unitAddress",
] as const;

/** A VGR-ID / HSA id: letters and digits, no spaces. */
const VGR_ID = /^[a-z0-9]{2,32}$/i;

export function parseStaffCsv(text: string, fileLabel = "staff.csv"): StaffMember[] {
  const seen = new Set<string>();
  return parseCsv(text, fileLabel, STAFF_COLUMNS).map(({ line, values }) => {
    const at = (col: string): string => `${fileLabel} line ${line}, column ${col}`;
    const cell = (col: (typeof STAFF_COLUMNS)[number]): string => (values[col] ?? "").trim().replace(/\s+/g, " ");
    const vgrId = cell("vgrId");
    if (!VGR_ID.test(vgrId)) throw new RegistryDataError(`${at("vgrId")}: expected letters and digits`);
    if (seen.has(vgrIdKey(vgrId))) throw new RegistryDataError(`${at("vgrId")}: duplicate VGR-ID`);
    seen.add(vgrIdKey(vgrId));
    for (const col of ["name", "title", "unit", "caregiver"] as const) {
      if (!cell(col)) throw new RegistryDataError(`${at(col)}: empty`);
    }
    // Either address may be empty (a member without an own mailbox, a unit without a functional one).
    for (const col of ["email", "unitEmail"] as const) {
      if (cell(col) && !isPlainAddress(cell(col))) throw new RegistryDataError(`${at(col)}: not an e-mail address`);
    }
    return {
      vgrId,
      name: cell("name"),
      title: cell("title"),
      unit: cell("unit"),
      caregiver: cell("caregiver"),
      email: cell("email").toLowerCase(),
      phone: cell("phone"),
      unitEmail: cell("unitEmail").toLowerCase(),
      unitAddress: cell("unitAddress"),
    };
  });
}

export class CsvStaffDirectory implements StaffDirectory {
  private readonly byId: Map<string, StaffMember>;

  /** @param csvText the content of a staff.csv file (contract §8). */
  constructor(csvText: string, fileLabel = "staff.csv") {
    this.byId = new Map(parseStaffCsv(csvText, fileLabel).map((m) => [vgrIdKey(m.vgrId), m]));
  }

  /** Reads the file synchronously (composition roots call this once at start-up). */
  static fromFile(path: string): CsvStaffDirectory {
    return new CsvStaffDirectory(readFileSync(path, "utf8"), path.split(/[\\/]/).pop() ?? "staff.csv");
  }

  get size(): number {
    return this.byId.size;
  }

  async findByVgrId(vgrId: string): Promise<StaffMember | null> {
    const m = this.byId.get(vgrIdKey(vgrId));
    return m ? { ...m } : null;
  }

  async entries(): Promise<readonly StaffMember[]> {
    return [...this.byId.values()].map((m) => ({ ...m }));
  }
}
