// The Mailer contract over SesMailer on aws-ses-v2-local (the local stack's SES) and the routine tests' recorder.
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { afterAll, beforeAll, describe } from "vitest";
import { SesMailer } from "../../../shared/adapters/aws/ses-mailer.ts";
import { RecordingMailer } from "../../unit/routine/support.ts";
import { type DeliveredMail, mailerContract } from "./mailer.contract.ts";

describe("SesMailer on aws-ses-v2-local", () => {
  let server: Server;
  let endpoint: string;
  let client: SESv2Client;
  beforeAll(async () => {
    const mod = createRequire(import.meta.url)("aws-ses-v2-local") as {
      default: (c: { host: string; port: number }) => Promise<Server>;
    };
    server = await mod.default({ host: "127.0.0.1", port: 0 });
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new SESv2Client({
      endpoint,
      region: "eu-north-1",
      credentials: { accessKeyId: "l", secretAccessKey: "l" },
    });
  });
  afterAll(async () => {
    client?.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  mailerContract("SesMailer", async () => ({
    mailer: new SesMailer(client, { from: "sparr@lockdesk.example.se" }),
    async delivered(): Promise<DeliveredMail[]> {
      const store = (await (await fetch(`${endpoint}/store`)).json()) as {
        emails: Array<{ subject: string; destination: { to: string[] }; body: { html?: string; text?: string } }>;
      };
      return store.emails.map((e) => ({
        to: e.destination.to,
        subject: e.subject,
        text: e.body.text ?? "",
        html: e.body.html ?? "",
      }));
    },
  }));
});

describe("RecordingMailer (routine tests)", () => {
  mailerContract("RecordingMailer", async () => {
    const mailer = new RecordingMailer();
    return {
      mailer,
      delivered: async () => mailer.sent.map(({ to, subject, text, html }) => ({ to, subject, text, html })),
    };
  });
});
