// One contract for every Mailer (SES on the local SES v2 emulator, and the recording mailer the routine tests use):
// each mail is delivered once with its recipients, subject and both bodies unchanged (Swedish letters included),
// and each send answers a message id of its own.
import { expect, it } from "vitest";
import type { Mailer } from "../../../shared/ports/mailer.ts";

export interface DeliveredMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export function mailerContract(
  name: string,
  make: () => Promise<{ mailer: Mailer; delivered(): Promise<DeliveredMail[]> }>,
): void {
  it(`${name}: delivers recipients, subject and both bodies unchanged, one message id per mail`, async () => {
    const { mailer, delivered } = await make();
    const tag = `${name}-${Date.now()}`;
    const first = {
      to: ["mottagning@example.org", "kopia@example.org"],
      subject: `Bekräftelse: inloggningen har låsts – ärende ${tag}-1`,
      text: "Hej,\nÅtgärden är utförd. Blankett 1177-VG.",
      html: "<p>Hej,</p><p>Åtgärden är utförd. Blankett 1177-VG.</p>",
      idempotencyKey: `${tag}-1:CONFIRMATION`,
    };
    const second = {
      ...first,
      to: ["annan@example.org"],
      subject: `Retur – ärende ${tag}-2`,
      idempotencyKey: `${tag}-2`,
    };
    const a = await mailer.send(first);
    const b = await mailer.send(second);
    expect(a.messageId).toMatch(/\S/);
    expect(b.messageId).toMatch(/\S/);
    expect(a.messageId).not.toBe(b.messageId);
    // Delivery order is not part of the contract (SES gives none): compare by subject.
    const mine = (await delivered())
      .filter((m) => m.subject.includes(tag))
      .sort((x, y) => (x.subject < y.subject ? -1 : 1));
    expect(mine).toEqual(
      [
        { to: first.to, subject: first.subject, text: first.text, html: first.html },
        { to: second.to, subject: second.subject, text: second.text, html: second.html },
      ].sort((x, y) => (x.subject < y.subject ? -1 : 1)),
    );
  });
}
