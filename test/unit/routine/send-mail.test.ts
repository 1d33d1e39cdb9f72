import { createHash } from "node:crypto";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import { ActionNotAllowedError, ScanChangedError } from "../../../shared/domain/errors.ts";
import { executeAction } from "../../../shared/use-cases/execute-action.ts";
import { doubtfulAddressFields, MAIL_UNCERTAIN, recipients, sendMail } from "../../../shared/use-cases/send-mail.ts";
import { ADULT, ADULT_PROTECTED, CHILD, GUARDIAN_1, GUARDIAN_2 } from "../../fixtures/routine/people.ts";
import {
  type CaseOptions,
  fixedClock,
  fullPnrs,
  MemoryScanStore,
  makeCase,
  RecordingAccountService,
  RecordingMailer,
} from "./support.ts";

async function executed(o: CaseOptions) {
  const cases = new MemoryCaseStore();
  await cases.create(makeCase(o));
  const accounts = new RecordingAccountService();
  const mailer = new RecordingMailer();
  const scans = new MemoryScanStore();
  const clock = fixedClock();
  if ((o.decision ?? "EXECUTE") === "EXECUTE")
    await executeAction({ caseId: "C-2025-0001" }, { cases, accounts, clock, scans });
  return { cases, mailer, scans, deps: { cases, mailer, scans, clock, config: { archiveBucket: "archive" } } };
}

function everything(mail: { subject: string; html: string; text: string }): string {
  return `${mail.subject}\n${mail.html}\n${mail.text}`;
}

describe("sendMail: confirmation", () => {
  it("sends the lock confirmation to every address on the form, with a Swedish subject and no personnummer", async () => {
    const { deps, mailer, cases } = await executed({ formCode: "1177-EGEN", action: "LOCK" });
    const out = await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    expect(out).toEqual({ caseId: "C-2025-0001", status: "EXECUTED" });
    expect(mailer.sent).toHaveLength(1);
    const mail = mailer.sent[0];
    if (!mail) throw new Error("no mail");
    expect(mail.to).toEqual(["linnea@example.org", "vc.hisingen@example.org"]);
    expect(mail.subject).toBe("Bekräftelse: inloggningen till 1177 e-tjänster har låsts – ärende C-2025-0001");
    expect(mail.idempotencyKey).toBe("C-2025-0001:CONFIRMATION");
    // No patient data in ordinary e-mail: not even the masked number (mail-content.test.ts has the full contract).
    expect(everything(mail)).not.toContain(ADULT.pnr.slice(0, 8));
    expect(everything(mail)).not.toContain(ADULT.surname);
    expect(fullPnrs(everything(mail))).toEqual([]);
    expect(everything(mail)).not.toContain(ADULT.pnr.slice(2)); // not the 10-digit form either
    const stored = await cases.get("C-2025-0001");
    expect(stored?.mails).toEqual([
      { kind: "CONFIRMATION", to: mail.to, messageId: "msg-1", at: "2025-03-20T09:30:00.000Z" },
    ]);
  });

  it("is idempotent: sending twice sends one mail", async () => {
    const { deps, mailer } = await executed({});
    await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    const again = await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    expect(mailer.sent).toHaveLength(1);
    expect(again.status).toBe("EXECUTED");
  });

  it("never sends twice across a crash: a mail handed over without a record parks the case for a handler", async () => {
    const { deps, mailer, cases } = await executed({});
    // The process dies right after SES accepted the mail, before the case recorded it.
    const crashing = {
      ...deps,
      mailer: {
        send: async (m: Parameters<RecordingMailer["send"]>[0]) => {
          await mailer.send(m);
          throw new Error("killed");
        },
      },
    };
    await expect(sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, crashing)).rejects.toThrow("killed");
    expect(mailer.sent).toHaveLength(1);
    // The retry after the restart does not send again: the case waits for a handler who checks.
    const retry = await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    expect(mailer.sent).toHaveLength(1);
    expect(retry.status).toBe("IN_REVIEW");
    const c = await cases.get("C-2025-0001");
    expect(c?.reviewReason).toBe(`${MAIL_UNCERTAIN}: CONFIRMATION`);
    expect(c?.mailIntents).toHaveLength(1);
  });

  it("deduplicates addresses and drops invalid ones (VG: requester email and email2)", async () => {
    const { deps, mailer } = await executed({
      formCode: "1177-VG",
      fields: { "requester.email": " Psyk.Vast@Example.org ", "requester.email2": "psyk.vast@example.org" },
    });
    await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    expect(mailer.sent[0]?.to).toEqual(["Psyk.Vast@Example.org"]);
  });

  it("EGEN: citizen.email is optional, a garbled address is skipped", async () => {
    const { deps, mailer } = await executed({ fields: { "citizen.email": "linnea at example" } });
    await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    expect(mailer.sent[0]?.to).toEqual(["vc.hisingen@example.org"]);
  });

  it("VH with two guardians: block confirmation names both guardians' places on the form, no numbers, no names", async () => {
    const { deps, mailer } = await executed({
      formCode: "1177-VH",
      fields: {
        "guardian2.personnummer": GUARDIAN_2.pnr,
        "guardian2.name": GUARDIAN_2.name,
        "requester.email2": "kurator@example.org",
      },
    });
    await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    const mail = mailer.sent[0];
    if (!mail) throw new Error("no mail");
    expect(mail.to).toEqual(["bup@example.org", "kurator@example.org"]);
    expect(mail.subject).toContain("har blockerats – ärende C-2025-0001");
    expect(mail.text).toContain("\nGäller: vårdnadshavare 1 och 2 på blanketten\n");
    for (const pnr of [GUARDIAN_1.pnr, GUARDIAN_2.pnr, CHILD.pnr])
      expect(everything(mail)).not.toContain(pnr.slice(0, 8));
    expect(everything(mail)).not.toContain(GUARDIAN_2.name);
    expect(everything(mail)).not.toContain(CHILD.surname);
    expect(fullPnrs(everything(mail))).toEqual([]);
  });

  it("protected identity: a neutral mail with the case id and nothing about the person", async () => {
    const { deps, mailer } = await executed({
      fields: {
        "citizen.personnummer": ADULT_PROTECTED.pnr,
        "citizen.givenName": ADULT_PROTECTED.given,
        "citizen.surname": ADULT_PROTECTED.surname,
      },
      protectedIdentity: true,
    });
    await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    const all = everything(mailer.sent[0] ?? { subject: "", html: "", text: "" });
    expect(all).toContain("C-2025-0001");
    expect(all).not.toContain(ADULT_PROTECTED.given);
    expect(all).not.toContain(ADULT_PROTECTED.surname);
    expect(all).not.toContain(ADULT_PROTECTED.pnr.slice(0, 8)); // not even masked
    expect(all).not.toMatch(/låst|låsning/i); // nor what was done
  });

  it("hostile OCR text in a name box never reaches the mail (names are not in mails at all)", async () => {
    const { deps, mailer } = await executed({
      fields: { "citizen.givenName": '<script>alert("x")</script>', "citizen.surname": `O'Brien ${ADULT.pnr}` },
    });
    await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    const all = everything(mailer.sent[0] ?? { subject: "", html: "", text: "" });
    expect(all).not.toContain("script");
    expect(all).not.toContain("Brien");
    expect(fullPnrs(all)).toEqual([]);
  });

  it("no e-mail address on the form: a PDF letter in the archive bucket and letterRequired on the case", async () => {
    const { deps, mailer, scans, cases } = await executed({
      fields: { "citizen.email": "", "verifier.email": "" },
    });
    const out = await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    expect(mailer.sent).toEqual([]);
    expect(out.status).toBe("EXECUTED");
    const stored = (await cases.get("C-2025-0001")) as CaseRecord;
    expect(stored.letterRequired).toBe(true);
    // No staff directory configured: the letter is made, flagged "adress saknas" for the mail room.
    expect(stored.letters).toEqual([
      {
        kind: "CONFIRMATION",
        bucket: "archive",
        key: "archive/2025/C-2025-0001/letter-confirmation-staff.pdf",
        at: "2025-03-20T09:30:00.000Z",
        recipient: "STAFF",
        addressMissing: true,
      },
    ]);
    const pdf = await scans.get("archive", "archive/2025/C-2025-0001/letter-confirmation-staff.pdf");
    expect(pdf.contentType).toBe("application/pdf");
    const doc = await PDFDocument.load(pdf.bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe("Ärende C-2025-0001");
    // Retry: no second letter write, no mail.
    scans.objects.clear();
    await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    expect(scans.objects.size).toBe(0);
  });

  it("refuses a confirmation when nothing was executed (e.g. manual mode pending)", async () => {
    const { deps } = await executed({ decision: "REVIEW" });
    await expect(sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps)).rejects.toBeInstanceOf(
      ActionNotAllowedError,
    );
  });
});

describe("sendMail: return notice", () => {
  it("goes to the voucher's address only, with each reason in Swedish", async () => {
    const { deps, mailer, cases } = await executed({
      formCode: "1177-EGEN",
      decision: "RETURN",
      reasons: ["NOT_VIDIMATED", "CITIZEN_SIGNATURE_MISSING"],
    });
    const out = await sendMail({ caseId: "C-2025-0001", kind: "RETURN_NOTICE" }, deps);
    expect(out.status).toBe("RETURNED");
    const mail = mailer.sent[0];
    if (!mail) throw new Error("no mail");
    expect(mail.to).toEqual(["vc.hisingen@example.org"]);
    expect(mail.subject).toBe("Retur för komplettering: blankett 1177-EGEN – ärende C-2025-0001");
    expect(mail.text).toContain("Blanketten är inte vidimerad");
    expect(mail.text).toContain("Invånarens underskrift saknas.");
    expect(mail.html).toContain("<li>Invånarens underskrift saknas.</li>");
    expect(mail.text).toMatch(/^Hej,\n/);
    // The staff name is OCR text: it is not echoed back (template sv-2).
    expect(mail.text).not.toContain("Anna Johansson");
    expect(fullPnrs(everything(mail))).toEqual([]);
    expect((await cases.get("C-2025-0001"))?.mails?.[0]?.kind).toBe("RETURN_NOTICE");
  });

  it("VG/VH: to requester.email and requester.email2", async () => {
    const { deps, mailer } = await executed({
      formCode: "1177-VG",
      action: "UNLOCK",
      decision: "RETURN",
      reasons: ["THREAT_CHECK_MISSING"],
      fields: { "requester.email2": "chef@example.org" },
    });
    await sendMail({ caseId: "C-2025-0001", kind: "RETURN_NOTICE" }, deps);
    expect(mailer.sent[0]?.to).toEqual(["psyk.vast@example.org", "chef@example.org"]);
    expect(mailer.sent[0]?.text).toContain("verksamhetschefen ha kontrollerat hotbilden");
  });

  it("protected identity: neutral notice", async () => {
    const { deps, mailer } = await executed({
      decision: "RETURN",
      reasons: ["AGE_NOT_ELIGIBLE"],
      protectedIdentity: true,
      fields: {
        "citizen.personnummer": ADULT_PROTECTED.pnr,
        "citizen.givenName": ADULT_PROTECTED.given,
        "citizen.surname": ADULT_PROTECTED.surname,
      },
    });
    await sendMail({ caseId: "C-2025-0001", kind: "RETURN_NOTICE" }, deps);
    const all = everything(mailer.sent[0] ?? { subject: "", html: "", text: "" });
    expect(all).toContain("Ärende C-2025-0001 behöver kompletteras");
    expect(all).not.toContain(ADULT_PROTECTED.pnr.slice(0, 8));
    expect(all).not.toContain(ADULT_PROTECTED.surname);
    expect(all).not.toMatch(/ålder/);
  });

  it("no voucher address: a return letter instead", async () => {
    const { deps, mailer, cases } = await executed({
      formCode: "1177-VG",
      decision: "RETURN",
      reasons: ["CAREGIVER_NOT_APPROVED"],
      fields: { "requester.email": "", "requester.email2": "inte en adress" },
    });
    await sendMail({ caseId: "C-2025-0001", kind: "RETURN_NOTICE" }, deps);
    expect(mailer.sent).toEqual([]);
    const stored = await cases.get("C-2025-0001");
    expect(stored?.letterRequired).toBe(true);
    expect(stored?.letters?.[0]?.key).toBe("archive/2025/C-2025-0001/letter-return-notice-staff.pdf");
    expect(stored?.status).toBe("RETURNED");
  });

  it("refuses a return notice for a case that was not returned", async () => {
    const { deps } = await executed({});
    await expect(sendMail({ caseId: "C-2025-0001", kind: "RETURN_NOTICE" }, deps)).rejects.toBeInstanceOf(
      ActionNotAllowedError,
    );
  });

  it("an address read with doubt is not mailed; a handler's correction of it is", () => {
    const record = makeCase({});
    const doubtful = { ...record.fields["citizen.email"], value: "linnea@example.org", confidence: 0.41 };
    const withDoubt = { ...record, fields: { ...record.fields, "citizen.email": doubtful } };
    expect(recipients(withDoubt, "CONFIRMATION")).toEqual(["vc.hisingen@example.org"]);
    expect(doubtfulAddressFields(withDoubt, "CONFIRMATION")).toEqual(["citizen.email"]);
    const corrected = { ...withDoubt, corrections: { "citizen.email": "linnea@example.org" } };
    expect(recipients(corrected, "CONFIRMATION")).toEqual(["linnea@example.org", "vc.hisingen@example.org"]);
    expect(doubtfulAddressFields(corrected, "CONFIRMATION")).toEqual([]);
  });

  it("every address read with doubt: a letter instead, and the history says which address was doubtful", async () => {
    const { deps, mailer, cases } = await executed({ fields: { "citizen.email": "" } });
    const stored = (await cases.get("C-2025-0001")) as CaseRecord;
    const field = { ...stored.fields["verifier.email"], value: "vc.hisingen@example.org", confidence: 0.3 };
    await cases.put({ ...stored, version: stored.version + 1, fields: { ...stored.fields, "verifier.email": field } });
    await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    expect(mailer.sent).toEqual([]);
    const after = (await cases.get("C-2025-0001")) as CaseRecord;
    expect(after.letterRequired).toBe(true);
    expect(after.history.at(-1)?.what).toMatch(
      /^CONFIRMATION letter to the staff member's unit \(address read with doubt: verifier\.email\), postal address missing/,
    );
  });

  it("recipients(): the confirmation also reaches the citizen on EGEN, the notice does not", () => {
    const record = makeCase({});
    expect(recipients(record, "CONFIRMATION")).toEqual(["linnea@example.org", "vc.hisingen@example.org"]);
    expect(recipients(record, "RETURN_NOTICE")).toEqual(["vc.hisingen@example.org"]);
  });
});

describe("sendMail: a concurrent edit while the mail goes out", () => {
  it("records the sent mail on the newer version instead of failing (a retry would send it twice)", async () => {
    const { deps, mailer, cases } = await executed({});
    const realSend = mailer.send.bind(mailer);
    mailer.send = async (m) => {
      const out = await realSend(m);
      // A handler opens the case meanwhile (another writer bumps the version).
      const r = await cases.get("C-2025-0001");
      if (r) await cases.put({ ...r, version: r.version + 1, claimedBy: "handler:eva" });
      return out;
    };
    const out = await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    expect(out.status).toBe("EXECUTED");
    const stored = await cases.get("C-2025-0001");
    expect(stored?.claimedBy).toBe("handler:eva");
    expect(stored?.mails).toHaveLength(1);
    await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps);
    expect(mailer.sent).toHaveLength(1);
  });
});

describe("sendMail: the scan a case was read from", () => {
  it("a scan replaced after registration stops the confirmation before anything is mailed", async () => {
    const { deps, mailer, cases, scans } = await executed({ formCode: "1177-EGEN", action: "LOCK" });
    const paper = new TextEncoder().encode("the registered paper");
    const record = (await cases.get("C-2025-0001")) as CaseRecord;
    const sha256 = createHash("sha256").update(paper).digest("hex");
    const scan = { ...(record.scan as NonNullable<CaseRecord["scan"]>), sha256 };
    await cases.put({ ...record, version: record.version + 1, scan });
    // Another object under the key (e.g. a reused upload): no mail, no intent, the history says why.
    await scans.put(scan.bucket, scan.key, new TextEncoder().encode("another paper"));
    await expect(sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps)).rejects.toBeInstanceOf(
      ScanChangedError,
    );
    expect(mailer.sent).toHaveLength(0);
    const stopped = await cases.get("C-2025-0001");
    expect(stopped?.mailIntents).toBeUndefined();
    expect(stopped?.history.at(-1)?.what).toMatch(/^scan changed after registration .* no e-mail or letter/);
    // The registered scan back under its key: the confirmation goes out.
    await scans.put(scan.bucket, scan.key, paper);
    expect((await sendMail({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, deps)).status).toBe("EXECUTED");
    expect(mailer.sent).toHaveLength(1);
  });
});
