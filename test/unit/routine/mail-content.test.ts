// Issue 12 item 4: ordinary e-mail carries no patient data (HSLF-FS 2016:40, 3 kap.). A confirmation or return
// notice carries the case reference, the form, the action, the dates and what the reader must do — no name and no
// digit sequence of the subject's personnummer. The expected texts are written here from that contract, literally;
// the code under test only renders the actual ones.
import { describe, expect, it } from "vitest";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import type { FormCode } from "../../../shared/domain/forms.ts";
import type { MailKind } from "../../../shared/mail/render.ts";
import { CONFIRMATION_TEXTS } from "../../../shared/mail/templates/sv.ts";
import { renderCaseMail } from "../../../shared/use-cases/send-mail.ts";
import { ADULT, CHILD, GUARDIAN_1, GUARDIAN_2 } from "../../fixtures/routine/people.ts";
import { makeCase } from "./support.ts";

const NOW = new Date("2025-03-20T09:30:00.000Z");
const SIGNATURE = "Med vänlig hälsning\nSpärr- och loggservice, 1177 e-tjänster\nVästra Götalandsregionen\n";
const MATCH =
  "Av sekretesskäl står inga namn eller personnummer i e-post. Jämför blankett, åtgärd och datum med er egen kopia av blanketten.";

function executedCase(formCode: FormCode, result: string, extra: Partial<CaseRecord> = {}): CaseRecord {
  const vh = formCode === "1177-VH";
  const base = makeCase({
    formCode,
    action: vh ? "BLOCK" : "LOCK",
    fields: vh ? { "guardian2.personnummer": GUARDIAN_2.pnr, "guardian2.name": GUARDIAN_2.name } : {},
  });
  return { ...base, status: "EXECUTED", execution: { result, at: NOW.toISOString() }, ...extra };
}

/** Every way a subject's personnummer could leave in digits: 12, 10, birth date (8 and 6), the last four. */
function pnrForms(pnr: string): string[] {
  return [pnr, pnr.slice(2), pnr.slice(0, 8), pnr.slice(2, 8), pnr.slice(8)];
}

/** The digit runs of a text, also joined across the separators people write in numbers ("-", " ", "+"). */
function digitRuns(text: string): string[] {
  const plain = text.match(/\d+/g) ?? [];
  const joined = (text.match(/\d[\d\s+-]*\d/g) ?? []).map((r) => r.replace(/\D/g, ""));
  return [...plain, ...joined];
}

function nameWords(...names: string[]): string[] {
  return names.flatMap((n) => n.split(/[\s-]+/)).filter((w) => w.length > 1);
}

function expectNoPatientData(all: string, pnrs: string[], names: string[], label: string): void {
  for (const run of digitRuns(all)) {
    for (const pnr of pnrs) {
      for (const form of pnrForms(pnr)) expect(run.includes(form), `${label}: ${form} of a personnummer`).toBe(false);
    }
  }
  const lower = all.toLocaleLowerCase("sv-SE");
  for (const w of nameWords(...names))
    expect(lower.includes(w.toLocaleLowerCase("sv-SE")), `${label}: ${w}`).toBe(false);
}

describe("mail content: no patient data in e-mail", () => {
  it("1177-EGEN lock confirmation, exactly as the contract says", () => {
    const mail = renderCaseMail(executedCase("1177-EGEN", "LOCKED"), "CONFIRMATION", NOW);
    expect(mail.subject).toBe("Bekräftelse: inloggningen till 1177 e-tjänster har låsts – ärende C-2025-0001");
    expect(mail.text).toBe(
      [
        "Hej,",
        "",
        "Inloggningen till 1177 e-tjänster har låsts. Invånaren kan inte logga in förrän låsningen hävs på begäran.",
        "",
        "Ärende: C-2025-0001",
        "Blankett: 1177-EGEN – Begäran om låsning eller upplåsning av inloggning till 1177 e-tjänster – på invånarens egen begäran",
        "Åtgärd: Låsning",
        "Blanketten kom in: 2025-03-18",
        "Utfört: 2025-03-20",
        "",
        MATCH,
        "",
        "Svara inte på detta meddelande; kontakta Spärr- och loggservice och uppge ärendenumret om något är fel.",
        "",
        SIGNATURE,
      ].join("\n"),
    );
    expect(mail.html).toContain(
      '<tr><td style="padding: 2px 12px 2px 0"><strong>Åtgärd</strong></td><td>Låsning</td></tr>',
    );
    expect(mail.html).toContain(`<p>${MATCH}</p>`);
  });

  it("1177-VH block confirmation: the guardians by their place on the form, not by number or name", () => {
    const mail = renderCaseMail(executedCase("1177-VH", "BLOCKED"), "CONFIRMATION", NOW);
    expect(mail.text).toBe(
      [
        "Hej,",
        "",
        "Vårdnadshavarens åtkomst till barnets journal och e-tjänster på 1177 har blockerats.",
        "",
        "Ärende: C-2025-0001",
        "Blankett: 1177-VH – Blockering av vårdnadshavares åtkomst till barns journal och e-tjänster på 1177 (barn 0–12 år)",
        "Åtgärd: Blockering av vårdnadshavares åtkomst",
        "Gäller: vårdnadshavare 1 och 2 på blanketten",
        "Blanketten kom in: 2025-03-18",
        "Utfört: 2025-03-20",
        "",
        MATCH,
        "",
        "Svara inte på detta meddelande; kontakta Spärr- och loggservice och uppge ärendenumret om något är fel.",
        "",
        SIGNATURE,
      ].join("\n"),
    );
  });

  it("1177-VG return notice: what to fix and how to match it, exactly as the contract says", () => {
    const record = { ...makeCase({ formCode: "1177-VG", action: "UNLOCK", decision: "RETURN" }) };
    record.reasons = ["THREAT_CHECK_MISSING"];
    const mail = renderCaseMail(record, "RETURN_NOTICE", NOW);
    expect(mail.subject).toBe("Retur för komplettering: blankett 1177-VG – ärende C-2025-0001");
    expect(mail.text).toBe(
      [
        "Hej,",
        "",
        "Blanketten 1177-VG som kom in 2025-03-18 kan inte handläggas och returneras för komplettering.",
        "",
        "Ärende: C-2025-0001",
        "Blankett: 1177-VG – Låsning eller brytande av låsning av invånares inloggning till 1177 e-tjänster, 13 år och äldre – på vårdgivarens begäran",
        "Begärd åtgärd: Bryta låsning",
        "",
        "Det här behöver rättas:",
        "",
        "- Vid brytande av låsning ska verksamhetschefen ha kontrollerat hotbilden hos socialförvaltningen, kryssat i rutan, skrivit sitt namn och skrivit under.",
        "",
        `Skicka in en ny, komplett blankett. ${MATCH} Ange ärendenummer C-2025-0001 om ni kontaktar oss.`,
        "",
        SIGNATURE,
      ].join("\n"),
    );
    expect(mail.html).toContain(
      "<li>Vid brytande av låsning ska verksamhetschefen ha kontrollerat hotbilden hos socialförvaltningen, kryssat i rutan, skrivit sitt namn och skrivit under.</li>",
    );
  });

  it("a return notice without a ticked action says so", () => {
    const record = makeCase({ decision: "RETURN", reasons: ["ACTION_MISSING"] });
    const mail = renderCaseMail({ ...record, action: null }, "RETURN_NOTICE", NOW);
    expect(mail.text).toContain("\nBegärd åtgärd: framgår inte av blanketten\n");
  });

  const FORMS: FormCode[] = ["1177-EGEN", "1177-VG", "1177-VH"];
  const KINDS: MailKind[] = ["CONFIRMATION", "RETURN_NOTICE"];
  for (const formCode of FORMS) {
    for (const kind of KINDS) {
      it(`${formCode} ${kind}: no name and no digit of the subject's personnummer (every result)`, () => {
        const vh = formCode === "1177-VH";
        const results = (Object.keys(CONFIRMATION_TEXTS) as string[]).filter((r) => r.includes("BLOCK") === vh);
        const records =
          kind === "CONFIRMATION"
            ? results.map((r) => executedCase(formCode, r))
            : [makeCase({ formCode, decision: "RETURN", reasons: ["NOT_VIDIMATED", "CAREGIVER_NOT_APPROVED"] })];
        expect(records.length).toBeGreaterThan(0);
        for (const record of records) {
          const mail = renderCaseMail(record, kind, NOW);
          const all = `${mail.subject}\n${mail.text}\n${mail.html}`;
          const subject = vh ? CHILD : ADULT;
          expect(all).toContain("C-2025-0001");
          expectNoPatientData(
            all,
            [subject.pnr, ...(vh ? [GUARDIAN_1.pnr, GUARDIAN_2.pnr] : [])],
            [subject.given, subject.surname, ...(vh ? [GUARDIAN_1.name, GUARDIAN_2.name] : [])],
            `${formCode} ${kind} ${record.execution?.result ?? ""}`,
          );
        }
      });
    }
  }

  it("the check itself catches a name or a birth date (it can fail)", () => {
    expect(() => expectNoPatientData(`Gäller ${ADULT.given}`, [ADULT.pnr], [ADULT.given], "probe")).toThrow();
    expect(() => expectNoPatientData(`född ${ADULT.pnr.slice(2, 8)}`, [ADULT.pnr], [], "probe")).toThrow();
    expect(() => expectNoPatientData(`nr ${ADULT.pnr.slice(0, 8)}-****`, [ADULT.pnr], [], "probe")).toThrow();
  });
});
