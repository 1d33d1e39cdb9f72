// ScanStore on S3. The client comes from the composition root (forcePathStyle and endpoint for s3rver locally).
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { ScanNotFoundError } from "../../domain/errors.ts";
import type { ScanStore, StoredScan } from "../../ports/scan-store.ts";

export class S3ScanStore implements ScanStore {
  constructor(private readonly s3: S3Client) {}

  async get(bucket: string, key: string): Promise<StoredScan> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!out.Body) throw new ScanNotFoundError(`s3://${bucket}/${key} has no body`);
      const scan: StoredScan = { bytes: await out.Body.transformToByteArray(), metadata: { ...(out.Metadata ?? {}) } };
      if (out.ContentType) scan.contentType = out.ContentType;
      if (out.VersionId && out.VersionId !== "null") scan.versionId = out.VersionId;
      return scan;
    } catch (err) {
      if (err instanceof NoSuchKey || (err instanceof Error && err.name === "NoSuchKey")) {
        throw new ScanNotFoundError(`s3://${bucket}/${key} not found`, { cause: err });
      }
      throw err;
    }
  }

  async put(
    bucket: string,
    key: string,
    bytes: Uint8Array,
    metadata?: Record<string, string>,
    contentType?: string,
  ): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: bytes,
        ...(metadata ? { Metadata: metadata } : {}),
        ...(contentType ? { ContentType: contentType } : {}),
      }),
    );
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (err) {
      if (err instanceof NotFound || (err instanceof Error && ["NotFound", "NoSuchKey"].includes(err.name)))
        return false;
      throw err;
    }
  }

  async delete(bucket: string, key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}
