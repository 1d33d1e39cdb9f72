// Presigned GET links for a handler's download of an original file (served as an attachment, 60 s), and
// presigned POST policies for the mail room's uploads (AWS Signature Version 4, signed here with node:crypto:
// @aws-sdk/s3-presigned-post is not a dependency). The policy binds what a presigned PUT could not: the exact
// key, the Content-Type, the size (content-length-range) and the receipt-date metadata, for 15 minutes. Keys are
// unique per upload and RegisterCase records each object's etag and sha256, so a second upload with the same
// policy is another object event on an already registered key: ExecuteAction and SendMail compare the object with
// the case's sha256 before acting and stop the case (see shared/use-cases/scan-unchanged.ts).
// S3 enforces every condition; s3rver (the local emulator) accepts the form and stores the fields as given but
// enforces none of them, so the local stack relies on the unique keys and the sha256 check alone.
import { createHmac } from "node:crypto";
import { GetObjectCommand, PutBucketCorsCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { attachmentDisposition } from "../../shared/use-cases/case-detail.ts";
import type { DownloadLinkInput, PostPolicyInput, PresignedPost, UploadSigner } from "../../shared/use-cases/intake.ts";

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** The SigV4 signing key for a day, region and service. */
export function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), "aws4_request");
}

/** The form fields of a SigV4 POST policy (without the URL). Pure: the caller gives credentials, region and time. */
export function postPolicyFields(
  input: PostPolicyInput,
  auth: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined; region: string; now: Date },
): Record<string, string> {
  const amzDate = auth.now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const credential = `${auth.accessKeyId}/${day}/${auth.region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    key: input.key,
    "Content-Type": input.contentType,
    ...Object.fromEntries(Object.entries(input.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
    "x-amz-algorithm": "AWS4-HMAC-SHA256",
    "x-amz-credential": credential,
    "x-amz-date": amzDate,
    ...(auth.sessionToken ? { "x-amz-security-token": auth.sessionToken } : {}),
  };
  const policy = {
    expiration: new Date(auth.now.getTime() + input.expiresIn * 1000).toISOString(),
    conditions: [
      { bucket: input.bucket },
      ["content-length-range", input.minBytes, input.maxBytes],
      ...Object.entries(fields).map(([k, v]) => ({ [k]: v })),
    ],
  };
  const encoded = Buffer.from(JSON.stringify(policy), "utf8").toString("base64");
  const signature = createHmac("sha256", signingKey(auth.secretAccessKey, day, auth.region, "s3"))
    .update(encoded, "utf8")
    .digest("hex");
  return { ...fields, policy: encoded, "x-amz-signature": signature };
}

export class S3UploadSigner implements UploadSigner {
  constructor(
    private readonly s3: S3Client,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async presignPost(input: PostPolicyInput): Promise<PresignedPost> {
    const credentials = await this.s3.config.credentials();
    const region = await this.s3.config.region();
    const fields = postPolicyFields(input, {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      region,
      now: this.now(),
    });
    return { url: await this.bucketUrl(input.bucket, input.key), fields };
  }

  async presignGet(input: DownloadLinkInput): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: input.bucket,
      Key: input.key,
      ResponseContentDisposition: attachmentDisposition(input.fileName),
      ResponseContentType: "application/octet-stream",
      ResponseCacheControl: "private, no-store",
    });
    return getSignedUrl(this.s3, command, { expiresIn: input.expiresIn });
  }

  /** The bucket's URL as this client addresses it (path-style for s3rver, virtual-hosted on AWS). */
  private async bucketUrl(bucket: string, key: string): Promise<string> {
    const url = new URL(
      await getSignedUrl(this.s3, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60 }),
    );
    const first = `/${encodeURIComponent(key.split("/")[0] ?? "")}/`;
    const at = url.pathname.indexOf(first);
    const path = at >= 0 ? url.pathname.slice(0, at) : url.pathname;
    return `${url.origin}${path}${path.endsWith("/") ? "" : "/"}`;
  }
}

/**
 * The browser POSTs the form straight to the bucket from the UI's origin, so the bucket must allow that origin.
 * s3rver answers a request on a bucket without CORS configuration with 403, so the local API sets it for its own
 * origin at start.
 */
export async function allowBrowserUploads(s3: S3Client, bucket: string, origins: string[]): Promise<void> {
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: origins,
            AllowedMethods: ["POST"],
            AllowedHeaders: ["content-type"],
            ExposeHeaders: ["ETag"],
            MaxAgeSeconds: 600,
          },
        ],
      },
    }),
  );
}
