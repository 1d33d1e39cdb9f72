// The 1177 staff tool, simulated: lock and guardian-block state in a DynamoDB table (dynalite locally),
// one item per personnummer. Every operation is one conditional update, so it is idempotent and race-free:
// the condition tells "changed now" (LOCKED) from "was already so" (ALREADY_LOCKED).
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { AccountServiceUnavailableError } from "../../domain/errors.ts";
import type { AccountResult, AccountService, AccountStatus } from "../../ports/account-service.ts";
import { createTableIfMissing, isConditionFailed } from "../aws/dynamo-errors.ts";

const PK = "personnummer";

/** Creates the accounts table (idempotent: an existing table is fine). For the local stack and tests. */
export async function createAccountsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await createTableIfMissing(
    client,
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: PK, AttributeType: "S" }],
      KeySchema: [{ AttributeName: PK, KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const meta = (err as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const status = meta?.httpStatusCode ?? 0;
  return (
    status >= 500 ||
    ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "TimeoutError"].includes(
      err.name,
    ) ||
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT"].includes((err as { code?: string }).code ?? "")
  );
}

export class SimulatedAccountService implements AccountService {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** One conditional update; `changed` when it applied, `unchanged` when the condition said it was so already. */
  private async update(
    pnr: string,
    caseId: string,
    set: { assign?: string; addOrDelete?: string; condition: string; values: Record<string, unknown> },
    changed: AccountResult,
    unchanged: AccountResult,
  ): Promise<AccountResult> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [PK]: pnr },
          UpdateExpression:
            `SET ${[set.assign, "updatedAt = :now", "lastCaseId = :caseId"].filter(Boolean).join(", ")} ${set.addOrDelete ?? ""}`.trim(),
          ConditionExpression: set.condition,
          ExpressionAttributeValues: { ...set.values, ":now": this.now().toISOString(), ":caseId": caseId },
        }),
      );
      return changed;
    } catch (err) {
      if (isConditionFailed(err)) return unchanged;
      if (isTransient(err)) throw new AccountServiceUnavailableError("account table unavailable", { cause: err });
      throw err;
    }
  }

  lock(personnummer: string, caseId: string): Promise<AccountResult> {
    return this.update(
      personnummer,
      caseId,
      {
        assign: "locked = :t",
        condition: "attribute_not_exists(locked) OR locked = :f",
        values: { ":t": true, ":f": false },
      },
      "LOCKED",
      "ALREADY_LOCKED",
    );
  }

  unlock(personnummer: string, caseId: string): Promise<AccountResult> {
    return this.update(
      personnummer,
      caseId,
      { assign: "locked = :f", condition: "locked = :t", values: { ":t": true, ":f": false } },
      "UNLOCKED",
      "ALREADY_UNLOCKED",
    );
  }

  blockGuardian(child: string, guardian: string, caseId: string): Promise<AccountResult> {
    return this.update(
      child,
      caseId,
      {
        addOrDelete: "ADD blockedGuardians :g",
        condition: "attribute_not_exists(blockedGuardians) OR NOT contains(blockedGuardians, :one)",
        values: { ":g": new Set([guardian]), ":one": guardian },
      },
      "BLOCKED",
      "ALREADY_BLOCKED",
    );
  }

  unblockGuardian(child: string, guardian: string, caseId: string): Promise<AccountResult> {
    return this.update(
      child,
      caseId,
      {
        addOrDelete: "DELETE blockedGuardians :g",
        condition: "contains(blockedGuardians, :one)",
        values: { ":g": new Set([guardian]), ":one": guardian },
      },
      "UNBLOCKED",
      "ALREADY_UNBLOCKED",
    );
  }

  async status(personnummer: string): Promise<AccountStatus> {
    try {
      const out = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { [PK]: personnummer }, ConsistentRead: true }),
      );
      const item = out.Item ?? {};
      const blocked = item.blockedGuardians instanceof Set ? [...(item.blockedGuardians as Set<string>)] : [];
      return { personnummer, locked: item.locked === true, blockedGuardians: blocked.sort() };
    } catch (err) {
      if (isTransient(err)) throw new AccountServiceUnavailableError("account table unavailable", { cause: err });
      throw err;
    }
  }
}
