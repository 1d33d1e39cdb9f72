// Shared by the local-stack suites: ground truth of the dev samples and the checks made on a finished batch.
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "../..");
export const SCANS = join(ROOT, "test/fixtures/scans");

export interface Truth {
  id: string;
  file: string;
  receivedDate: string;
  formCode: string | null;
  action: string | null;
  decision: "EXECUTE" | "RETURN" | "REVIEW";
  reasons: string[];
  fields: Record<string, string | boolean>;
}

export function truth(id: string): Truth {
  const raw = JSON.parse(readFileSync(join(SCANS, `${id}.json`), "utf8")) as {
    file: string;
    receivedDate: string;
    formCode: string | null;
    action: string | null;
    fields: Record<string, string | boolean>;
    expected: { decision: Truth["decision"]; reasons: string[] };
  };
  return { id, ...raw, decision: raw.expected.decision, reasons: raw.expected.reasons };
}

export function allSampleIds(): string[] {
  return readdirSync(SCANS)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();
}

/** LOCKDESK_E2E_SAMPLES=all or a comma list; else the given default (OCR is slow: a few per decision). */
export function selectedSamples(defaults: string[]): string[] {
  const v = process.env.LOCKDESK_E2E_SAMPLES;
  if (!v) return defaults;
  if (v === "all") return allSampleIds();
  return v.split(",").map((s) => s.trim());
}

/** Sidecar (receipt date) first, then the scan: the inbox takes the date from the sidecar. */
export function dropIntoInbox(inbox: string, ids: string[]): void {
  for (const id of ids) copyFileSync(join(SCANS, `${id}.json`), join(inbox, `${id}.json`));
  for (const id of ids) {
    const t = truth(id);
    copyFileSync(join(SCANS, t.file), join(inbox, t.file));
  }
}

export const EXPECTED_STATUS: Record<Truth["decision"], string> = {
  EXECUTE: "EXECUTED",
  RETURN: "RETURNED",
  REVIEW: "IN_REVIEW",
};

export function subjectOf(t: Truth): string {
  const v = t.formCode === "1177-VH" ? t.fields["child.personnummer"] : t.fields["citizen.personnummer"];
  return typeof v === "string" ? v : "";
}

export interface StoredMail {
  messageId: string;
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
}

export async function capturedMails(storeUrl: string): Promise<StoredMail[]> {
  const res = await fetch(storeUrl);
  return ((await res.json()) as { emails: StoredMail[] }).emails;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The stack's clock for tests that replay the dev samples: their receipt dates (the sidecars, 2025-03-18 to
 * 2025-03-28) must lie within the mail room's 14-day window, so "now" starts on the latest of them and runs on in
 * real time (arrival stamps stay ordered).
 */
export function sampleClock(start = "2025-03-28T09:00:00.000Z"): () => Date {
  const origin = Date.now();
  const base = Date.parse(start);
  return () => new Date(base + (Date.now() - origin));
}
