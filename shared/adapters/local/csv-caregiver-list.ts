// CaregiverList over the contract's approved-caregivers.csv (§2). The version is a short sha256 of the
// file content, so a case records exactly which list it was checked against.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { RegistryDataError } from "../../domain/errors.ts";
import type { ApprovedCaregivers, CaregiverList } from "../../ports/person-registry.ts";
import { parseCsv } from "./csv-person-registry.ts";

const ORG_NUMBER = /^\d{6}-\d{4}$/;

export function caregiverListVersion(content: string): string {
  return createHash("sha256").update(content, "utf8").digest("hex").slice(0, 12);
}

export class CsvCaregiverList implements CaregiverList {
  private readonly list: ApprovedCaregivers;

  constructor(csvText: string, fileLabel = "approved-caregivers.csv") {
    const names = parseCsv(csvText, fileLabel, ["name", "organisationNumber"]).map(({ line, values }) => {
      const name = (values.name ?? "").trim().replace(/\s+/g, " ");
      if (!name) throw new RegistryDataError(`${fileLabel} line ${line}, column name: empty`);
      if (!ORG_NUMBER.test((values.organisationNumber ?? "").trim())) {
        throw new RegistryDataError(`${fileLabel} line ${line}, column organisationNumber: expected NNNNNN-NNNN`);
      }
      return name;
    });
    this.list = { version: caregiverListVersion(csvText), names };
  }

  static fromFile(path: string): CsvCaregiverList {
    return new CsvCaregiverList(readFileSync(path, "utf8"), path.split(/[\\/]/).pop() ?? "approved-caregivers.csv");
  }

  async current(): Promise<ApprovedCaregivers> {
    return { version: this.list.version, names: [...this.list.names] };
  }
}
