// The embedded AWS emulators: DynamoDB (dynalite, LevelDB on disk), S3 (s3rver, files on disk) and SES v2
// (aws-ses-v2-local, mails kept in memory by the library and mirrored to a JSON-lines file here so a restart
// keeps them). Everything binds to 127.0.0.1 on free ports unless ports are configured.
import { type ChildProcess, fork } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

export interface EmulatorPorts {
  dynamodb?: number;
  s3?: number;
  ses?: number;
}

/** One S3 object-created notification, as s3rver reports it (the S3 event record shape). */
export interface S3ObjectCreated {
  eventName: string;
  eventTime: string;
  bucket: string;
  key: string;
  size?: number;
  etag?: string;
}

export interface EmulatorOptions {
  dataDir: string;
  host?: string;
  ports?: EmulatorPorts;
  /** Buckets to create (idempotent: existing buckets and their objects are kept). */
  buckets: string[];
  /** Object-created events from s3rver. */
  onObjectCreated?: (event: S3ObjectCreated) => void;
  /** Skip S3 and SES (used by `lockdesk status` on a stopped stack: only the case table is needed). */
  dynamodbOnly?: boolean;
}

export interface Endpoints {
  dynamodb: string;
  s3: string;
  ses: string;
  /** aws-ses-v2-local's web UI (same server as the API). */
  sesUi: string;
  /** JSON of every captured mail: GET {ses}/store. */
  sesStore: string;
  region: string;
}

export interface Emulators {
  endpoints: Endpoints;
  stop(): Promise<void>;
}

export const LOCAL_REGION = "eu-north-1";

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

async function startDynalite(dir: string, host: string, port: number): Promise<{ server: Server; port: number }> {
  mkdirSync(dir, { recursive: true });
  const dynalite = require("dynalite") as (opts: Record<string, unknown>) => Server;
  const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return { server, port: await listen(server, port, host) };
}

interface S3Child {
  child: ChildProcess;
  port: number;
}

function startS3rver(
  dir: string,
  host: string,
  port: number,
  buckets: string[],
  onEvent: (e: S3ObjectCreated) => void,
): Promise<S3Child> {
  mkdirSync(dir, { recursive: true });
  const script = fileURLToPath(new URL("./s3rver-child.cjs", import.meta.url));
  const child = fork(script, [JSON.stringify({ host, port, directory: dir, buckets })], {
    execArgv: ["--openssl-legacy-provider"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`s3rver exited early (code ${code})`));
    child.once("exit", onExit);
    child.on("message", (msg: { type: string; port?: number; message?: string; event?: unknown }) => {
      if (msg.type === "ready" && typeof msg.port === "number") {
        child.off("exit", onExit);
        resolve({ child, port: msg.port });
      } else if (msg.type === "error") {
        reject(new Error(`s3rver: ${msg.message}`));
      } else if (msg.type === "event") {
        for (const e of parseS3Event(msg.event)) onEvent(e);
      }
    });
  });
}

/** Flattens an S3 notification ({Records:[…]}) into object-created events. */
export function parseS3Event(raw: unknown): S3ObjectCreated[] {
  const records = (raw as { Records?: unknown[] } | undefined)?.Records ?? [];
  const out: S3ObjectCreated[] = [];
  for (const r of records) {
    const rec = r as {
      eventName?: string;
      eventTime?: string;
      s3?: { bucket?: { name?: string }; object?: { key?: string; size?: number; eTag?: string } };
    };
    if (!rec.eventName?.startsWith("ObjectCreated:")) continue;
    const bucket = rec.s3?.bucket?.name;
    const key = rec.s3?.object?.key;
    if (!bucket || !key) continue;
    const e: S3ObjectCreated = {
      eventName: rec.eventName,
      eventTime: rec.eventTime ?? new Date().toISOString(),
      bucket,
      key: decodeURIComponent(key.replace(/\+/g, " ")),
    };
    if (typeof rec.s3?.object?.size === "number") e.size = rec.s3.object.size;
    if (rec.s3?.object?.eTag) e.etag = rec.s3.object.eTag;
    out.push(e);
  }
  return out;
}

interface SesStoreModule {
  saveEmail: (email: { messageId: string }) => void;
  getStoreReadonly: () => { emails: unknown[] };
}

let sesMirrorInstalled: string | null = null;

/**
 * aws-ses-v2-local keeps mails in process memory only; a kill -9 would forget what was sent, and the restart
 * checks ("no mail twice") could not be made. Mirror every saved mail to DATA_DIR/ses/emails.jsonl and load the
 * file back at start, so `/store` shows the whole history of this data dir.
 */
function installSesMirror(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "emails.jsonl");
  const store = require("aws-ses-v2-local/dist/store.js") as SesStoreModule;
  const emails = store.getStoreReadonly().emails;
  emails.length = 0;
  if (existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        emails.push(JSON.parse(line));
      } catch {
        // a torn last line after kill -9: that mail's write was not complete
      }
    }
  }
  if (sesMirrorInstalled === null) {
    const original = store.saveEmail;
    store.saveEmail = (email) => {
      if (sesMirrorInstalled) appendFileSync(join(sesMirrorInstalled, "emails.jsonl"), `${JSON.stringify(email)}\n`);
      original(email);
    };
  }
  sesMirrorInstalled = dir;
}

async function startSes(dir: string, host: string, port: number): Promise<{ server: Server; port: number }> {
  installSesMirror(dir);
  const mod = require("aws-ses-v2-local") as { default: (c: { host: string; port: number }) => Promise<Server> };
  const server = await mod.default({ host, port });
  return { server, port: (server.address() as AddressInfo).port };
}

export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const host = options.host ?? "127.0.0.1";
  const dataDir = options.dataDir;
  mkdirSync(dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const dyn = await startDynalite(join(dataDir, "dynamodb"), host, options.ports?.dynamodb ?? 0);
    stops.push(() => closeServer(dyn.server));
    const base = `http://${host}:`;
    let s3Port = 0;
    let sesPort = 0;
    if (!options.dynamodbOnly) {
      const s3 = await startS3rver(
        join(dataDir, "s3"),
        host,
        options.ports?.s3 ?? 0,
        options.buckets,
        options.onObjectCreated ?? (() => undefined),
      );
      stops.push(
        () =>
          new Promise<void>((resolve) => {
            if (s3.child.exitCode !== null) return resolve();
            s3.child.once("exit", () => resolve());
            s3.child.kill("SIGTERM");
          }),
      );
      s3Port = s3.port;
      const ses = await startSes(join(dataDir, "ses"), host, options.ports?.ses ?? 0);
      stops.push(() => closeServer(ses.server));
      sesPort = ses.port;
    }
    return {
      endpoints: {
        dynamodb: `${base}${dyn.port}`,
        s3: s3Port ? `${base}${s3Port}` : "",
        ses: sesPort ? `${base}${sesPort}` : "",
        sesUi: sesPort ? `${base}${sesPort}/` : "",
        sesStore: sesPort ? `${base}${sesPort}/store` : "",
        region: LOCAL_REGION,
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Points the AWS SDK v3 clients of this process at the emulators: the adapters stay unchanged and read the
 * service-specific endpoint variables (AWS_ENDPOINT_URL_<SERVICE>) like any SDK client does.
 */
export function awsEnvFor(endpoints: Endpoints): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: endpoints.region,
    AWS_DEFAULT_REGION: endpoints.region,
    // s3rver only accepts its dummy account (S3RVER/S3RVER); dynalite and SES accept any key.
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  };
  if (endpoints.s3) env.AWS_ENDPOINT_URL_S3 = endpoints.s3;
  if (endpoints.ses) env.AWS_ENDPOINT_URL_SESV2 = endpoints.ses;
  return env;
}
