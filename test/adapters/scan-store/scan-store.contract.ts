// One contract for every ScanStore (S3 on s3rver, and the in-memory stores the unit and API tests use): what is put
// comes back byte for byte with its metadata and type, a missing key is ScanNotFoundError (never a generic error),
// list is by prefix only, delete removes. A fake that drifts from S3 fails here, not in a use-case test.
import { expect, it } from "vitest";
import { ScanNotFoundError } from "../../../shared/domain/errors.ts";
import type { ScanStore } from "../../../shared/ports/scan-store.ts";

export function scanStoreContract(name: string, make: () => Promise<{ store: ScanStore; bucket: string }>): void {
  const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 13, 10, 26, 10]);

  it(`${name}: returns what was put, byte for byte, with its metadata and content type`, async () => {
    const { store, bucket } = await make();
    await store.put(bucket, "incoming/2025-03-18/a.png", bytes, { "received-date": "2025-03-18" }, "image/png");
    const got = await store.get(bucket, "incoming/2025-03-18/a.png");
    expect([...got.bytes]).toEqual([...bytes]);
    expect(got.metadata["received-date"]).toBe("2025-03-18");
    expect(got.contentType).toBe("image/png");
  });

  it(`${name}: a copy, not a view: changing the returned bytes changes nothing stored`, async () => {
    const { store, bucket } = await make();
    await store.put(bucket, "incoming/x/copy.png", bytes);
    const first = await store.get(bucket, "incoming/x/copy.png");
    first.bytes[0] = 0;
    expect((await store.get(bucket, "incoming/x/copy.png")).bytes[0]).toBe(0x89);
  });

  it(`${name}: a missing key is ScanNotFoundError`, async () => {
    const { store, bucket } = await make();
    await expect(store.get(bucket, "incoming/none.png")).rejects.toBeInstanceOf(ScanNotFoundError);
  });

  it(`${name}: says whether an object is there, by its exact key`, async () => {
    const { store, bucket } = await make();
    await store.put(bucket, "incoming/2025-03-18/there.png", bytes);
    expect(await store.exists(bucket, "incoming/2025-03-18/there.png")).toBe(true);
    expect(await store.exists(bucket, "incoming/2025-03-18/the")).toBe(false);
    expect(await store.exists(bucket, "incoming/none.png")).toBe(false);
    await store.delete(bucket, "incoming/2025-03-18/there.png");
    expect(await store.exists(bucket, "incoming/2025-03-18/there.png")).toBe(false);
  });

  it(`${name}: lists by prefix only, and delete removes the object`, async () => {
    const { store, bucket } = await make();
    await store.put(bucket, "archive/2025/C-1/scan.png", bytes);
    await store.put(bucket, "archive/2025/C-2/scan.png", bytes);
    await store.put(bucket, "incoming/2025-03-18/b.png", bytes);
    expect((await store.list(bucket, "archive/2025/")).sort()).toEqual([
      "archive/2025/C-1/scan.png",
      "archive/2025/C-2/scan.png",
    ]);
    await store.delete(bucket, "archive/2025/C-1/scan.png");
    expect(await store.list(bucket, "archive/2025/")).toEqual(["archive/2025/C-2/scan.png"]);
    await expect(store.get(bucket, "archive/2025/C-1/scan.png")).rejects.toBeInstanceOf(ScanNotFoundError);
  });
}
