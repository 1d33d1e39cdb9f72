import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REASON_CODES, RETURN_CODES } from "../../../shared/domain/forms.ts";
import { escapeHtml } from "../../../shared/mail/escape.ts";
import {
  cleanAddresses,
  isValidEmail,
  renderConfirmation,
  renderReturnNotice,
  scrubPersonnummer,
} from "../../../shared/mail/render.ts";
import { fill } from "../../../shared/mail/template.ts";
import { CONFIRMATION_TEXTS, REASON_TEXTS } from "../../../shared/mail/templates/sv.ts";
import { ADULT, ALL_TEST_PNRS } from "../../fixtures/routine/people.ts";
import { fullPnrs } from "./support.ts";

describe("mail rendering", () => {
  it("test personnummer are Skatteverket's test numbers", () => {
    const list = new Set(
      readFileSync(new URL("../../fixtures/routine/testpersonnummer.txt", import.meta.url), "utf8").split(/\r?\n/),
    );
    for (const p of ALL_TEST_PNRS) expect(list.has(p), p).toBe(true);
  });

  it("every confirmation result has a Swedish subject with the case id and no personnummer", () => {
    for (const result of Object.keys(CONFIRMATION_TEXTS) as Array<keyof typeof CONFIRMATION_TEXTS>) {
      const vh = result.includes("BLOCK");
      const mail = renderConfirmation({
        caseId: "C-77",
        formCode: vh ? "1177-VH" : "1177-EGEN",
        action: vh ? "BLOCK" : "LOCK",
        receivedDate: "2025-03-18",
        protectedIdentity: false,
        result,
        guardianCount: vh ? 1 : 0,
        date: "2025-03-20",
      });
      expect(mail.subject).toMatch(/^Bekräftelse: .+ – ärende C-77$/);
      expect(fullPnrs(`${mail.subject}${mail.html}${mail.text}`)).toEqual([]);
      expect(mail.html).toContain('<html lang="sv">');
      expect(mail.templateVersion).toBe("sv-3");
    }
  });

  it("has a plain-Swedish text for every reason code", () => {
    for (const code of REASON_CODES) expect(REASON_TEXTS[code].length).toBeGreaterThan(10);
  });

  it("return notice lists only the sender's (RETURN) reasons", () => {
    const mail = renderReturnNotice({
      caseId: "C-5",
      formCode: "1177-VG",
      action: "LOCK",
      receivedDate: "2025-03-18",
      protectedIdentity: false,
      reasons: ["CAREGIVER_NOT_APPROVED", "PHONE_VERIFICATION"],
    });
    expect(RETURN_CODES.has("CAREGIVER_NOT_APPROVED")).toBe(true);
    expect(mail.text).toContain(REASON_TEXTS.CAREGIVER_NOT_APPROVED);
    expect(mail.text).not.toContain(REASON_TEXTS.PHONE_VERIFICATION);
    expect(mail.text.startsWith("Hej,\n")).toBe(true);
    expect(mail.html).toContain("<p>Hej,</p>");
  });

  it("scrubs 10- and 12-digit personnummer in free text", () => {
    expect(scrubPersonnummer(`x ${ADULT.pnr} y`)).toBe(`x ${ADULT.pnr.slice(0, 8)}-**** y`);
    expect(scrubPersonnummer(`x ${ADULT.pnr.slice(2, 8)}-${ADULT.pnr.slice(8)} y`)).toBe(
      `x ${ADULT.pnr.slice(2, 8)}-**** y`,
    );
    expect(scrubPersonnummer("tel 031-123 45 67")).toBe("tel 031-123 45 67");
  });

  it("escapes HTML and refuses unknown template variables", () => {
    expect(escapeHtml(`<img src=x onerror="a">'&`)).toBe("&lt;img src=x onerror=&quot;a&quot;&gt;&#39;&amp;");
    expect(fill("<p>{{a}}</p>{{{b}}}", { a: "<i>", b: "<i>ok</i>" }, "html")).toBe("<p>&lt;i&gt;</p><i>ok</i>");
    expect(fill("{{a}}", { a: "rad1\nrad2\u0007" }, "text")).toBe("rad1 rad2");
    expect(() => fill("{{missing}}", {}, "text")).toThrow("missing");
  });

  it("validates and deduplicates addresses", () => {
    expect(isValidEmail("a.b@example.se")).toBe(true);
    for (const bad of [
      "",
      "a@b",
      "a b@example.se",
      "<a@example.se>",
      "a@example.se, b@example.se",
      "a..b@example.se",
      "a@-x.se",
    ]) {
      expect(isValidEmail(bad), bad).toBe(false);
    }
    expect(cleanAddresses(["A@Example.se", "a@example.se", undefined, "nope", "mailto:b@example.se"])).toEqual([
      "A@Example.se",
      "b@example.se",
    ]);
  });
});
