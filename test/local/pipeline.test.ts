// The whole pipeline on one machine: the dev samples dropped into the inbox of an in-process local stack
// (real emulators, THE ASL file, the real handlers with tesseract.js) end in the ground truth's final state,
// with the simulated account state and the captured e-mails to match.
// OCR is slow on 2 cores: by default one scan per kind of outcome; LOCKDESK_E2E_SAMPLES=all runs all 22.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../infra/local/stack.ts";
import { SimulatedAccountService } from "../../shared/adapters/local/simulated-account-service.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import {
  capturedMails,
  dropIntoInbox,
  EXPECTED_STATUS,
  ROOT,
  selectedSamples,
  subjectOf,
  type Truth,
  truth,
} from "./helpers.ts";

const IDS = selectedSamples(["sample-01", "sample-05", "sample-10", "sample-15", "sample-18", "sample-22"]);
const work = mkdtempSync(join(tmpdir(), "lockdesk-e2e-"));
let stack: Stack;
const byFile = new Map<string, CaseRecord>();

beforeAll(async () => {
  const inbox = join(work, "inbox");
  mkdirSync(inbox, { recursive: true });
  stack = await startStack({
    repoRoot: ROOT,
    dataDir: join(work, "data"),
    inbox,
    persons: join(ROOT, "data/persons.csv"),
    caregivers: join(ROOT, "data/approved-caregivers.csv"),
    concurrency: 2,
    log: (l) => process.stdout.write(`  [stack] ${l}\n`),
  });
  dropIntoInbox(inbox, IDS);
  await stack.idle();
  for (const c of await stack.cases.listAll()) if (c.scan) byFile.set(c.scan.fileName, c);
}, 1_800_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("local pipeline on the dev samples", () => {
  it("gives every dropped scan one case, and the inbox is emptied", () => {
    expect([...byFile.keys()].sort()).toEqual(IDS.map((id) => truth(id).file).sort());
    expect(readdirSync(join(work, "inbox")).filter((f) => !f.startsWith("."))).toEqual([]);
  });

  it.each(IDS)("%s ends in the ground truth's final state", (id) => {
    const t = truth(id);
    const c = byFile.get(t.file);
    expect(c, `no case for ${t.file}`).toBeDefined();
    expect({ status: c?.status, decision: c?.decision, reasons: c?.reasons }).toEqual({
      status: EXPECTED_STATUS[t.decision],
      decision: t.decision,
      reasons: t.reasons,
    });
    expect(c?.receivedDate).toBe(t.receivedDate);
  });

  it("changes the simulated accounts exactly as the executed cases ask", async () => {
    const client = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.endpoints.region });
    const accounts = new SimulatedAccountService(client, stack.names.accountsTable);
    const executed = IDS.map(truth).filter((t) => t.decision === "EXECUTE");
    const touched = new Set(executed.map(subjectOf));
    for (const t of executed) {
      const s = await accounts.status(subjectOf(t));
      if (t.action === "LOCK") expect(s.locked, t.id).toBe(true);
      if (t.action === "UNLOCK") expect(s.locked, t.id).toBe(false);
      const guardians = ["guardian1.personnummer", "guardian2.personnummer"]
        .map((f) => t.fields[f])
        .filter((g): g is string => typeof g === "string" && g.length > 0);
      for (const g of guardians) {
        if (t.action === "BLOCK") expect(s.blockedGuardians, t.id).toContain(g);
        if (t.action === "UNBLOCK") expect(s.blockedGuardians, t.id).not.toContain(g);
      }
      // One account action per executed case, recorded once.
      const c = byFile.get(t.file);
      expect(c?.execution?.result, t.id).toBeDefined();
      expect(c?.history.filter((h) => h.what.startsWith("account action")).length, t.id).toBe(1);
    }
    // Cases that were not executed left their subject's account alone.
    for (const t of IDS.map(truth).filter((x: Truth) => x.decision !== "EXECUTE")) {
      const subject = subjectOf(t);
      if (!/^\d{12}$/.test(subject) || touched.has(subject)) continue;
      const s = await accounts.status(subject);
      expect({ locked: s.locked, blocked: s.blockedGuardians }, t.id).toEqual({ locked: false, blocked: [] });
      expect(byFile.get(t.file)?.execution, t.id).toBeUndefined();
    }
    client.destroy();
  });

  it("sends one confirmation per executed case, one return notice per returned case, nothing for review", async () => {
    const mails = await capturedMails(stack.endpoints.sesStore);
    const ids = new Set(mails.map((m) => m.messageId));
    expect(ids.size).toBe(mails.length);
    let recorded = 0;
    for (const id of IDS) {
      const t = truth(id);
      const c = byFile.get(t.file);
      const caseMails = c?.mails ?? [];
      recorded += caseMails.length;
      for (const m of caseMails) expect(ids.has(m.messageId), `${id}: ${m.kind} not in SES store`).toBe(true);
      const kinds = caseMails.map((m) => m.kind);
      if (t.decision === "EXECUTE") {
        expect(
          kinds.filter((k) => k === "CONFIRMATION").length + (c?.letterRequired ? 1 : 0),
          id,
        ).toBeGreaterThanOrEqual(1);
        expect(kinds.filter((k) => k === "CONFIRMATION").length, id).toBeLessThanOrEqual(1);
        expect(kinds, id).not.toContain("RETURN_NOTICE");
      } else if (t.decision === "RETURN") {
        expect(
          kinds.filter((k) => k === "RETURN_NOTICE").length + (c?.letterRequired ? 1 : 0),
          id,
        ).toBeGreaterThanOrEqual(1);
        expect(kinds.filter((k) => k === "RETURN_NOTICE").length, id).toBeLessThanOrEqual(1);
        expect(kinds, id).not.toContain("CONFIRMATION");
      } else {
        expect(kinds, id).toEqual([]);
      }
    }
    // Every captured mail belongs to a case (nothing sent twice or unrecorded).
    expect(mails.length).toBe(recorded);
    // Never a full personnummer in a mail.
    for (const m of mails) {
      for (const id of IDS) {
        const pnr = subjectOf(truth(id));
        if (/^\d{12}$/.test(pnr)) expect(`${m.body.text ?? ""}${m.body.html ?? ""}${m.subject}`).not.toContain(pnr);
      }
    }
  });
});
