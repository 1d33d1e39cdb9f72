// The ScanStore contract over S3ScanStore on a real s3rver (the local stack's emulator) and the tests' in-memory store.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe } from "vitest";
import { type Emulators, startEmulators } from "../../../local/emulators.ts";
import { S3ScanStore } from "../../../shared/adapters/aws/s3-scan-store.ts";
import { MemoryScanStore } from "../../support/fakes.ts";
import { scanStoreContract } from "./scan-store.contract.ts";

describe("S3ScanStore on s3rver", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "lockdesk-s3-contract-"));
  let emulators: Emulators;
  let s3: S3Client;
  let n = 0;
  beforeAll(async () => {
    const buckets = Array.from({ length: 8 }, (_, i) => `contract-${i}`);
    emulators = await startEmulators({ dataDir, buckets });
    s3 = new S3Client({
      endpoint: emulators.endpoints.s3,
      region: emulators.endpoints.region,
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
  });
  afterAll(async () => {
    s3?.destroy();
    await emulators?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  // A fresh bucket per test: the contract's list assertions see only their own objects.
  scanStoreContract("S3ScanStore", async () => ({ store: new S3ScanStore(s3), bucket: `contract-${n++}` }));
});

describe("the tests' in-memory scan store (test/support/fakes.ts)", () => {
  scanStoreContract("MemoryScanStore", async () => ({ store: new MemoryScanStore(), bucket: "b" }));
});
