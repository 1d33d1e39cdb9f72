// Presigned PUT URLs for the mail room's uploads. The receipt date is a signed header (not hoisted into
// the query string), so the browser must send exactly `x-amz-meta-received-date` and it lands as object
// metadata `received-date` — on S3 and on s3rver alike.
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
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
