import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { SesMailer } from "../../../shared/adapters/aws/ses-mailer.ts";
import { ValidationError } from "../../../shared/domain/errors.ts";

const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

const mail = {
  to: ["a@example.org", "b@example.org"],
  subject: "Bekräftelse: inloggningen till 1177 e-tjänster har låsts – ärende C-2025-0001",
  html: "<p>Hej</p>",
  text: "Hej",
  idempotencyKey: "C-2025-0001:CONFIRMATION",
};

describe("SesMailer", () => {
  it("sends one SendEmail with UTF-8 subject/html/text, the configuration set, and the idempotency key", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: "ses-1" });
    const mailer = new SesMailer(new SESv2Client({ region: "eu-north-1" }), {
      from: "sparr@lockdesk.example.se",
      configurationSetName: "lockdesk-mail",
    });
    expect(await mailer.send(mail)).toEqual({ messageId: "ses-1" });
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: "sparr@lockdesk.example.se",
      Destination: { ToAddresses: ["a@example.org", "b@example.org"] },
      ConfigurationSetName: "lockdesk-mail",
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: "UTF-8" },
          Body: { Html: { Data: "<p>Hej</p>", Charset: "UTF-8" }, Text: { Data: "Hej", Charset: "UTF-8" } },
          Headers: [{ Name: "X-Lockdesk-Idempotency-Key", Value: "C-2025-0001:CONFIRMATION" }],
        },
      },
      EmailTags: [
        { Name: "caseId", Value: "C-2025-0001" },
        { Name: "kind", Value: "CONFIRMATION" },
      ],
    });
  });

  it("omits the configuration set when none is configured (local SES emulator)", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: "ses-2" });
    await new SesMailer(new SESv2Client({ region: "eu-north-1" }), { from: "x@example.se" }).send(mail);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.ConfigurationSetName).toBeUndefined();
  });

  it("passes SES errors through (the state machine retries throttling) and refuses an empty recipient list", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
    ses.on(SendEmailCommand).rejects(throttled);
    const mailer = new SesMailer(new SESv2Client({ region: "eu-north-1" }), { from: "x@example.se" });
    await expect(mailer.send(mail)).rejects.toThrow("Rate exceeded");
    await expect(mailer.send({ ...mail, to: [] })).rejects.toBeInstanceOf(ValidationError);
  });
});
