// Adapter unit tests with aws-sdk-client-mock: the exact conditional writes and the error mapping.
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { DynamoAuditLog } from "../../../shared/adapters/aws/dynamo-audit-log.ts";
import { DynamoCaseStore, documentClient } from "../../../shared/adapters/aws/dynamo-case-store.ts";
import { S3ScanStore } from "../../../shared/adapters/aws/s3-scan-store.ts";
import { CaseVersionConflictError, ScanNotFoundError } from "../../../shared/domain/errors.ts";
import { caseRecord } from "../../fixtures/pipeline-cases.ts";

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  ddb.reset();
  s3.reset();
});

const conditionFailed = () => new ConditionalCheckFailedException({ message: "failed", $metadata: {} });

describe("DynamoCaseStore (mocked client)", () => {
  const store = () => new DynamoCaseStore(documentClient(new DynamoDBClient({ region: "eu-north-1" })), "cases");

  it("creates with attribute_not_exists and reports an existing id as false", async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    const record = caseRecord();
    expect(await store().create(record)).toBe(true);
    expect(await store().create(record)).toBe(false);
    const input = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe("attribute_not_exists(#pk)");
    expect(input?.ExpressionAttributeNames).toEqual({ "#pk": "caseId" });
    expect(input?.Item).not.toHaveProperty("subjectPersonnummer");
  });

  it("puts conditioned on the previous version and maps a failed condition to CaseVersionConflictError", async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    await expect(store().put(caseRecord({ version: 5 }))).rejects.toBeInstanceOf(CaseVersionConflictError);
    const input = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.ExpressionAttributeValues).toEqual({ ":prev": 4 });
  });

  it("passes other DynamoDB errors through unchanged (the state machine retries Lambda/SDK errors)", async () => {
    ddb.on(PutCommand).rejects(new Error("ProvisionedThroughputExceeded"));
    await expect(store().put(caseRecord({ version: 2 }))).rejects.toThrow("ProvisionedThroughputExceeded");
  });

  it("queries the byStatus index page by page up to the limit", async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [caseRecord()], LastEvaluatedKey: { caseId: "x" } })
      .resolvesOnce({ Items: [caseRecord(), caseRecord()] });
    const got = await store().listByStatus("IN_REVIEW", 3);
    expect(got).toHaveLength(3);
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls[0]?.IndexName).toBe("byStatus");
    expect(calls[0]?.Limit).toBe(3);
    expect(calls[1]?.Limit).toBe(2);
    expect(calls[1]?.ExclusiveStartKey).toEqual({ caseId: "x" });
  });
});

describe("DynamoAuditLog (mocked client)", () => {
  it("appends with a condition so an entry is never overwritten, and reads by user through byUser", async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand).resolves({
      Items: [{ caseId: "C-1", sk: "x", at: "2025-03-18T08:00:00.000Z", user: "handler:anna", action: "READ_CASE" }],
    });
    const log = new DynamoAuditLog(documentClient(new DynamoDBClient({ region: "eu-north-1" })), "audit");
    await log.append({ at: "2025-03-18T08:00:00.000Z", user: "handler:anna", caseId: "C-1", action: "READ_CASE" });
    const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.ConditionExpression).toBe("attribute_not_exists(#sk)");
    expect(String(put?.Item?.sk)).toMatch(/^2025-03-18T08:00:00.000Z#handler:anna#/);
    const entries = await log.byUser("handler:anna");
    expect(entries).toEqual([
      { at: "2025-03-18T08:00:00.000Z", user: "handler:anna", caseId: "C-1", action: "READ_CASE" },
    ]);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.IndexName).toBe("byUser");
  });
});

describe("S3ScanStore (mocked client)", () => {
  it("returns bytes, metadata and version", async () => {
    // The mock bypasses the SDK's stream mixin: hand the adapter the one method it uses.
    const body = { transformToByteArray: async () => new Uint8Array(Buffer.from("scan-bytes")) };
    s3.on(GetObjectCommand).resolves({
      Body: body as never,
      Metadata: { "received-date": "2025-03-17" },
      ContentType: "image/png",
      VersionId: "v1",
    });
    const got = await new S3ScanStore(new S3Client({ region: "eu-north-1" })).get("scans", "incoming/a.png");
    expect(Buffer.from(got.bytes).toString()).toBe("scan-bytes");
    expect(got.metadata).toEqual({ "received-date": "2025-03-17" });
    expect(got.versionId).toBe("v1");
    expect(got.contentType).toBe("image/png");
  });

  it("maps NoSuchKey to ScanNotFoundError", async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: "gone", $metadata: {} }));
    await expect(new S3ScanStore(new S3Client({ region: "eu-north-1" })).get("scans", "x")).rejects.toBeInstanceOf(
      ScanNotFoundError,
    );
  });

  it("lists all pages of a prefix", async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: "incoming/a" }], IsTruncated: true, NextContinuationToken: "t" })
      .resolvesOnce({ Contents: [{ Key: "incoming/b" }], IsTruncated: false });
    expect(await new S3ScanStore(new S3Client({ region: "eu-north-1" })).list("scans", "incoming/")).toEqual([
      "incoming/a",
      "incoming/b",
    ]);
  });
});
