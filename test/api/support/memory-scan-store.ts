import { ScanNotFoundError } from "../../../shared/domain/errors.ts";
import type { ScanStore, StoredScan } from "../../../shared/ports/scan-store.ts";

/** In-memory ScanStore for the API tests. */
export class MemoryScanStore implements ScanStore {
  private readonly objects = new Map<string, StoredScan>();

  async get(bucket: string, key: string): Promise<StoredScan> {
    const o = this.objects.get(`${bucket}/${key}`);
    if (!o) throw new ScanNotFoundError(`no object ${bucket}/${key}`); // as the S3 adapter
    return { ...o, bytes: o.bytes.slice() };
  }
  async put(
    bucket: string,
    key: string,
    bytes: Uint8Array,
    metadata: Record<string, string> = {},
    contentType?: string,
  ) {
    this.objects.set(`${bucket}/${key}`, { bytes: bytes.slice(), metadata, ...(contentType ? { contentType } : {}) });
  }
  async delete(bucket: string, key: string): Promise<void> {
    this.objects.delete(`${bucket}/${key}`);
  }
  async list(bucket: string, prefix: string): Promise<string[]> {
    return [...this.objects.keys()]
      .filter((k) => k.startsWith(`${bucket}/${prefix}`))
      .map((k) => k.slice(bucket.length + 1));
  }
}
