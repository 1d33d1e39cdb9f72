// In-memory CaregiverListAdmin for the API tests: the same validation and versions as the DynamoDB adapter
// (CsvCaregiverList parses, the version is the content's sha256 prefix); DynamoCaregiverList has its own dynalite tests.
import { CsvCaregiverList, caregiverListVersion } from "../../../shared/adapters/local/csv-caregiver-list.ts";
import { type CaregiverRow, parseCaregiverCsv } from "../../../shared/domain/caregiver-csv.ts";
import { RegistryDataError } from "../../../shared/domain/errors.ts";
import type {
  ApprovedCaregivers,
  CaregiverListAdmin,
  CaregiverListChange,
  PublishResult,
} from "../../../shared/ports/person-registry.ts";

export class MemoryCaregiverList implements CaregiverListAdmin {
  private readonly versions = new Map<string, string[]>();
  private readonly csvs = new Map<string, string>();
  private readonly changes: CaregiverListChange[] = [];
  private currentVersion: string | null = null;

  constructor(private readonly now: () => Date) {}

  async current(): Promise<ApprovedCaregivers> {
    const names = this.currentVersion ? this.versions.get(this.currentVersion) : undefined;
    if (!this.currentVersion || !names) throw new RegistryDataError("no approved-caregivers list has been published");
    return { version: this.currentVersion, names: [...names] };
  }

  async publish(csvText: string, user: string): Promise<PublishResult> {
    const { names } = await new CsvCaregiverList(csvText).current();
    if (names.length === 0) throw new RegistryDataError("approved-caregivers.csv has no rows");
    const version = caregiverListVersion(csvText);
    if (version === this.currentVersion) return { version, count: names.length, changed: false };
    this.versions.set(version, names);
    this.csvs.set(version, csvText);
    return this.makeCurrent(version, names.length, user);
  }

  async rows(version: string): Promise<CaregiverRow[] | null> {
    const csv = this.csvs.get(version);
    return csv === undefined ? null : parseCaregiverCsv(csv);
  }

  async rollback(version: string, user: string): Promise<PublishResult> {
    const names = this.versions.get(version);
    if (!names) throw new RegistryDataError(`version ${version} finns inte`);
    if (version === this.currentVersion) return { version, count: names.length, changed: false };
    return this.makeCurrent(version, names.length, user);
  }

  private makeCurrent(version: string, count: number, user: string): PublishResult {
    this.changes.unshift({
      version,
      previousVersion: this.currentVersion,
      count,
      uploadedBy: user,
      uploadedAt: this.now().toISOString(),
    });
    this.currentVersion = version;
    return { version, count, changed: true };
  }

  async history(): Promise<CaregiverListChange[]> {
    return this.changes.map((c) => ({ ...c }));
  }
}
