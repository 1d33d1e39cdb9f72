// The approved-caregivers list on DynamoDB, maintained by admins (API + admin page). Items in the reference table
// (pk = "caregivers"):
//   sk "version#<v>"  one per distinct content (v = sha256 prefix, as CsvCaregiverList): names, count, first upload
//   sk "current"      pointer to the current version, with a sequence number (optimistic locking)
//   sk "change#<seq>" one per change of the pointer (who published which version when): the history
// Only single-item conditional writes (dynalite has no transactions). Order: version → pointer → change. A crash
// between the pointer and the change item leaves current() right but that change missing from history().
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { TABLES } from "../../config/names.ts";
import { type CaregiverRow, parseCaregiverCsv } from "../../domain/caregiver-csv.ts";
import { ReferenceDataConflictError, RegistryDataError } from "../../domain/errors.ts";
import type {
  ApprovedCaregivers,
  CaregiverList,
  CaregiverListAdmin,
  CaregiverListChange,
  PublishResult,
} from "../../ports/person-registry.ts";
import { CsvCaregiverList, caregiverListVersion } from "../local/csv-caregiver-list.ts";
import { createTableIfMissing, isConditionFailed } from "./dynamo-errors.ts";

const R = TABLES.reference;
const LIST = "caregivers";
const CURRENT = "current";
/** Well below DynamoDB's 400 KB item limit (the names are stored in the version item). */
export const MAX_CAREGIVER_CSV_BYTES = 200_000;

export { ReferenceDataConflictError };

/** Creates the reference table (idempotent: an existing table is fine). For the local stack and tests. */
export async function createReferenceTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await createTableIfMissing(
    client,
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: R.pk, AttributeType: "S" },
        { AttributeName: R.sk, AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: R.pk, KeyType: "HASH" },
        { AttributeName: R.sk, KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

interface Pointer {
  version: string;
  seq: number;
}

export interface DynamoCaregiverListOptions {
  /** Used by current() while nothing has been published yet (e.g. the CSV in the reference bucket). */
  fallback?: CaregiverList;
  now?: () => Date;
}

export class DynamoCaregiverList implements CaregiverListAdmin {
  private readonly now: () => Date;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DynamoCaregiverListOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async current(): Promise<ApprovedCaregivers> {
    const pointer = await this.pointer();
    if (!pointer) {
      if (this.options.fallback) return this.options.fallback.current();
      throw new RegistryDataError("no approved-caregivers list has been published");
    }
    const item = await this.get(`version#${pointer.version}`);
    if (!item) throw new RegistryDataError(`approved-caregivers version ${pointer.version} is missing`);
    const names = Array.isArray(item.names) ? item.names.map(String) : [];
    return { version: pointer.version, names };
  }

  /**
   * Validates the CSV (throws RegistryDataError naming line and column, before anything is written), stores the
   * version and makes it current. Publishing the current content again writes nothing.
   */
  async publish(csvText: string, user: string): Promise<PublishResult> {
    if (Buffer.byteLength(csvText, "utf8") > MAX_CAREGIVER_CSV_BYTES) {
      throw new RegistryDataError(`approved-caregivers.csv is larger than ${MAX_CAREGIVER_CSV_BYTES} bytes`);
    }
    const { names } = await new CsvCaregiverList(csvText).current();
    if (names.length === 0) throw new RegistryDataError("approved-caregivers.csv has no rows");
    const version = caregiverListVersion(csvText);
    const count = names.length;

    const previous = await this.pointer();
    if (previous?.version === version) return { version, count, changed: false };
    const at = this.now().toISOString();

    // 1. The version (content-addressed: an existing item has the same names).
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [R.pk]: LIST,
            [R.sk]: `version#${version}`,
            version,
            names,
            count,
            csv: csvText,
            uploadedBy: user,
            uploadedAt: at,
          },
          ConditionExpression: "attribute_not_exists(#sk)",
          ExpressionAttributeNames: { "#sk": R.sk },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }

    return this.makeCurrent(version, count, user, previous, at);
  }

  async rows(version: string): Promise<CaregiverRow[] | null> {
    const item = await this.get(`version#${version}`);
    if (!item) return null;
    if (typeof item.csv === "string") {
      try {
        return parseCaregiverCsv(item.csv);
      } catch {
        // A version published before the stricter checks (e.g. a duplicated name): its names below.
      }
    }
    // Versions stored before the CSV was kept: names only.
    return (Array.isArray(item.names) ? item.names.map(String) : []).map((name) => ({ name, organisationNumber: "" }));
  }

  async rollback(version: string, user: string): Promise<PublishResult> {
    const item = await this.get(`version#${version}`);
    if (!item) throw new RegistryDataError(`version ${version} finns inte`);
    const count = Number(item.count ?? 0);
    const previous = await this.pointer();
    if (previous?.version === version) return { version, count, changed: false };
    return this.makeCurrent(version, count, user, previous, this.now().toISOString());
  }

  /** Moves the pointer to a stored version (optimistic lock on its sequence) and records the change. */
  private async makeCurrent(
    version: string,
    count: number,
    user: string,
    previous: Pointer | null,
    at: string,
  ): Promise<PublishResult> {
    // 2. The pointer, only if nobody moved it since we read it.
    const seq = (previous?.seq ?? 0) + 1;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { [R.pk]: LIST, [R.sk]: CURRENT, version, seq, uploadedBy: user, uploadedAt: at },
          ...(previous
            ? {
                ConditionExpression: "#seq = :prev",
                ExpressionAttributeNames: { "#seq": "seq" },
                ExpressionAttributeValues: { ":prev": previous.seq },
              }
            : { ConditionExpression: "attribute_not_exists(#sk)", ExpressionAttributeNames: { "#sk": R.sk } }),
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) {
        throw new ReferenceDataConflictError("the caregiver list was changed by someone else; reload and try again");
      }
      throw err;
    }

    // 3. The history entry (seq is unique: the pointer's condition serialises publishers).
    const change: CaregiverListChange = {
      version,
      previousVersion: previous?.version ?? null,
      count,
      uploadedBy: user,
      uploadedAt: at,
    };
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { [R.pk]: LIST, [R.sk]: `change#${String(seq).padStart(10, "0")}`, ...change },
        ConditionExpression: "attribute_not_exists(#sk)",
        ExpressionAttributeNames: { "#sk": R.sk },
      }),
    );
    return { version, count, changed: true };
  }

  async history(): Promise<CaregiverListChange[]> {
    const out: CaregiverListChange[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
          ExpressionAttributeNames: { "#pk": R.pk, "#sk": R.sk },
          ExpressionAttributeValues: { ":pk": LIST, ":prefix": "change#" },
          ScanIndexForward: false,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of res.Items ?? []) {
        out.push({
          version: String(item.version),
          previousVersion: typeof item.previousVersion === "string" ? item.previousVersion : null,
          count: Number(item.count),
          uploadedBy: String(item.uploadedBy),
          uploadedAt: String(item.uploadedAt),
        });
      }
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  private async pointer(): Promise<Pointer | null> {
    const item = await this.get(CURRENT);
    if (!item || typeof item.version !== "string") return null;
    return { version: item.version, seq: Number(item.seq ?? 0) };
  }

  private async get(sk: string): Promise<Record<string, unknown> | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { [R.pk]: LIST, [R.sk]: sk }, ConsistentRead: true }),
    );
    return res.Item;
  }
}
