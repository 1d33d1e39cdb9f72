// Mailer on Amazon SES v2. The configuration set routes bounces and complaints to the event destination set up
// by the mail stack; the idempotency key goes along as a header and a tag so a duplicate is traceable.
// Locally the same adapter talks to aws-ses-v2-local (endpoint from the composition root).
import { type SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { ValidationError } from "../../domain/errors.ts";
import type { Mailer, OutgoingMail } from "../../ports/mailer.ts";

export interface SesMailerConfig {
  from: string;
  configurationSetName?: string;
  replyTo?: string[];
}

/** SES tag values allow only A-Z a-z 0-9 _ - (and 256 chars). */
function tagValue(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256) || "_";
}

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly config: SesMailerConfig,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    if (mail.to.length === 0) throw new ValidationError("mail without recipients");
    const [caseId = "", kind = ""] = mail.idempotencyKey.split(":");
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.config.from,
        Destination: { ToAddresses: mail.to },
        ...(this.config.replyTo?.length ? { ReplyToAddresses: this.config.replyTo } : {}),
        ...(this.config.configurationSetName ? { ConfigurationSetName: this.config.configurationSetName } : {}),
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: "UTF-8" },
            Body: { Html: { Data: mail.html, Charset: "UTF-8" }, Text: { Data: mail.text, Charset: "UTF-8" } },
            Headers: [{ Name: "X-Lockdesk-Idempotency-Key", Value: mail.idempotencyKey }],
          },
        },
        EmailTags: [
          { Name: "caseId", Value: tagValue(caseId) },
          { Name: "kind", Value: tagValue(kind) },
        ],
      }),
    );
    if (!out.MessageId) throw new Error("SES returned no MessageId");
    return { messageId: out.MessageId };
  }
}
