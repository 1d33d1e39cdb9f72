// The inbox folder: the local stand-in for the scanner's upload. A file dropped here is uploaded to the scans
// bucket under incoming/<date>/<file> with the receipt date as metadata, then moved to .done/ (or .rejected/
// with a one-line reason). The upload is what starts the pipeline (s3rver's object event), as on AWS.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

export const SUPPORTED_EXTENSIONS: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".tif": "image/tiff",
  ".tiff": "image/tiff",
  ".pdf": "application/pdf",
};

/** The mail room's date in Sweden (a scan dropped at 00:30 on the 5th arrived on the 5th). */
export function swedishDate(at: Date): string {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Stockholm",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

export interface InboxOptions {
  dir: string;
  s3: S3Client;
  bucket: string;
  /** Polling interval (ms). Polling, not fs.watch alone: it also sees files that arrived while the stack was down. */
  intervalMs?: number;
  now?: () => Date;
  onReceived?: (e: { file: string; key: string; receivedDate: string }) => void;
  onRejected?: (e: { file: string; reason: string }) => void;
  onError?: (e: { file: string; error: unknown }) => void;
}

export interface Inbox {
  /** One pass over the folder (also runs on the interval). */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A sidecar `<name>.json` with `{"receivedDate":"YYYY-MM-DD"}` beside a scan carries the envelope's stamp
 * (the sample ground-truth files have this field); without one the receipt date is today. Sidecars are moved
 * along with their scan and are never uploaded themselves.
 */
function sidecarFor(dir: string, file: string): string | null {
  const p = join(dir, `${basename(file, extname(file))}.json`);
  return existsSync(p) ? p : null;
}

function receivedDateFrom(sidecar: string | null, today: string): string {
  if (!sidecar) return today;
  try {
    const v = (JSON.parse(readFileSync(sidecar, "utf8")) as { receivedDate?: unknown }).receivedDate;
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  } catch {
    // an unreadable sidecar is ignored: the scan still gets today's date
  }
  return today;
}

function moveInto(dir: string, file: string): string {
  mkdirSync(dir, { recursive: true });
  let target = join(dir, basename(file));
  for (let i = 1; existsSync(target); i++) {
    target = join(dir, `${basename(file, extname(file))}.${i}${extname(file)}`);
  }
  renameSync(file, target);
  return target;
}

export function startInbox(options: InboxOptions): Inbox {
  const dir = options.dir;
  const done = join(dir, ".done");
  const rejected = join(dir, ".rejected");
  mkdirSync(dir, { recursive: true });
  const now = options.now ?? (() => new Date());
  /** size+mtime seen on the previous pass: a file is taken only once it stopped growing. */
  const seen = new Map<string, string>();
  let busy: Promise<void> | null = null;
  let stopped = false;

  async function uploadOne(name: string): Promise<void> {
    const path = join(dir, name);
    const ext = extname(name).toLowerCase();
    const contentType = SUPPORTED_EXTENSIONS[ext];
    if (!contentType) {
      const reason = `unsupported file type "${ext || "(none)"}": expected PNG, JPEG, TIFF or PDF`;
      const target = moveInto(rejected, path);
      writeFileSync(`${target}.reason.txt`, `${reason}\n`);
      options.onRejected?.({ file: name, reason });
      return;
    }
    const bytes = readFileSync(path);
    if (bytes.byteLength === 0) {
      const reason = "empty file";
      const target = moveInto(rejected, path);
      writeFileSync(`${target}.reason.txt`, `${reason}\n`);
      options.onRejected?.({ file: name, reason });
      return;
    }
    const today = swedishDate(now());
    const sidecar = sidecarFor(dir, name);
    const receivedDate = receivedDateFrom(sidecar, today);
    const md5 = createHash("md5").update(bytes).digest("hex");
    const key = await freeKey(`incoming/${today}/`, name, md5);
    // Announced before the upload: the upload's object event may start the execution at once.
    options.onReceived?.({ file: name, key: key.key, receivedDate });
    if (key.uploaded === false) {
      await options.s3.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key.key,
          Body: bytes,
          ContentType: contentType,
          Metadata: { "received-date": receivedDate },
        }),
      );
    }
    // Moved only after the upload: a crash in between re-uploads the same bytes to the same key (found above).
    moveInto(done, path);
    if (sidecar) moveInto(done, sidecar);
  }

  /** incoming/<date>/<name>, or <name>.N when another file of that name arrived today; same bytes → same key. */
  async function freeKey(prefix: string, name: string, md5: string): Promise<{ key: string; uploaded: boolean }> {
    for (let i = 0; ; i++) {
      const key = i === 0 ? `${prefix}${name}` : `${prefix}${basename(name, extname(name))}.${i}${extname(name)}`;
      try {
        const head = await options.s3.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }));
        if (head.ETag?.replace(/"/g, "") === md5) return { key, uploaded: true };
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || (err as Error).name === "NotFound") return { key, uploaded: false };
        throw err;
      }
    }
  }

  async function pass(): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    const present = new Set<string>();
    for (const e of entries) {
      if (stopped) return;
      if (!e.isFile() || e.name.startsWith(".")) continue;
      // Sidecars travel with their scan; a lone .json is not a scan either.
      if (extname(e.name).toLowerCase() === ".json") continue;
      present.add(e.name);
      let sig: string;
      try {
        const st = statSync(join(dir, e.name));
        sig = `${st.size}:${st.mtimeMs}`;
        if (Date.now() - st.mtimeMs < 300) {
          seen.set(e.name, sig);
          continue; // still being written
        }
      } catch {
        continue;
      }
      if (seen.get(e.name) !== sig) {
        seen.set(e.name, sig);
        continue; // wait one more pass for a stable size
      }
      seen.delete(e.name);
      try {
        await uploadOne(e.name);
      } catch (error) {
        options.onError?.({ file: e.name, error });
      }
    }
    for (const k of seen.keys()) if (!present.has(k)) seen.delete(k);
  }

  const poll = (): Promise<void> => {
    busy ??= pass().finally(() => {
      busy = null;
    });
    return busy;
  };
  const timer = setInterval(() => void poll(), options.intervalMs ?? 500);
  void poll();
  return {
    poll,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (busy) await busy.catch(() => undefined);
    },
  };
}
