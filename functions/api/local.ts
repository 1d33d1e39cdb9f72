// The API in the embedded local stack: dev login from config/users.json, presigned URLs to s3rver,
// the local runner as resumer. local/ mounts it with
//   const api = await createLocalApi({ cases, audit, scans, resumer, s3, intake: { bucket, prefix }, port });
import type http from "node:http";
import { fileURLToPath } from "node:url";
import type { S3Client } from "@aws-sdk/client-s3";
import { createDevLogin } from "../../shared/auth/dev-login.ts";
import { loadUsersConfig } from "../../shared/auth/users.ts";
import type { AuditLog } from "../../shared/ports/audit-log.ts";
import type { CaseStore } from "../../shared/ports/case-store.ts";
import { type Clock, systemClock } from "../../shared/ports/clock.ts";
import type { Resumer } from "../../shared/ports/resumer.ts";
import type { ScanStore } from "../../shared/ports/scan-store.ts";
import type { IntakeConfig, UploadSigner } from "../../shared/use-cases/intake.ts";
import type { ApiDeps } from "./router.ts";
import { allowBrowserUploads, S3UploadSigner } from "./s3-upload-signer.ts";
import { scanToImage } from "./scan-image.ts";
import { createApiServer } from "./server.ts";

export const DEFAULT_USERS_CONFIG = fileURLToPath(new URL("../../config/users.json", import.meta.url));

export interface LocalApiOptions {
  cases: CaseStore;
  audit: AuditLog;
  scans: ScanStore;
  resumer: Resumer;
  intake: IntakeConfig;
  /** S3 client pointed at s3rver (forcePathStyle); used for presigned uploads. Or give `signer`. */
  s3?: S3Client;
  signer?: UploadSigner;
  clock?: Clock;
  usersConfigPath?: string;
  port: number;
  host?: string;
}

export interface LocalApi {
  server: http.Server;
  url: string;
  deps: ApiDeps;
  close(): Promise<void>;
}

export async function createLocalApi(opts: LocalApiOptions): Promise<LocalApi> {
  const users = await loadUsersConfig(opts.usersConfigPath ?? DEFAULT_USERS_CONFIG);
  const devLogin = await createDevLogin(users);
  const signer = opts.signer ?? (opts.s3 ? new S3UploadSigner(opts.s3) : undefined);
  if (!signer) throw new Error("createLocalApi needs an s3 client or a signer for uploads");
  const deps: ApiDeps = {
    cases: opts.cases,
    audit: opts.audit,
    scans: opts.scans,
    clock: opts.clock ?? systemClock,
    resumer: opts.resumer,
    verifier: devLogin.verifier,
    signer,
    intake: opts.intake,
    scanToImage,
    devLogin,
    displayNames: Object.fromEntries(users.users.map((u) => [u.userId, u.displayName])),
    fourEyes: { allUnlocks: ["true", "1"].includes(process.env.FOUR_EYES_ALL_UNLOCKS ?? "") },
  };
  const server = createApiServer(deps);
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const url = `http://${host}:${port}`;
  // The mail room page uploads cross-origin to s3rver: allow this UI's origin on the intake bucket.
  if (opts.s3 && !opts.signer) {
    await allowBrowserUploads(opts.s3, opts.intake.bucket, [url, `http://localhost:${port}`]).catch(
      async (err: unknown) => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        throw err;
      },
    );
  }
  return {
    server,
    url,
    deps,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
