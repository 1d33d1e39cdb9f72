// The in-memory doubles every test layer shares (unit, use cases, API): one ScanStore that behaves as the S3 adapter
// does (the ScanStore contract in test/adapters/scan-store runs against it), a settable fixed clock, a silent logger.
import { ScanNotFoundError } from "../../shared/domain/errors.ts";
import type { Clock } from "../../shared/ports/clock.ts";
import type { CaseLogger } from "../../shared/ports/logger.ts";
import type { ScanStore, StoredScan } from "../../shared/ports/scan-store.ts";

/** A clock that stands still at `iso` until a test moves it. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return {
    now: () => new Date(now),
    set: (next: string) => {
      now = new Date(next);
    },
  };
}

const quiet = (): void => {};
export const silentLogger: CaseLogger = { info: quiet, warn: quiet, error: quiet };

export class MemoryScanStore implements ScanStore {
  readonly objects = new Map<string, StoredScan>();
  readonly deleted: string[] = [];
  /** How many reads (a use case must not read a scan twice). */
  gets = 0;
  /** Corrupts the next put to this key (to test a verification after writing). */
  corruptNextPut: string | undefined = undefined;

  async get(bucket: string, key: string): Promise<StoredScan> {
    this.gets += 1;
    const o = this.objects.get(`${bucket}/${key}`);
    if (!o) throw new ScanNotFoundError(`${bucket}/${key} not found`);
    return { ...o, bytes: new Uint8Array(o.bytes), metadata: { ...o.metadata } };
  }

  async put(
    bucket: string,
    key: string,
    bytes: Uint8Array,
    metadata: Record<string, string> = {},
    contentType?: string,
  ): Promise<void> {
    const stored = new Uint8Array(bytes);
    if (this.corruptNextPut === key) {
      stored[0] = (stored[0] ?? 0) ^ 0xff;
      this.corruptNextPut = undefined;
    }
    const object: StoredScan = { bytes: stored, metadata: { ...metadata } };
    if (contentType) object.contentType = contentType;
    this.objects.set(`${bucket}/${key}`, object);
  }

  async delete(bucket: string, key: string): Promise<void> {
    this.deleted.push(`${bucket}/${key}`);
    this.objects.delete(`${bucket}/${key}`);
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    return this.objects.has(`${bucket}/${key}`);
  }

  async list(bucket: string, prefix: string): Promise<string[]> {
    return [...this.objects.keys()]
      .filter((k) => k.startsWith(`${bucket}/${prefix}`))
      .map((k) => k.slice(bucket.length + 1));
  }
}
