// Test doubles for the pipeline use cases: an in-memory scan store, a fixed clock, a silent logger.
import { ScanNotFoundError } from "../../../shared/domain/errors.ts";
import type { Clock } from "../../../shared/ports/clock.ts";
import type { CaseLogger } from "../../../shared/ports/logger.ts";
import type { ScanStore, StoredScan } from "../../../shared/ports/scan-store.ts";

export class MemoryScanStore implements ScanStore {
  readonly objects = new Map<string, StoredScan>();
  gets = 0;

  async get(bucket: string, key: string): Promise<StoredScan> {
    this.gets += 1;
    const o = this.objects.get(`${bucket}/${key}`);
    if (!o) throw new ScanNotFoundError(`${bucket}/${key} not found`);
    return { ...o, bytes: o.bytes.slice() };
  }
  async put(bucket: string, key: string, bytes: Uint8Array, metadata: Record<string, string> = {}): Promise<void> {
    this.objects.set(`${bucket}/${key}`, { bytes, metadata });
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

export function fixedClock(iso = "2025-03-18T09:00:00.000Z"): Clock & { set(iso: string): void } {
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
