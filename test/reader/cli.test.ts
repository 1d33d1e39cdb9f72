// The command line as a user runs it: bad files get one line each and do not stop the batch; eval reports the
// contract's metrics on the development samples.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BAD_INPUTS } from "../support/bad-inputs.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = path.join(root, "bin/lockdesk.mjs");
const fixtures = path.join(root, "test/fixtures");
const persons = path.join(fixtures, "registry/persons.csv");
const caregivers = path.join(fixtures, "registry/approved-caregivers.csv");
const staff = path.join(fixtures, "registry/staff.csv");
const field = path.join(root, "../shared/forms/field");
/** The field set's own registry and caregiver list. */
const fieldReference = [
  "--persons",
  path.join(field, "persons.csv"),
  "--caregivers",
  path.join(field, "approved-caregivers.csv"),
];

async function lockdesk(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: root,
      maxBuffer: 32 * 1024 * 1024,
      timeout: 900_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

describe("lockdesk read with bad input", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "lockdesk-bad-"));
    for (const b of BAD_INPUTS) await writeFile(path.join(dir, b.fileName), await b.make());
    await copyFile(path.join(fixtures, "scans/sample-01.png"), path.join(dir, "good.png"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("gives each bad file one error line with its name and reason, reads the good one, exits non-zero", async () => {
    const files = [...BAD_INPUTS.map((b) => path.join(dir, b.fileName)), path.join(dir, "good.png")];
    const r = await lockdesk(["read", ...files, "--persons", persons, "--caregivers", caregivers, "--json"]);
    expect(r.code).toBe(1);
    const out = r.stdout.trim().split("\n");
    expect(out).toHaveLength(1);
    const good = JSON.parse(out[0] as string) as { file: string; formCode: string; decision: string };
    expect(good.file).toMatch(/good\.png$/);
    expect(good.formCode).toBe("1177-EGEN");
    const errors = r.stderr.split("\n").filter((l) => l.includes(": error: "));
    for (const b of BAD_INPUTS) {
      const line = errors.filter((l) => l.startsWith(path.join(dir, b.fileName)));
      expect(line, b.id).toHaveLength(1);
      expect((line[0] as string).split(": error: ")[1], b.id).toMatch(b.message);
    }
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("answers --help and a missing argument with usage, no stack", async () => {
    const help = await lockdesk(["read", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: lockdesk read/);
    const missing = await lockdesk(["read", "x.png"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--persons and --caregivers are required/);
    const date = await lockdesk([
      "read",
      "x.png",
      "--persons",
      persons,
      "--caregivers",
      caregivers,
      "--received",
      "2025-02-30",
    ]);
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/--received must be a date/);
  });
});

describe("lockdesk read --staff on the hand-written sample", () => {
  it("verifies the requester by the second reader's reading of her name and mails her directory address", async () => {
    const r = await lockdesk([
      "read",
      path.join(fixtures, "scans/sample-09.png"),
      "--persons",
      persons,
      "--caregivers",
      caregivers,
      "--staff",
      staff,
      "--received",
      "2025-03-19",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as {
      decision: string;
      staff: { status: string; vgrId: string } | null;
      mail: Array<{ field: string; fate: string; address?: string }>;
    };
    expect(out.decision).toBe("EXECUTE");
    expect(out.staff).toEqual({ status: "VERIFIED", vgrId: "sivwa34" });
    expect(out.mail).toContainEqual({
      field: "requester.email",
      fate: "MAIL",
      address: "siv.wallin@psykiatripartner.se",
    });
  });
});

describe("lockdesk eval on the development samples", () => {
  it("decides every sample correctly, never EXECUTEs wrongly, and mails every address exactly (with --staff)", async () => {
    const r = await lockdesk([
      "eval",
      path.join(fixtures, "scans"),
      "--persons",
      persons,
      "--caregivers",
      caregivers,
      "--staff",
      staff,
      "--json",
    ]);
    expect(r.code).toBe(0);
    const last = r.stdout.trim().split("\n").at(-1) as string;
    const summary = JSON.parse(last) as {
      items: number;
      decisionAccuracy: number;
      wrongExecute: number;
      reasonRecall: number;
      fieldAccuracy: Record<string, number>;
      secondsPerPage: number;
      mailedAddresses: number;
      wrongMailAddresses: number;
      letters: number;
      typedLetters: number;
    };
    expect(summary.items).toBe(22);
    expect(summary.wrongExecute).toBe(0);
    expect(summary.decisionAccuracy).toBe(1);
    expect(summary.reasonRecall).toBe(1);
    expect(summary.fieldAccuracy["action.lock"]).toBe(1);
    expect(summary.fieldAccuracy["citizen.signed"]).toBe(1);
    expect(summary.fieldAccuracy["citizen.personnummer"]).toBe(1);
    expect(r.stdout).toMatch(/confusion matrix/);
    expect(summary.secondsPerPage).toBeGreaterThan(0);
    // Mail safety, counted by SendMail's rule: the samples' 28 written addresses all mailed, none to a wrong address,
    // no letter for a typed address (the hand-written one is snapped to the verified requester's directory address).
    expect(summary.wrongMailAddresses).toBe(0);
    expect(summary.typedLetters).toBe(0);
    expect(summary.mailedAddresses + summary.letters).toBe(28);
    expect(summary.mailedAddresses).toBeGreaterThanOrEqual(27);
    expect(r.stdout).toMatch(/wrong mail address +0/);
  });
});

describe("lockdesk eval on the field samples (mail-room conditions, batches, other hands)", () => {
  it("decides every document correctly with the set's own registry, caregivers and staff, per effect too", async () => {
    const r = await lockdesk([
      "eval",
      path.join(field, "scans"),
      ...fieldReference,
      "--staff",
      path.join(field, "staff.csv"),
      "--json",
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split("\n").at(-1) as string) as {
      items: number;
      decisionAccuracy: number;
      wrongExecute: number;
      wrongMailAddresses: number;
      extraDocuments: number;
      byEffect: Record<string, { items: number; decisionAccuracy: number; wrongExecute: number }>;
    };
    const manifest = JSON.parse(readFileSync(path.join(field, "manifest.json"), "utf8")) as {
      items: Array<{ documents?: unknown[] }>;
    };
    const documents = manifest.items.reduce((n, i) => n + (i.documents?.length ?? 1), 0);
    expect(summary.items).toBe(documents);
    expect(summary).toMatchObject({ decisionAccuracy: 1, wrongExecute: 0, wrongMailAddresses: 0, extraDocuments: 0 });
    expect(Object.keys(summary.byEffect)).toEqual(expect.arrayContaining(["fax", "photo", "stamp", "fold"]));
    for (const [effect, e] of Object.entries(summary.byEffect)) {
      expect({ effect, accuracy: e.decisionAccuracy, wrongExecute: e.wrongExecute }).toEqual({
        effect,
        accuracy: 1,
        wrongExecute: 0,
      });
    }
  });
});

describe("lockdesk read on a batch file", () => {
  it("prints one result per document with its pages and form page (fieldsample-13: cover letter, three forms)", async () => {
    const r = await lockdesk([
      "read",
      path.join(field, "scans/fieldsample-13.pdf"),
      ...fieldReference,
      "--received",
      "2025-10-14",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const docs = r.stdout
      .trim()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as { document: number; pages: number[]; formPage: number; pageCount: number; formCode: string },
      );
    expect(docs.map((d) => [d.document, d.pages, d.formPage, d.formCode])).toEqual([
      [1, [1, 2, 3], 2, "1177-EGEN"],
      [2, [4], 4, "1177-VG"],
      [3, [5, 6], 5, "1177-EGEN"],
    ]);
    expect(docs.every((d) => d.pageCount === 6)).toBe(true);
  });
});
