// CaseStore on DynamoDB. Single-item conditional writes only: the local emulator (dynalite) has no
// transactions and no TTL, and one item per case is all the consistency the pipeline needs.
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { TABLES } from "../../config/names.ts";
import type { CaseRecord, CaseStatus } from "../../domain/case.ts";
import { CaseVersionConflictError } from "../../domain/errors.ts";
import type { CaseStore } from "../../ports/case-store.ts";
import { createTableIfMissing, isConditionFailed } from "./dynamo-errors.ts";

const T = TABLES.cases;
/** Key prefix of claim items in the cases table (case ids start with "C-"). */
const CLAIM_PREFIX = "claim#";

/** A document client that drops undefined optional properties (exactOptionalPropertyTypes records have none, but be safe). */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export class DynamoCaseStore implements CaseStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: CaseRecord): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": T.pk },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async get(caseId: string): Promise<CaseRecord | null> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { [T.pk]: caseId }, ConsistentRead: true }),
    );
    return out.Item ? (out.Item as CaseRecord) : null;
  }

  async put(record: CaseRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: "attribute_exists(#pk) AND #v = :prev",
          ExpressionAttributeNames: { "#pk": T.pk, "#v": "version" },
          ExpressionAttributeValues: { ":prev": record.version - 1 },
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) {
        throw new CaseVersionConflictError(`case ${record.caseId}: expected stored version ${record.version - 1}`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  /**
   * A claim is an item of the cases table keyed `claim#<fingerprint>` (no status, no subject: it is in no index,
   * and listAll leaves it out), written with `attribute_not_exists` so exactly one claimant wins.
   */
  async claim(fingerprint: string, caseId: string, takeOverFrom?: string): Promise<string> {
    const key = `${CLAIM_PREFIX}${fingerprint}`;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { [T.pk]: key, claimOf: caseId },
            ConditionExpression:
              takeOverFrom === undefined ? "attribute_not_exists(#pk)" : "attribute_not_exists(#pk) OR #o = :prev",
            ExpressionAttributeNames: { "#pk": T.pk, ...(takeOverFrom === undefined ? {} : { "#o": "claimOf" }) },
            ...(takeOverFrom === undefined ? {} : { ExpressionAttributeValues: { ":prev": takeOverFrom } }),
          }),
        );
        return caseId;
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
      }
      const out = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { [T.pk]: key }, ConsistentRead: true }),
      );
      const owner = out.Item?.claimOf;
      if (typeof owner === "string") return owner;
      // The owner's item vanished between our write and read (never deleted by lockdesk): try again.
    }
    throw new CaseVersionConflictError(`claim of a fingerprint for case ${caseId} kept conflicting`);
  }

  async listByStatus(status: CaseStatus, limit?: number): Promise<CaseRecord[]> {
    return this.query(T.gsiByStatus, T.gsiByStatusPk, status, limit);
  }

  async listBySubject(personnummer: string): Promise<CaseRecord[]> {
    return this.query(T.gsiBySubject, T.gsiBySubjectPk, personnummer);
  }

  async listAll(limit?: number): Promise<CaseRecord[]> {
    // A full scan: the table holds cases of a bounded retention window; list views pass a limit.
    const items: CaseRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: "attribute_not_exists(claimOf)",
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...((out.Items ?? []) as CaseRecord[]));
      start = out.LastEvaluatedKey;
    } while (start);
    items.sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0));
    return limit === undefined ? items : items.slice(0, limit);
  }

  private async query(index: string, key: string, value: string, limit?: number): Promise<CaseRecord[]> {
    const items: CaseRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: "#k = :v",
          ExpressionAttributeNames: { "#k": key },
          ExpressionAttributeValues: { ":v": value },
          ScanIndexForward: true,
          ...(limit !== undefined ? { Limit: limit - items.length } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...((out.Items ?? []) as CaseRecord[]));
      start = out.LastEvaluatedKey;
    } while (start && (limit === undefined || items.length < limit));
    return items;
  }
}

/** GSI key attributes must not be empty strings: a case whose subject was not read stays out of bySubject. */
function toItem(record: CaseRecord): Record<string, unknown> {
  const item: Record<string, unknown> = { ...record };
  if (!record.subjectPersonnummer) delete item[T.gsiBySubjectPk];
  return item;
}

export interface TableNames {
  cases: string;
  audit: string;
}

/**
 * Creates the cases and audit tables with the same keys and indexes as the CDK storage stack (local stack, tests).
 * Idempotent: existing tables are left as they are.
 */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  const A = TABLES.audit;
  const text = (name: string) => ({ AttributeName: name, AttributeType: "S" as const });
  const keys = (hash: string, range?: string) => [
    { AttributeName: hash, KeyType: "HASH" as const },
    ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : []),
  ];
  const index = (IndexName: string, hash: string, range: string) => ({
    IndexName,
    KeySchema: keys(hash, range),
    Projection: { ProjectionType: "ALL" as const },
  });
  const definitions = [
    new CreateTableCommand({
      TableName: names.cases,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [T.pk, T.gsiByStatusPk, T.gsiByStatusSk, T.gsiBySubjectPk].map(text),
      KeySchema: keys(T.pk),
      GlobalSecondaryIndexes: [
        index(T.gsiByStatus, T.gsiByStatusPk, T.gsiByStatusSk),
        index(T.gsiBySubject, T.gsiBySubjectPk, T.gsiBySubjectSk),
      ],
    }),
    new CreateTableCommand({
      TableName: names.audit,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [A.pk, A.sk, A.gsiByUserPk, A.gsiByUserSk].map(text),
      KeySchema: keys(A.pk, A.sk),
      GlobalSecondaryIndexes: [index(A.gsiByUser, A.gsiByUserPk, A.gsiByUserSk)],
    }),
  ];
  for (const command of definitions) {
    await createTableIfMissing(client, command);
    await waitActive(client, command.input.TableName ?? "");
  }
}

async function waitActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (out.Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === "ACTIVE");
    if (out.Table?.TableStatus === "ACTIVE" && indexesActive) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
