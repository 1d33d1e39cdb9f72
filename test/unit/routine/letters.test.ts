// Issue 12 item 5: letters that get posted. A mail that cannot be e-mailed becomes a PDF letter with the recipient's
// postal address in the window of a C5/C4 envelope: the citizen's from the person registry (the real CSV adapter
// over a registry with addresses; for a protected identity the tax agency's forwarding address, which never lands on
// the case), a staff member's unit address from the staff directory; with none known, "ADRESS SAKNAS".
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CsvPersonRegistry } from "../../../shared/adapters/local/csv-person-registry.ts";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import { LETTER_WINDOW } from "../../../shared/documents/letter.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import type { StaffMember } from "../../../shared/ports/staff-directory.ts";
import { executeAction } from "../../../shared/use-cases/execute-action.ts";
import { type SendMailDeps, sendMail } from "../../../shared/use-cases/send-mail.ts";
import { ADULT, ADULT_PROTECTED } from "../../fixtures/routine/people.ts";
import {
  type CaseOptions,
  fixedClock,
  fullPnrs,
  MemoryScanStore,
  MemoryStaffDirectory,
  makeCase,
  pdfText,
  pdfTextAt,
  RecordingAccountService,
  RecordingMailer,
} from "./support.ts";

const REGISTRY = CsvPersonRegistry.fromFile(
  fileURLToPath(new URL("../../fixtures/registry/persons-with-addresses.csv", import.meta.url)),
);
const PER_HOLM: StaffMember = {
  vgrId: "perho12",
  name: "Per Holm",
  title: "Kurator",
  unit: "Psykiatrimottagning Väst",
  caregiver: "Västra Götalandsregionen",
  email: "per.holm@example.org",
  phone: "010-123 45 67",
  unitEmail: "",
  unitAddress: "Skolgatan 87, 446 91 Alingsås",
};
const PER_HOLT: StaffMember = {
  ...PER_HOLM,
  vgrId: "perho13",
  name: "Pernilla Holt",
  unit: "Barnmottagningen Öst",
  unitAddress: "Ängsvägen 3, 547 90 Skövde",
};
const CASE = "C-2025-0001";

async function run(
  o: CaseOptions,
  extra: Partial<SendMailDeps> = {},
  doubtful: string[] = [],
  patch: Partial<CaseRecord> = {},
) {
  const cases = new MemoryCaseStore();
  const record = { ...makeCase(o), ...patch };
  for (const f of doubtful) {
    const field = record.fields[f];
    if (field) record.fields[f] = { ...field, confidence: 0.4 };
  }
  await cases.create(record);
  const clock = fixedClock();
  const mailer = new RecordingMailer();
  const scans = new MemoryScanStore();
  const kind = (o.decision ?? "EXECUTE") === "EXECUTE" ? "CONFIRMATION" : "RETURN_NOTICE";
  if (kind === "CONFIRMATION")
    await executeAction({ caseId: CASE }, { cases, accounts: new RecordingAccountService(), clock, scans });
  const deps: SendMailDeps = { cases, mailer, scans, clock, config: { archiveBucket: "archive" }, ...extra };
  await sendMail({ caseId: CASE, kind }, deps);
  const stored = (await cases.get(CASE)) as CaseRecord;
  const pdfOf = async (i: number) => (await scans.get("archive", stored.letters?.[i]?.key ?? "")).bytes;
  return { stored, mailer, scans, deps, kind, pdfOf };
}

/** The lines drawn inside the envelope window, top to bottom. */
function windowLines(pdf: Uint8Array): string[] {
  const { left, top, width, height } = LETTER_WINDOW;
  return pdfTextAt(pdf)
    .filter((t) => t.x >= left && t.x < left + width && t.top >= top && t.top < top + height)
    .sort((a, b) => a.top - b.top)
    .map((t) => t.text);
}

describe("letters: the citizen's letter goes to the registry's postal address", () => {
  it("an EGEN citizen address read with doubt: mail to the staff, a letter to the citizen's folkbokföringsadress", async () => {
    const { stored, mailer, pdfOf } = await run({}, { registry: REGISTRY }, ["citizen.email"]);
    expect(mailer.sent.map((m) => m.to)).toEqual([["vc.hisingen@example.org"]]);
    expect(stored.status).toBe("EXECUTED");
    expect(stored.letters).toEqual([
      {
        kind: "CONFIRMATION",
        bucket: "archive",
        key: `archive/2025/${CASE}/letter-confirmation-citizen.pdf`,
        at: "2025-03-20T09:30:00.000Z",
        recipient: "CITIZEN",
      },
    ]);
    const pdf = await pdfOf(0);
    // The registry's spelling of the name and its address, in the window of the envelope.
    expect(windowLines(pdf)).toEqual([`${ADULT.given} ${ADULT.surname}`, "Björkvägen 3", "542 91 Skövde"]);
    const placed = pdfTextAt(pdf);
    const first = placed.find((t) => t.text === `${ADULT.given} ${ADULT.surname}`);
    expect(first?.x).toBeCloseTo(22, 0);
    // `top` is the baseline: the first line's letters start just below 45 mm, inside the window.
    expect(first?.top).toBeGreaterThanOrEqual(47);
    expect(first?.top).toBeLessThan(52);
    // Sender above the window, date and case reference to the right, the text below.
    const sender = placed.find((t) => t.text === "Västra Götalandsregionen");
    expect(sender?.top).toBeLessThan(30);
    expect(placed.find((t) => t.text === `Ärende: ${CASE}`)?.x).toBeCloseTo(120, 0);
    expect(placed.find((t) => t.text === "Datum: 2025-03-20")?.x).toBeCloseTo(120, 0);
    const text = pdfText(pdf);
    expect(text).toContain("Inloggningen till 1177 e-tjänster har låsts.");
    // The citizen's own letter needs no personnummer at all.
    expect(text).not.toContain(ADULT.pnr.slice(0, 8));
    expect(stored.history.at(-1)?.what).toBe(
      "CONFIRMATION e-mail to 1 recipient(s); not mailed, read with doubt: citizen.email, template sv-3",
    );
    expect(
      stored.history.some((h) =>
        h.what.startsWith("CONFIRMATION letter to the citizen (address read with doubt: citizen.email), template sv-3"),
      ),
    ).toBe(true);
  });

  it("a garbled citizen address (not an address at all) also becomes a letter", async () => {
    const { stored, mailer } = await run({ fields: { "citizen.email": "linnea at example" } }, { registry: REGISTRY });
    expect(mailer.sent.map((m) => m.to)).toEqual([["vc.hisingen@example.org"]]);
    expect(stored.letters?.map((l) => [l.recipient, l.addressMissing ?? false])).toEqual([["CITIZEN", false]]);
    expect(stored.history.some((h) => h.what.includes("(address not valid: citizen.email)"))).toBe(true);
  });

  it("protected identity: the forwarding address goes on the letter only, never on the case", async () => {
    const { stored, pdfOf } = await run(
      {
        protectedIdentity: true,
        fields: {
          "citizen.personnummer": ADULT_PROTECTED.pnr,
          "citizen.givenName": ADULT_PROTECTED.given,
          "citizen.surname": ADULT_PROTECTED.surname,
        },
      },
      { registry: REGISTRY },
      ["citizen.email"],
    );
    const pdf = await pdfOf(0);
    const window = windowLines(pdf).join("\n");
    expect(window).toContain(`${ADULT_PROTECTED.given} ${ADULT_PROTECTED.surname}`);
    expect(window.replace(/\n/g, " ")).toContain("Skatteverket Särskild postförmedling, Box 2820");
    expect(window).toContain("403 20 Göteborg");
    // The letter's text is the neutral one; the case record (what handlers' API and UI read) has no address.
    expect(pdfText(pdf)).not.toMatch(/låst|låsning/i);
    const everything = JSON.stringify(stored);
    expect(everything).not.toContain("postförmedling");
    expect(everything).not.toContain("2820");
    expect(everything).not.toContain("403 20");
  });

  it("no registry configured: the letter is still made, flagged 'adress saknas' for the mail room", async () => {
    const { stored, pdfOf } = await run({}, {}, ["citizen.email"]);
    expect(stored.letters?.[0]).toMatchObject({ recipient: "CITIZEN", addressMissing: true });
    const lines = windowLines(await pdfOf(0));
    expect(lines[0]).toBe("ADRESS SAKNAS");
    expect(lines).toContain(`${ADULT.given} ${ADULT.surname}`);
  });
});

describe("letters: the staff member's letter goes to the unit address in the staff directory", () => {
  const noAddresses = { "requester.email": "", "requester.email2": "", "requester.vgrId": "perho12" };

  it("the directory's entry for the VGR-ID with the written name: its unit address; the letter names the citizen", async () => {
    const staff = new MemoryStaffDirectory([PER_HOLM, PER_HOLT]);
    const { stored, mailer, pdfOf } = await run({ formCode: "1177-VG", fields: noAddresses }, { staff });
    expect(mailer.sent).toEqual([]);
    expect(staff.lookups).toEqual(["perho12"]);
    expect(stored.letters).toEqual([
      expect.objectContaining({ recipient: "STAFF", key: `archive/2025/${CASE}/letter-confirmation-staff.pdf` }),
    ]);
    expect(stored.letters?.[0]?.addressMissing).toBeUndefined();
    const pdf = await pdfOf(0);
    expect(windowLines(pdf)).toEqual(["Per Holm", "Psykiatrimottagning Väst", "Skolgatan 87", "446 91 Alingsås"]);
    // A posted letter may name whom it is about: name and masked personnummer, never the full number.
    const text = pdfText(pdf);
    expect(text).toContain(`Invånare: ${ADULT.given} ${ADULT.surname} (${ADULT.pnr.slice(0, 8)}-****)`);
    expect(fullPnrs(text)).toEqual([]);
  });

  it("no directory in SendMail: the entry ValidateCase verified on the case gives the unit address", async () => {
    const verified = {
      status: "VERIFIED" as const,
      vgrId: "perho12",
      entry: PER_HOLM,
      addresses: {},
      checkedAt: "2025-03-24T09:00:00.000Z",
    };
    const { stored, pdfOf } = await run({ formCode: "1177-VG", fields: noAddresses }, {}, [], { staff: verified });
    expect(stored.letters?.[0]).toMatchObject({ recipient: "STAFF" });
    expect(stored.letters?.[0]?.addressMissing).toBeUndefined();
    expect(windowLines(await pdfOf(0))).toEqual([
      "Per Holm",
      "Psykiatrimottagning Väst",
      "Skolgatan 87",
      "446 91 Alingsås",
    ]);
    // A check that did not verify the member gives no address.
    const doubtful = { ...verified, status: "DOUBTFUL" as const };
    const other = await run({ formCode: "1177-VG", fields: noAddresses }, {}, [], { staff: doubtful });
    expect(other.stored.letters?.[0]).toMatchObject({ recipient: "STAFF", addressMissing: true });
  });

  it("a VGR-ID that belongs to another name: not that person's unit, 'adress saknas' instead", async () => {
    const staff = new MemoryStaffDirectory([PER_HOLM, PER_HOLT]);
    const { stored, pdfOf } = await run(
      { formCode: "1177-VG", fields: { ...noAddresses, "requester.vgrId": "perho13" } },
      { staff },
    );
    expect(stored.letters?.[0]).toMatchObject({ recipient: "STAFF", addressMissing: true });
    const pdf = await pdfOf(0);
    const lines = windowLines(pdf);
    expect(lines[0]).toBe("ADRESS SAKNAS");
    expect(lines).toContain("Psykiatrimottagning Väst");
    expect(pdfText(pdf)).not.toContain("Ängsvägen");
    expect(pdfText(pdf)).not.toContain("Barnmottagningen Öst");
  });

  it("the return notice letter too; a retry writes no second letter and sends nothing", async () => {
    const staff = new MemoryStaffDirectory([PER_HOLM]);
    const { stored, scans, deps, mailer } = await run(
      { formCode: "1177-VG", decision: "RETURN", reasons: ["CAREGIVER_NOT_APPROVED"], fields: noAddresses },
      { staff },
    );
    expect(stored.status).toBe("RETURNED");
    expect(stored.letters?.map((l) => l.key)).toEqual([`archive/2025/${CASE}/letter-return-notice-staff.pdf`]);
    scans.objects.clear();
    await sendMail({ caseId: CASE, kind: "RETURN_NOTICE" }, deps);
    expect(scans.objects.size).toBe(0);
    expect(mailer.sent).toEqual([]);
    expect((await deps.cases.get(CASE))?.letters).toHaveLength(1);
  });
});
