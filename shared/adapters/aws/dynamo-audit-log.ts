// Append-only audit log on DynamoDB ("Spärr- och loggservice" logs every read of a case by a person).
// Entries are never updated: each put is conditional on the key not existing.
import { randomUUID } from "node:crypto";
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { TABLES } from "../../config/names.ts";
import type { AuditEntry, AuditLog } from "../../ports/audit-log.ts";

const A = TABLES.audit;

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    // sk keeps one case's entries in time order; the random tail keeps two entries of the same millisecond apart.
    const sk = `${entry.at}#${entry.user}#${randomUUID().slice(0, 8)}`;
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...entry, [A.sk]: sk },
        ConditionExpression: "attribute_not_exists(#sk)",
        ExpressionAttributeNames: { "#sk": A.sk },
      }),
    );
  }

  async byCase(caseId: string): Promise<AuditEntry[]> {
    return this.query(undefined, A.pk, caseId);
  }

  async byUser(user: string): Promise<AuditEntry[]> {
    return this.query(A.gsiByUser, A.gsiByUserPk, user);
  }

  /** A time range over all cases and users: a filtered scan (the admins' audit page; ranges are short). */
  async between(from: string, to: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: "#at BETWEEN :from AND :to",
          ExpressionAttributeNames: { "#at": "at" },
          ExpressionAttributeValues: { ":from": from, ":to": to },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) entries.push(toEntry(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return entries.sort((a, b) => a.at.localeCompare(b.at));
  }

  private async query(index: string | undefined, key: string, value: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          ...(index ? { IndexName: index } : {}),
          KeyConditionExpression: "#k = :v",
          ExpressionAttributeNames: { "#k": key },
          ExpressionAttributeValues: { ":v": value },
          ScanIndexForward: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) entries.push(toEntry(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return entries;
  }
}

function toEntry(item: Record<string, unknown>): AuditEntry {
  const entry: AuditEntry = {
    at: String(item.at),
    user: String(item.user),
    caseId: String(item.caseId),
    action: String(item.action),
  };
  if (typeof item.detail === "string") entry.detail = item.detail;
  return entry;
}
