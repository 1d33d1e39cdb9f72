// Every dev sample's mail, as the contract's texts say it literally (test/local/expected-mails.ts), against what the
// templates render for the same values: template drift shows here in a second, not only in the OCR pipeline test.
import { describe, expect, it } from "vitest";
import type { ReasonCode } from "../../../shared/domain/forms.ts";
import { renderConfirmation, renderReturnNotice } from "../../../shared/mail/render.ts";
import type { AccountResult } from "../../../shared/ports/account-service.ts";
import { expectationsFor } from "../../local/expectations.ts";
import { allSampleIds } from "../../local/helpers.ts";

const CASE_ID = "C-2025-0042";
const SENT_AT = "2025-03-28T10:00:00.000Z";
const withMail = expectationsFor(allSampleIds()).filter((e) => e.mail !== null && e.formCode !== null);

describe("the dev samples' mails, literally", () => {
  it("covers confirmations and return notices", () => {
    expect(new Set(withMail.map((e) => e.mail?.kind))).toEqual(new Set(["CONFIRMATION", "RETURN_NOTICE"]));
  });

  it.each(withMail.map((e) => [e.id, e] as const))("%s", (_id, e) => {
    if (!e.mail || !e.formCode) throw new Error("filtered above");
    const common = {
      caseId: CASE_ID,
      formCode: e.formCode,
      action: e.action,
      receivedDate: e.receivedDate,
      protectedIdentity: false,
    };
    const rendered =
      e.mail.kind === "RETURN_NOTICE"
        ? renderReturnNotice({ ...common, reasons: e.reasons as ReasonCode[] })
        : renderConfirmation({
            ...common,
            result: e.accountResult as Exclude<AccountResult, "MANUAL_PENDING">,
            guardianCount: e.guardians.length,
            date: SENT_AT.slice(0, 10),
          });
    const literal = e.mail.literal(CASE_ID, SENT_AT);
    expect({ subject: rendered.subject, text: rendered.text, html: rendered.html }).toEqual(literal);
  });
});
