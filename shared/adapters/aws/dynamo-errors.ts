// DynamoDB outcomes every adapter tells apart by name (the SDK class, or the name when another copy of the SDK
// or an emulator built the error).
import {
  ConditionalCheckFailedException,
  type CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from "@aws-sdk/client-dynamodb";

export function isConditionFailed(err: unknown): boolean {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err instanceof Error && err.name === "ConditionalCheckFailedException")
  );
}

export function isTableInUse(err: unknown): boolean {
  return err instanceof ResourceInUseException || (err instanceof Error && err.name === "ResourceInUseException");
}

/** Creates a table; an existing one is fine (local stack and tests create their tables idempotently). */
export async function createTableIfMissing(client: DynamoDBClient, command: CreateTableCommand): Promise<void> {
  try {
    await client.send(command);
  } catch (err) {
    if (!isTableInUse(err)) throw err;
  }
}
