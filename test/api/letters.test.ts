// The mail room's letters through the API router (in-memory stores, letters made by the real SendMail): the list
// without personal data, the PDF (audited), "posted" once (audited, in the case history and on the case page).
import { describe, expect, it } from "vitest";
import { createHarness, PNR } from "./support/harness.ts";
import { LETTER_CASES, SAGA, seedLetters } from "./support/letters.ts";

async function withLetters() {
  const h = await createHarness();
  const mailer = await seedLetters(h);
  return { h, mailer };
}

describe("mail room letters API", () => {
  it("lists the letters waiting, oldest first, with no personal data", async () => {
    const { h, mailer } = await withLetters();
    // The citizen's case still mailed the staff member; the letters are for who could not be reached.
    expect(mailer.sent.map((m) => m.to)).toEqual([["vc.hisingen@example.org"]]);
    const res = await h.call("GET", "/api/letters", { token: h.tokens.mailroom });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      waiting: [
        {
          caseId: LETTER_CASES.citizen,
          letterId: "confirmation-citizen",
          kind: "CONFIRMATION",
          formCode: "1177-EGEN",
          date: "2025-03-24",
          recipient: "CITIZEN",
          addressMissing: false,
        },
        {
          caseId: LETTER_CASES.staff,
          letterId: "confirmation-staff",
          kind: "CONFIRMATION",
          formCode: "1177-VG",
          date: "2025-03-24",
          recipient: "STAFF",
          addressMissing: false,
        },
      ],
      postedToday: [],
    });
    const text = String(res.body);
    for (const s of ["Saga", "Nilsson", PNR.saga.slice(0, 8), "Ekvägen", "Skolgatan", "Eva Lind"]) {
      expect(text).not.toContain(s);
    }
  });

  it("only the mail room (and admin) may see or post letters", async () => {
    const { h } = await withLetters();
    expect((await h.call("GET", "/api/letters", { token: h.tokens.handler })).status).toBe(403);
    expect((await h.call("GET", "/api/letters")).status).toBe(401);
    const post = await h.call("POST", `/api/letters/${LETTER_CASES.staff}/confirmation-staff/posted`, {
      token: h.tokens.handler,
    });
    expect(post.status).toBe(403);
    const pdf = await h.call("GET", `/mailroom/letters/${LETTER_CASES.staff}/confirmation-staff.pdf`, {
      cookie: `lockdesk_token=${h.tokens.handler}`,
    });
    expect(pdf.status).toBe(403);
    expect((await h.call("GET", "/api/letters", { token: h.tokens.admin })).status).toBe(200);
  });

  it("opens a letter as PDF (cookie, like a link in a new tab); the read is audited", async () => {
    const { h } = await withLetters();
    const res = await h.call("GET", `/mailroom/letters/${LETTER_CASES.citizen}/confirmation-citizen.pdf`, {
      cookie: `lockdesk_token=${h.tokens.mailroom}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["cache-control"]).toBe("private, no-store");
    expect(
      Buffer.from(res.body as Uint8Array)
        .subarray(0, 5)
        .toString("latin1"),
    ).toBe("%PDF-");
    expect(await h.audit.byCase(LETTER_CASES.citizen)).toEqual([
      {
        at: "2025-03-24T09:00:00.000Z",
        user: "user:post",
        caseId: LETTER_CASES.citizen,
        action: "READ_LETTER",
        detail: "confirmation-citizen",
      },
    ]);
    // Unknown letters: a malformed id is a 400, a well-formed one the case does not have a 404.
    const bad = await h.call("GET", `/mailroom/letters/${LETTER_CASES.citizen}/nope.pdf`, {
      cookie: `lockdesk_token=${h.tokens.mailroom}`,
    });
    expect(bad.status).toBe(400);
    const absent = await h.call("GET", `/mailroom/letters/${LETTER_CASES.citizen}/return-notice-staff.pdf`, {
      cookie: `lockdesk_token=${h.tokens.mailroom}`,
    });
    expect(absent.status).toBe(404);
  });

  it("marks a letter posted once: audited, in the case history, off the waiting list; a second time is 409", async () => {
    const { h } = await withLetters();
    h.clock.set("2025-03-24T13:15:00.000Z");
    const path = `/api/letters/${LETTER_CASES.staff}/confirmation-staff/posted`;
    const res = await h.call("POST", path, { token: h.tokens.mailroom });
    expect(res.status).toBe(200);
    expect(res.json.letter.posted).toEqual({ at: "2025-03-24T13:15:00.000Z", by: "user:post", name: "Post Rum" });
    expect((await h.call("POST", path, { token: h.tokens.mailroom })).status).toBe(409);

    const stored = await h.cases.get(LETTER_CASES.staff);
    expect(stored?.history.at(-1)).toEqual({
      at: "2025-03-24T13:15:00.000Z",
      by: "user:post",
      what: "Brev skickat 2025-03-24 av Post Rum (confirmation-staff)",
      name: "Post Rum",
    });
    expect((await h.audit.byCase(LETTER_CASES.staff)).map((e) => [e.action, e.user, e.detail])).toEqual([
      ["MARK_LETTER_POSTED", "user:post", "confirmation-staff"],
    ]);
    const list = (await h.call("GET", "/api/letters", { token: h.tokens.mailroom })).json;
    expect(list.waiting.map((l: { caseId: string }) => l.caseId)).toEqual([LETTER_CASES.citizen]);
    expect(list.postedToday.map((l: { caseId: string }) => l.caseId)).toEqual([LETTER_CASES.staff]);

    // The handler sees it on the case page.
    const page = await h.call("GET", `/cases/${LETTER_CASES.staff}`, { cookie: `lockdesk_token=${h.tokens.handler}` });
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain("Brev skickat 2025-03-24 av Post Rum");
  });

  it("a case page never shows the postal address the letter carries", async () => {
    const { h } = await withLetters();
    for (const caseId of Object.values(LETTER_CASES)) {
      const api = await h.call("GET", `/api/cases/${caseId}`, { token: h.tokens.handler });
      const page = await h.call("GET", `/cases/${caseId}`, { cookie: `lockdesk_token=${h.tokens.handler}` });
      for (const body of [String(api.body), String(page.body)]) {
        expect(body).not.toContain(SAGA.address);
        expect(body).not.toContain(SAGA.postalCity);
        expect(body).not.toContain("Skolgatan 87");
      }
    }
  });
});
