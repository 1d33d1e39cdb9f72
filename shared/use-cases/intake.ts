// The mail room: presigned POST policies for a batch of scans (the receipt date travels as object metadata
// `received-date`, with `received-date-by` naming who set it), and the day's intake with case id and status.
// No personal data reaches the mail room. The receipt date is the upload's arrival unless the mail room sets an
// earlier one (the envelope's stamp) within the window of shared/domain/receipt-date.ts; anything else is refused.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { CaseRecord, CaseStatus } from "../domain/case.ts";
import { ValidationError } from "../domain/errors.ts";
import { receiptDateMessage, receiptDateProblem } from "../domain/receipt-date.ts";
import { RESCAN_REQUEST, unreadableCause, unreadableText } from "../domain/unreadable.ts";
import type { AuditLog } from "../ports/audit-log.ts";
import type { CaseStore } from "../ports/case-store.ts";
import type { Clock } from "../ports/clock.ts";
import { swedishDate } from "./urgent-case.ts";

/** The largest scan the mail room may upload. */
export const MAX_SCAN_BYTES = 50 * 1024 * 1024;

export const SCAN_CONTENT_TYPES = ["image/png", "image/jpeg", "image/tiff", "application/pdf"] as const;
/** File name endings the mail room may upload (the scanners' formats). */
export const SCAN_EXTENSIONS = ["png", "jpg", "jpeg", "tif", "tiff", "pdf"] as const;
const SCAN_AS = "Skanna blanketten som PNG, JPEG, TIFF eller PDF.";
export const UNSUPPORTED_TYPE_TEXT = `Filtypen stöds inte. ${SCAN_AS}`;

/** Why a file is refused before upload (Swedish), or null when its name ends in a scan format. */
export function unsupportedFileReason(fileName: string): string | null {
  const ext = fileName.includes(".") ? (fileName.split(".").pop() ?? "").toLowerCase() : "";
  if ((SCAN_EXTENSIONS as readonly string[]).includes(ext)) return null;
  return ext ? `Filtypen .${ext} stöds inte. ${SCAN_AS}` : UNSUPPORTED_TYPE_TEXT;
}

export const UploadsBodySchema = z
  .object({
    receivedDate: z.iso.date().optional(),
    files: z
      .array(
        z
          .object({
            fileName: z
              .string()
              .trim()
              .min(1)
              .max(200)
              .refine((n) => unsupportedFileReason(n) === null, { error: UNSUPPORTED_TYPE_TEXT }),
            contentType: z.enum(SCAN_CONTENT_TYPES, { error: UNSUPPORTED_TYPE_TEXT }),
            size: z.number().int().positive().max(MAX_SCAN_BYTES).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict();
export type UploadsBody = z.infer<typeof UploadsBodySchema>;

export interface PresignedPost {
  url: string;
  /** Form fields to send as given, before the file (they are signed by the policy). */
  fields: Record<string, string>;
}

/**
 * Signs an S3 POST policy: on AWS the real S3, locally s3rver. The policy binds key, Content-Type, size range and
 * metadata: an upload of another type or size, or under another key, is refused by S3.
 */
/** What an upload is bound to: the key, the type, the size range (inclusive, bytes), the metadata and the expiry. */
export interface PostPolicyInput {
  bucket: string;
  key: string;
  contentType: string;
  minBytes: number;
  maxBytes: number;
  metadata: Record<string, string>;
  expiresIn: number;
}

/** What a download link is bound to: one object, the name the browser saves it under, the expiry (seconds). */
export interface DownloadLinkInput {
  bucket: string;
  key: string;
  fileName: string;
  expiresIn: number;
}

/** Presigned S3 links: the mail room's uploads (POST policy) and a handler's download of an original file (GET). */
export interface UploadSigner {
  presignPost(input: PostPolicyInput): Promise<PresignedPost>;
  /**
   * A GET link that serves the object as a download (Content-Disposition attachment, octet-stream): the file goes
   * from the bucket to the browser, never through the API (whose answers are limited to 6 MB on Lambda).
   */
  presignGet(input: DownloadLinkInput): Promise<string>;
}

export interface UploadTicket {
  fileName: string;
  key: string;
  url: string;
  method: "POST";
  /** multipart/form-data fields, in this order, then the file as the field `file`. */
  fields: Record<string, string>;
  expiresIn: number;
}

export interface IntakeConfig {
  bucket: string;
  /** e.g. "scans/incoming/" */
  prefix: string;
}

/** Keeps a file name safe as the tail of an S3 key (the mail room sees it again in the intake list). */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "scan";
  const cleaned = base
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}._-]+/gu, "_")
    .replace(/^\.+/, "");
  return cleaned.slice(0, 120) || "scan";
}

export async function createUploads(
  input: UploadsBody & { by?: string | undefined },
  deps: { signer: UploadSigner; clock: Clock; intake: IntakeConfig; newId?: () => string; audit?: AuditLog },
): Promise<{ receivedDate: string; uploads: UploadTicket[] }> {
  const now = deps.clock.now();
  const today = swedishDate(now);
  const receivedDate = input.receivedDate ?? today;
  const problem = receiptDateProblem(receivedDate, today);
  if (problem) throw new ValidationError(receiptDateMessage(problem, receivedDate, today));
  const by = input.by ?? "mailroom";
  const expiresIn = 15 * 60;
  const uploads = await Promise.all(
    input.files.map(async (f) => {
      const key = `${deps.intake.prefix}${receivedDate}/${deps.newId?.() ?? randomUUID()}-${safeFileName(f.fileName)}`;
      const metadata = { "received-date": receivedDate, "received-date-by": by };
      const signed = await deps.signer.presignPost({
        bucket: deps.intake.bucket,
        key,
        contentType: f.contentType,
        // The declared size exactly when the browser gave one; else any size up to the limit.
        minBytes: f.size ?? 1,
        maxBytes: f.size ?? MAX_SCAN_BYTES,
        metadata,
        expiresIn,
      });
      if (receivedDate !== today) {
        // The earlier receipt date and who set it, before any case exists (the case history repeats it).
        await deps.audit?.append({
          at: now.toISOString(),
          user: by,
          caseId: `upload:${key}`,
          action: "SET_RECEIPT_DATE",
          detail: `receipt date ${receivedDate} (arrival ${today})`,
        });
      }
      return { fileName: f.fileName, key, url: signed.url, method: "POST" as const, fields: signed.fields, expiresIn };
    }),
  );
  return { receivedDate, uploads };
}

export interface IntakeItem {
  caseId: string;
  fileName: string;
  key: string;
  status: CaseStatus;
  receivedAt: string;
  /** The receipt date the mail room entered (the stamp on the envelope); may differ from the arrival day. */
  receivedDate: string;
  /** An unreadable scan: why, in Swedish, and the request to scan it again (never personal data). */
  problem?: string;
  /** The file's pages this case is about (1-based); absent until the case is read. A batch file has a row per document. */
  pages?: number[];
  /** The case's document of a batch file: its number (1-based) of how many, and its form page (1-based, null: none). */
  document?: { number: number; count: number; formPage: number | null };
}

/**
 * The scans that ARRIVED on `date` (default today; the upload's arrival stamp on the Swedish calendar), whatever
 * receipt date the mail room entered for them.
 */
export async function getIntake(
  input: { date?: string | undefined },
  deps: { cases: CaseStore; clock: Clock },
): Promise<{ date: string; items: IntakeItem[]; counts: Record<string, number> }> {
  const date = input.date ?? swedishDate(deps.clock.now());
  const all = await deps.cases.listAll();
  const items = all
    .filter((c) => c.scan !== undefined && swedishDate(new Date(c.receivedAt)) === date)
    // In arrival order; a batch file's documents together, in page order.
    .sort(
      (a, b) =>
        a.receivedAt.localeCompare(b.receivedAt) ||
        (a.scan?.key ?? "").localeCompare(b.scan?.key ?? "") ||
        (a.document?.index ?? 0) - (b.document?.index ?? 0),
    )
    .map((c) => ({
      caseId: c.caseId,
      fileName: c.scan?.fileName ?? "",
      key: c.scan?.key ?? "",
      status: c.status,
      receivedAt: c.receivedAt,
      receivedDate: c.receivedDate,
      ...withProblem(c),
      ...documentOf(c),
    }));
  const counts: Record<string, number> = {};
  for (const i of items) counts[i.status] = (counts[i.status] ?? 0) + 1;
  return { date, items, counts };
}

/** A batch file's case names its document and pages (1-based, as the mail room counts the paper). */
function documentOf(c: CaseRecord): Pick<IntakeItem, "pages" | "document"> {
  const d = c.document;
  if (!d) return {};
  return {
    pages: d.pages.map((p) => p + 1),
    document: { number: d.index + 1, count: d.count, formPage: d.formPage === null ? null : d.formPage + 1 },
  };
}

/** The mail room sees why a scan could not be read and is asked to scan it again. */
function withProblem(c: CaseRecord): { problem?: string } {
  const cause = unreadableCause(c);
  if (cause !== null) return { problem: `${unreadableText(cause)} ${RESCAN_REQUEST}` };
  if (c.reasons.includes("UNRECOGNIZED_DOCUMENT")) {
    return { problem: "Handlingen kändes inte igen som en av blanketterna. En handläggare tittar på den." };
  }
  if (c.status === "FAILED") return { problem: "Tekniskt fel vid läsningen. En handläggare tittar på den." };
  return {};
}
