export interface OutgoingMail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Idempotency: the same key is never sent twice by the use case (recorded on the case). */
  idempotencyKey: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}
