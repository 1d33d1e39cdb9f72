export interface StoredScan {
  bytes: Uint8Array;
  contentType?: string;
  metadata: Record<string, string>;
  versionId?: string;
}

export interface ScanStore {
  get(bucket: string, key: string): Promise<StoredScan>;
  put(
    bucket: string,
    key: string,
    bytes: Uint8Array,
    metadata?: Record<string, string>,
    contentType?: string,
  ): Promise<void>;
  delete(bucket: string, key: string): Promise<void>;
  list(bucket: string, prefix: string): Promise<string[]>;
  /** Whether the object is there (without reading it; on S3 a HEAD, which GetObject rights allow). */
  exists(bucket: string, key: string): Promise<boolean>;
}
