// The REAL local stack for the browser suites: emulators (dynalite, s3rver, SES), THE ASL file with the real
// handlers (tesseract.js OCR), the inbox watcher and the API/UI on free ports, in a temp dir per suite.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Stack, startStack } from "../../../local/stack.ts";
import type { CaseRecord, CaseStatus } from "../../../shared/domain/case.ts";
import { ROOT } from "../../local/helpers.ts";

export const PERSONS_CSV = join(ROOT, "data/persons.csv");
export const CAREGIVERS_CSV = join(ROOT, "data/approved-caregivers.csv");

/** The dev logins of config/users.json (the same the local stack's API loads). */
export const DEV_USERS = {
  mailroom: { userId: "post", password: "post-dev" },
  handler: { userId: "anna", password: "anna-dev" },
  handler2: { userId: "bertil", password: "bertil-dev" },
} as const;

export interface E2eStack {
  stack: Stack;
  apiUrl: string;
  inbox: string;
  stop(): Promise<void>;
}

/** `now`: the stack's clock (sampleClock() for tests that drop the dated dev samples with their sidecars). */
export async function bootStack(label: string, now?: () => Date): Promise<E2eStack> {
  const work = mkdtempSync(join(tmpdir(), `lockdesk-e2e-${label}-`));
  const inbox = join(work, "inbox");
  mkdirSync(inbox, { recursive: true });
  const stack = await startStack({
    repoRoot: ROOT,
    dataDir: join(work, "data"),
    inbox,
    persons: PERSONS_CSV,
    caregivers: CAREGIVERS_CSV,
    apiPort: 0,
    concurrency: 2,
    ...(now ? { now } : {}),
    log: (l) => process.stdout.write(`  [stack:${label}] ${l}\n`),
  });
  const stop = async () => {
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
  };
  if (!stack.apiUrl) {
    await stop();
    throw new Error("the local stack started without its API/UI (functions/api/local.ts)");
  }
  return { stack, apiUrl: stack.apiUrl, inbox, stop };
}

/** Polls the case store until `pick` finds a case that satisfies `done`; fails with the last state seen. */
export async function waitForCase(
  stack: Stack,
  pick: (c: CaseRecord) => boolean,
  done: (c: CaseRecord) => boolean,
  what: string,
  timeoutMs = 600_000,
): Promise<CaseRecord> {
  const until = Date.now() + timeoutMs;
  let last: CaseRecord | undefined;
  for (;;) {
    last = (await stack.cases.listAll()).find(pick);
    if (last && done(last)) return last;
    if (Date.now() > until) {
      throw new Error(
        `timed out waiting for ${what}; last seen: ${last ? `${last.caseId} ${last.status}` : "no case"}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export const isStatus =
  (...statuses: CaseStatus[]) =>
  (c: CaseRecord) =>
    statuses.includes(c.status);

/** The registry row of a personnummer, read from the CSV the stack was started with (header line first). */
export function registryPerson(personnummer: string): { givenNames: string; surname: string } {
  const [header, ...rows] = readFileSync(PERSONS_CSV, "utf8").split(/\r?\n/).filter(Boolean);
  const cols = (header ?? "").split(",");
  const at = (name: string) => cols.indexOf(name);
  for (const row of rows) {
    const cells = row.split(",");
    if (cells[at("personnummer")] === personnummer) {
      return { givenNames: cells[at("givenNames")] ?? "", surname: cells[at("surname")] ?? "" };
    }
  }
  throw new Error(`personnummer not in ${PERSONS_CSV} (the sample's ground truth and the registry disagree)`);
}
