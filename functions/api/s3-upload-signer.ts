// Presigned PUT URLs for the mail room's uploads. The receipt date is a signed header (not hoisted into
// the query string), so the browser must send exactly `x-amz-meta-received-date` and it lands as object
// metadata `received-date` — on S3 and on s3rver alike.
import { PutBucketCorsCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { UploadSigner } from "../../shared/use-cases/intake.ts";

export class S3UploadSigner implements UploadSigner {
  constructor(private readonly s3: S3Client) {}

  async presignPut(input: {
    bucket: string;
    key: string;
    contentType: string;
    metadata: Record<string, string>;
    expiresIn: number;
  }): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: input.bucket,
      Key: input.key,
      ContentType: input.contentType,
      Metadata: input.metadata,
    });
    const metaHeaders = Object.keys(input.metadata).map((k) => `x-amz-meta-${k}`);
    return getSignedUrl(this.s3, command, {
      expiresIn: input.expiresIn,
      signableHeaders: new Set(["content-type", ...metaHeaders]),
      unhoistableHeaders: new Set(metaHeaders),
    });
  }
}

/**
 * The browser PUTs straight to the bucket from the UI's origin, so the bucket must allow that origin (CORS
 * preflight for PUT with the signed content-type and received-date headers). s3rver answers a preflight on a
 * bucket without CORS configuration with 403, so the local API sets it for its own origin at start.
 */
export async function allowBrowserUploads(s3: S3Client, bucket: string, origins: string[]): Promise<void> {
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: origins,
            AllowedMethods: ["PUT"],
            AllowedHeaders: ["content-type", "x-amz-meta-received-date"],
            ExposeHeaders: ["ETag"],
            MaxAgeSeconds: 600,
          },
        ],
      },
    }),
  );
}
