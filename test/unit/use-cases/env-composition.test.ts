import { describe, expect, it } from "vitest";
import { awsClients } from "../../../shared/composition/aws.ts";
import { parseEnv } from "../../../shared/config/env.ts";
import { ValidationError } from "../../../shared/domain/errors.ts";

describe("parseEnv", () => {
  it("fails fast naming the bad variables, never echoing their values", () => {
    let error: unknown;
    try {
      parseEnv({ AWS_ENDPOINT_URL_S3: "not a url with secret-ish text", MIN_CONFIDENCE: "2" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    expect(message).toContain("CASES_TABLE");
    expect(message).toContain("AWS_ENDPOINT_URL_S3");
    expect(message).toContain("MIN_CONFIDENCE");
    expect(message).not.toContain("secret-ish");
  });

  it("applies defaults and coerces flags and numbers", () => {
    const env = parseEnv({ CASES_TABLE: "cases", S3_FORCE_PATH_STYLE: "true", MIN_CONFIDENCE: "0.75" });
    expect(env).toMatchObject({
      AWS_REGION: "eu-north-1",
      OCR_ENGINE: "local",
      S3_FORCE_PATH_STYLE: true,
      MIN_CONFIDENCE: 0.75,
      PERSONS_KEY: "reference/persons.csv",
    });
    expect(parseEnv({ CASES_TABLE: "cases" }).S3_FORCE_PATH_STYLE).toBe(false);
  });
});

describe("awsClients", () => {
  it("points the SDK clients at emulator endpoints, path-style for s3rver", async () => {
    const env = parseEnv({
      CASES_TABLE: "cases",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:4569",
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:4567",
      S3_FORCE_PATH_STYLE: "1",
    });
    const clients = awsClients(env);
    const s3Endpoint = await clients.s3.config.endpoint?.();
    const dynamoEndpoint = await clients.dynamo.config.endpoint?.();
    expect(s3Endpoint?.port).toBe(4569);
    expect(dynamoEndpoint?.port).toBe(4567);
    expect(clients.s3.config.forcePathStyle).toBe(true);
  });
});
