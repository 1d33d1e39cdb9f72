// Lambda entry for API Gateway HTTP API v2: event → ApiRequest → router → response. Composition root:
// environment parsed once at cold start; Cognito JWKS verification (same code path as the local dev login).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { z } from "zod";
import { DynamoAuditLog } from "../../shared/adapters/aws/dynamo-audit-log.ts";
import { DynamoCaregiverList } from "../../shared/adapters/aws/dynamo-caregiver-list.ts";
import { DynamoCaseStore } from "../../shared/adapters/aws/dynamo-case-store.ts";
import { S3ScanStore } from "../../shared/adapters/aws/s3-scan-store.ts";
import { cognitoHostedSignIn } from "../../shared/auth/hosted-sign-in.ts";
import { createCognitoVerifier } from "../../shared/auth/verifier.ts";
import { optionalPersonRegistry } from "../../shared/composition/aws.ts";
import { parseEnv, parseEnvWith } from "../../shared/config/env.ts";
import { ENV, PREFIXES } from "../../shared/config/names.ts";
import { systemClock } from "../../shared/ports/clock.ts";
import type { ApiRequest } from "./http.ts";
import { type ApiDeps, handleRequest } from "./router.ts";
import { S3UploadSigner } from "./s3-upload-signer.ts";
import { scanToImage } from "./scan-image.ts";

const EnvSchema = z.object({
  [ENV.casesTable]: z.string().min(1),
  [ENV.auditTable]: z.string().min(1),
  [ENV.scansBucket]: z.string().min(1),
  /** Optional: without it the admin caregiver-list endpoints answer 404. */
  [ENV.referenceTable]: z.string().min(1).optional(),
  STATE_MACHINE_ARN: z.string().min(1),
  COGNITO_USER_POOL_ID: z.string().min(1),
  COGNITO_CLIENT_ID: z.string().min(1),
  /** The hosted sign-in's domain and the web UI's origin (both or neither; infra/config.ts hostedSignIn). */
  AUTH_DOMAIN: z.string().url().optional(),
  WEB_ORIGIN: z.string().url().optional(),
  AWS_REGION: z.string().min(1),
  [ENV.fourEyesAllUnlocks]: z.enum(["true", "false", ""]).optional(),
});

const parseApiEnv = parseEnvWith(EnvSchema);

let deps: ApiDeps | undefined;

export function awsDeps(env: NodeJS.ProcessEnv = process.env): ApiDeps {
  const e = parseApiEnv(env);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  const s3 = new S3Client({});
  const sfn = new SFNClient({});
  const referenceTable = e[ENV.referenceTable];
  const scans = new S3ScanStore(s3);
  // The case page's registry facts come from the registry ValidateCase uses (extract or HTTP), when one is named.
  const persons =
    env[ENV.referenceBucket] || env[ENV.personRegistryUrl]
      ? optionalPersonRegistry(parseEnv(env as Record<string, string | undefined>), scans)
      : undefined;
  return {
    ...(persons ? { persons } : {}),
    ...(referenceTable ? { caregivers: new DynamoCaregiverList(doc, referenceTable) } : {}),
    cases: new DynamoCaseStore(doc, e[ENV.casesTable]),
    audit: new DynamoAuditLog(doc, e[ENV.auditTable]),
    scans,
    clock: systemClock,
    fourEyes: { allUnlocks: e[ENV.fourEyesAllUnlocks] === "true" },
    resumer: async (caseId) => {
      // The name makes a double click idempotent within a version: SFN refuses a second execution of the same name.
      const version = (await deps?.cases.get(caseId))?.version ?? 0;
      await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: e.STATE_MACHINE_ARN,
          name: `resume-${caseId}-v${version}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 80),
          input: JSON.stringify({ caseId, resume: true }),
        }),
      );
    },
    verifier: createCognitoVerifier({
      region: e.AWS_REGION,
      userPoolId: e.COGNITO_USER_POOL_ID,
      clientId: e.COGNITO_CLIENT_ID,
    }),
    ...(e.AUTH_DOMAIN && e.WEB_ORIGIN
      ? {
          signIn: cognitoHostedSignIn({
            domain: e.AUTH_DOMAIN,
            clientId: e.COGNITO_CLIENT_ID,
            webOrigin: e.WEB_ORIGIN,
          }),
        }
      : {}),
    signer: new S3UploadSigner(s3),
    intake: { bucket: e[ENV.scansBucket], prefix: PREFIXES.incoming },
    scanToImage,
  };
}

export function toApiRequest(event: APIGatewayProxyEventV2): ApiRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v;
  if (event.cookies?.length) headers.cookie = event.cookies.join("; ");
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(event.rawQueryString ?? "")) query[k] = v;
  const body =
    event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, "base64").toString("utf8")
        : event.body;
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query,
    headers,
    ...(body !== undefined ? { body } : {}),
  };
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    deps ??= awsDeps();
    const out = await handleRequest(toApiRequest(event), deps);
    const binary = out.body instanceof Uint8Array;
    return {
      statusCode: out.status,
      headers: out.headers,
      body: binary ? Buffer.from(out.body).toString("base64") : (out.body as string),
      isBase64Encoded: binary,
    };
  },
);
