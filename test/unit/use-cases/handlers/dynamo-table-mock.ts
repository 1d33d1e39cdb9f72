// A stateful aws-sdk-client-mock of the document client for handler tests: Get/Put with the adapter's
// conditions (attribute_not_exists, version = :prev) and Query on the bySubject/byStatus indexes.
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";

export function mockCasesTable() {
  const items = new Map<string, Record<string, unknown>>();
  const ddb = mockClient(DynamoDBDocumentClient);
  const failed = () =>
    new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
  ddb.on(GetCommand).callsFake(async (input) => {
    const item = items.get(String(input.Key?.caseId));
    return { Item: item ? structuredClone(item) : undefined };
  });
  ddb.on(PutCommand).callsFake(async (input) => {
    const item = input.Item as Record<string, unknown>;
    const id = String(item.caseId);
    const stored = items.get(id);
    const condition = String(input.ConditionExpression ?? "");
    if (condition.startsWith("attribute_not_exists") && stored) throw failed();
    if (condition.includes(":prev") && (!stored || stored.version !== input.ExpressionAttributeValues?.[":prev"])) {
      throw failed();
    }
    items.set(id, structuredClone(item));
    return {};
  });
  ddb.on(QueryCommand).callsFake(async (input) => {
    const key = String(input.ExpressionAttributeNames?.["#k"]);
    const value = input.ExpressionAttributeValues?.[":v"];
    return { Items: [...items.values()].filter((i) => i[key] === value).map((i) => structuredClone(i)) };
  });
  return { ddb, items };
}
