// The case page's and the archived summary's Swedish (issue 14): history translated at render time with Stockholm
// times and people's names, summary.pdf with Swedish action/decision/status, and the return notice built from the
// handler's ticked reasons and message (escaped, no personnummer).
import { describe, expect, it } from "vitest";
import { renderCaseSummaryPdf } from "../../../shared/documents/case-summary.ts";
import { historyText, localTime, personName } from "../../../shared/i18n/history-sv.ts";
import { assertNoticeNoteAllowed } from "../../../shared/use-cases/decide-case.ts";
import { renderCaseMail } from "../../../shared/use-cases/send-mail.ts";
import { historyText as pageHistoryText } from "../../../web/case-texts.ts";
import { makeCase, pdfText } from "./support.ts";

describe("Swedish for people: history, times, names", () => {
  it("translates the machine's history phrases and codes; times in Europe/Stockholm; user ids → names", () => {
    expect(pageHistoryText("status IN_REVIEW → APPROVED")).toBe("Status: Väntar på handläggare → Godkänd – körs");
    expect(pageHistoryText("fields corrected: citizen.surname, citizen.givenName")).toBe(
      "Rättade fält: Efternamn, Förnamn",
    );
    expect(
      pageHistoryText("validated: REVIEW (NAME_MISMATCH); handler approval needs a second handler (four eyes)"),
    ).toBe(
      "Kontrollerad: till handläggare (Namnet stämmer inte med folkbokföringen); godkännandet kräver en andra handläggare",
    );
    expect(pageHistoryText("phone verification: VERIFIED")).toBe("Telefonsamtal: Verifierad");
    expect(pageHistoryText("account action BLOCK: BLOCKED")).toBe("Kontoåtgärd blockering: blockerad");
    // An unknown phrase still loses its codes and dotted names.
    expect(pageHistoryText("something odd about verifier.vgrId in IN_REVIEW")).toBe(
      "something odd about ”VGR-ID” in väntar på handläggare",
    );
    // Winter (CET, +1) and summer (CEST, +2).
    expect(localTime("2025-03-24T08:15:00.000Z")).toBe("2025-03-24 09:15");
    expect(localTime("2025-07-01T08:15:00.000Z")).toBe("2025-07-01 10:15");
    expect(personName("user:anna", (id) => ({ anna: "Anna Handläggare" })[id])).toBe("Anna Handläggare");
    expect(personName("ValidateCase")).toBe("Kontroll");
    expect(personName("system")).toBe("Systemet");
    expect(historyText("decision RETURN")).toBe("Beslut: Returneras");
  });

  it("summary.pdf in Swedish: Åtgärd: Blockering, Beslut: Utförs, Swedish status and history", async () => {
    const record = makeCase({ formCode: "1177-VH", status: "EXECUTED", decision: "EXECUTE" });
    record.history.push({ at: "2025-03-18T08:05:00.000Z", by: "ExecuteAction", what: "status EXECUTING → EXECUTED" });
    const text = pdfText(await renderCaseSummaryPdf(record, "2025-03-20T09:30:00.000Z"));
    expect(text).toContain("Åtgärd: Blockering");
    expect(text).toContain("Beslut: Utförs");
    expect(text).toContain("Status: Utförd");
    expect(text).toContain("2025-03-18 09:05 Åtgärd: Status: Utförs -> Utförd");
    expect(text).toContain("2025-03-18 09:00 Registrering: Status: Mottagen");
    expect(text).not.toMatch(/\b(BLOCK|EXECUTE|EXECUTED|EXECUTING)\b/);
  });
});

describe("return notice from the handler's decision", () => {
  it("explains the handler's ticked reasons (a REVIEW code too) and carries the escaped message", () => {
    const record = makeCase({ status: "EXECUTING", decision: "RETURN", reasons: ["PERSON_NOT_FOUND"] });
    record.handlerDecision = {
      by: "user:anna",
      at: "2025-03-18T09:00:00.000Z",
      decision: "RETURN",
      returnReasons: ["CAREGIVER_NOT_APPROVED", "NAME_MISMATCH"],
      noticeNote: "Fråga <b>oss</b> gärna.",
    };
    const mail = renderCaseMail(record, "RETURN_NOTICE", new Date("2025-03-18T09:01:00.000Z"));
    expect(mail.text).toContain("Vårdgivaren som angetts är inte godkänd");
    expect(mail.text).toContain("Namnet på blanketten stämmer inte med personnumret");
    expect(mail.text).not.toContain("finns inte i folkbokföringen"); // the machine's reason, not ticked
    expect(mail.text).toContain("Meddelande från handläggaren:\nFråga <b>oss</b> gärna.");
    expect(mail.html).toContain("Fråga &lt;b&gt;oss&lt;/b&gt; gärna.");
    expect(mail.html).not.toContain("<b>oss</b>");
  });

  it("refuses a message with a personnummer-like digit string (it goes by ordinary e-mail)", () => {
    expect(() => assertNoticeNoteAllowed("Gäller 19640823-3234")).toThrow(/personnummer/);
    expect(() => assertNoticeNoteAllowed("Gäller 200301092383")).toThrow(/personnummer/);
    expect(() => assertNoticeNoteAllowed("Gäller 0301092383")).toThrow(/personnummer/);
    expect(() => assertNoticeNoteAllowed("Ring 010-441 00 00 om ni har frågor.")).not.toThrow();
  });
});
