// The inbox folder: the local stand-in for the scanner's upload. A file dropped here is uploaded to the scans
// bucket under incoming/<date>/<token>/<file> with the receipt date as metadata, then moved to .done/ (or
// .rejected/ with a one-line reason). The upload is what starts the pipeline (s3rver's object event), as on AWS.
// Every file gets its own key: <token> comes from the file's identity in the folder (device, inode, mtime,
// size), so another paper dropped under a name used before is another object (and another case), while a crash
// between upload and move finds its own upload again and does not upload twice.
// Nothing loops and nothing is dropped: a name the inbox cannot use (hidden, too long, control characters,
// unsupported type), an empty file, a receipt date outside the window, or an upload failing MAX_ATTEMPTS times is
// moved to .rejected/ with its reason. Names are shown and logged without control characters.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { receiptDateProblem } from "../shared/domain/receipt-date.ts";

export const SUPPORTED_EXTENSIONS: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".tif": "image/tiff",
  ".tiff": "image/tiff",
  ".pdf": "application/pdf",
};

/** Longest file name (UTF-8 bytes) taken: leaves room in 255-byte file systems for ".N" and ".reason.txt". */
export const MAX_NAME_BYTES = 200;
/** Uploads of one file that fail this many times in a row send it to .rejected/ with the last error. */
export const MAX_ATTEMPTS = 5;

/** The mail room's date in Sweden (a scan dropped at 00:30 on the 5th arrived on the 5th). */
export function swedishDate(at: Date): string {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Stockholm",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

/** A name as it may be shown or logged: no control or format characters (newlines, ANSI escapes, bidi marks). */
export function printableName(name: string): string {
  return name.replace(/[\p{Cc}\p{Cf}]/gu, "");
}

/** Why the inbox cannot take a file of this name, or null. */
export function nameProblem(name: string): string | null {
  if (name.startsWith(".")) return "hidden file name (starts with a dot)";
  if (printableName(name) !== name) return "file name contains control characters";
  if (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES) return `file name longer than ${MAX_NAME_BYTES} bytes`;
  const ext = extname(name).toLowerCase();
  if (!SUPPORTED_EXTENSIONS[ext]) return `unsupported file type "${ext || "(none)"}": expected PNG, JPEG, TIFF or PDF`;
  return null;
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

/** Moves a file into `dir` under a printable, bounded name (never overwriting); returns the new path. */
function moveInto(dir: string, file: string): string {
  mkdirSync(dir, { recursive: true });
  const full = printableName(basename(file)).replace(/^\.+/, "_.") || "file";
  const ext = extname(full).slice(0, 16);
  let stem = full.slice(0, full.length - extname(full).length);
  while (Buffer.byteLength(stem + ext, "utf8") > MAX_NAME_BYTES) stem = stem.slice(0, -1);
  const name = stem + ext;
  let target = join(dir, name);
  for (let i = 1; existsSync(target); i++) target = join(dir, `${basename(name, ext)}.${i}${ext}`);
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
  /** Failed uploads per file name, and names that could not even be moved (reported once, never retried). */
  const failures = new Map<string, number>();
  const stuck = new Set<string>();
  let busy: Promise<void> | null = null;
  let stopped = false;

  function reject(name: string, reason: string, sidecar: string | null = null): void {
    const target = moveInto(rejected, join(dir, name));
    writeFileSync(`${target}.reason.txt`, `${reason}\n`);
    if (sidecar) moveInto(rejected, sidecar);
    options.onRejected?.({ file: printableName(name), reason });
  }

  async function uploadOne(name: string): Promise<void> {
    const path = join(dir, name);
    const problem = nameProblem(name);
    if (problem) return reject(name, problem, sidecarFor(dir, name));
    const bytes = readFileSync(path);
    const sidecar = sidecarFor(dir, name);
    if (bytes.byteLength === 0) return reject(name, "empty file", sidecar);
    const today = swedishDate(now());
    const receivedDate = receivedDateFrom(sidecar, today);
    const dateProblem = receiptDateProblem(receivedDate, today);
    if (dateProblem) {
      const why = dateProblem === "IN_THE_FUTURE" ? "is in the future" : "is more than 14 days back";
      return reject(
        name,
        `receipt date ${receivedDate} in ${basename(sidecar ?? "")} ${why} (today ${today})`,
        sidecar,
      );
    }
    const st = statSync(path);
    const token = createHash("sha256")
      .update(JSON.stringify([st.dev, st.ino, st.mtimeMs, st.size, name]))
      .digest("hex")
      .slice(0, 12);
    const md5 = createHash("md5").update(bytes).digest("hex");
    const key = await freeKey(`incoming/${today}/${token}/`, name, md5);
    // Announced before the upload: the upload's object event may start the execution at once.
    options.onReceived?.({ file: name, key: key.key, receivedDate });
    if (key.uploaded === false) {
      await options.s3.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key.key,
          Body: bytes,
          ContentType: SUPPORTED_EXTENSIONS[extname(name).toLowerCase()],
          Metadata: { "received-date": receivedDate, "received-date-by": "inbox" },
        }),
      );
    }
    // Moved only after the upload: a crash in between finds the same file, the same key and the upload (above).
    moveInto(done, path);
    if (sidecar) moveInto(done, sidecar);
  }

  /** <prefix><name>, or <name>.N when that key holds other bytes (never expected: the prefix is this file's). */
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

  /** A failure: retried on the next passes, at most MAX_ATTEMPTS times, then .rejected/ with the reason. */
  function failed(name: string, error: unknown): void {
    const shown = printableName(name);
    options.onError?.({ file: shown, error });
    const n = (failures.get(name) ?? 0) + 1;
    failures.set(name, n);
    if (n < MAX_ATTEMPTS) return;
    failures.delete(name);
    const message = printableName(String((error as Error)?.message ?? error)).slice(0, 300);
    try {
      reject(name, `upload failed ${n} times, last: ${message}`);
    } catch (moveError) {
      stuck.add(name);
      options.onError?.({ file: shown, error: moveError });
    }
  }

  async function pass(): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    const present = new Set<string>();
    for (const e of entries) {
      if (stopped) return;
      if (!e.isFile() || stuck.has(e.name)) continue;
      // Sidecars travel with their scan; a lone .json is not a scan either.
      if (extname(e.name).toLowerCase() === ".json" && !e.name.startsWith(".")) continue;
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
        failures.delete(e.name);
      } catch (error) {
        failed(e.name, error);
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
