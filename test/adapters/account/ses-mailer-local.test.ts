// SesMailer against the local SES v2 emulator the local stack uses (aws-ses-v2-local, in-process, free port):
// the same SendEmail request is accepted and the mail is captured with its subject, bodies and recipients.

import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SesMailer } from "../../../shared/adapters/aws/ses-mailer.ts";

let server: Server;
let endpoint: string;

beforeAll(async () => {
  const mod = createRequire(import.meta.url)("aws-ses-v2-local") as {
    default: (c: { host: string; port: number }) => Promise<Server>;
  };
  server = await mod.default({ host: "127.0.0.1", port: 0 });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("SesMailer on aws-ses-v2-local", () => {
  it("delivers subject, html and text to the emulator's store", async () => {
    const client = new SESv2Client({
      endpoint,
      region: "eu-north-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const mailer = new SesMailer(client, { from: "sparr@lockdesk.example.se", configurationSetName: "lockdesk-mail" });
    const subject = "Bekräftelse: inloggningen till 1177 e-tjänster har låsts – ärende C-LOCAL-1";
    const { messageId } = await mailer.send({
      to: ["clinic@example.org"],
      subject,
      html: "<p>Hej åäö</p>",
      text: "Hej åäö",
      idempotencyKey: "C-LOCAL-1:CONFIRMATION",
    });
    expect(messageId).toBeTruthy();
    const store = (await (await fetch(`${endpoint}/store`)).json()) as {
      emails: Array<{ subject: string; destination: { to: string[] }; body: { html?: string; text?: string } }>;
    };
    const mail = store.emails.find((e) => e.subject === subject);
    expect(mail?.destination.to).toEqual(["clinic@example.org"]);
    expect(mail?.body.text).toBe("Hej åäö");
    expect(mail?.body.html).toBe("<p>Hej åäö</p>");
    client.destroy();
  });
});
