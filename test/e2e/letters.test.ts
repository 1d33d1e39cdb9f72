// Browser test (issue 12 item 5): the mail room posts the letters, in real Chromium against the API over in-memory
// stores whose letters were made by the real SendMail use case (real PDFs). The mail room user logs in, opens
// "Brev att posta", sees the letters waiting (no personal data in the list), opens one as PDF (application/pdf),
// marks one posted and the list updates; the case then says "Brev skickat <datum> av <namn>".
// Needs Debian Chromium at /usr/bin/chromium: without it the test is skipped with a message, and FAILS under CI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, PASSWORDS, PNR } from "../api/support/harness.ts";
import { LETTER_CASES, SAGA, seedLetters } from "../api/support/letters.ts";
import { devLogin, requireBrowser, shot, watchErrors } from "./support/browser.ts";
import { startUi, type Ui } from "./support/ui.ts";

const skip = requireBrowser("mail room letters");

describe.skipIf(skip)("mail room letters in a browser", () => {
  let ui: Ui;
  let h: Harness;
  let base: string;

  beforeAll(async () => {
    h = await createHarness();
    await seedLetters(h);
    ui = await startUi(h.deps);
    base = ui.base;
  });

  afterAll(async () => {
    await ui?.close();
  });

  it("lists the letters, opens one as PDF, marks one posted and the list updates", async () => {
    const context = ui.browser;
    const page = await context.newPage();
    const errors = watchErrors(page);
    await devLogin(page, base, "post", PASSWORDS.post ?? "", "/mailroom");
    await page.click('nav a[href="/mailroom/letters"]');
    await page.waitForURL(`${base}/mailroom/letters`);

    const rows = page.locator("#letters tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    const staffRow = page.locator("#letters tbody tr", { hasText: LETTER_CASES.staff });
    expect(await staffRow.locator("td").allTextContents()).toEqual([
      LETTER_CASES.staff,
      "Bekräftelse (1177-VG)",
      "2025-03-24",
      "Personalens enhet",
      "I brevet",
      "Öppna PDF",
      "Markera som postat",
    ]);
    // The list holds what the mail room needs to post, nothing about the person.
    const listed = `${await page.locator("main").innerText()}\n${await page.content()}`;
    for (const s of ["Saga", "Nilsson", PNR.saga.slice(0, 8), SAGA.address, "Skolgatan"]) {
      expect(listed).not.toContain(s);
    }
    await shot(page, "letters-1-waiting");

    // "Öppna PDF" opens the letter in a new tab: the response is the PDF.
    const link = page.locator("#letters tbody tr", { hasText: LETTER_CASES.citizen }).getByRole("link", {
      name: "Öppna PDF",
    });
    const href = (await link.getAttribute("href")) ?? "";
    expect(href).toBe(`/mailroom/letters/${LETTER_CASES.citizen}/confirmation-citizen.pdf`);
    const [response] = await Promise.all([
      context.waitForEvent("response", (r) => r.url() === `${base}${href}`),
      link.click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    // The same document fetched in the page (the session cookie): a real PDF.
    const head = await page.evaluate(async (u) => {
      const r = await fetch(u);
      return {
        type: r.headers.get("content-type"),
        magic: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)),
      };
    }, href);
    expect(head).toEqual({ type: "application/pdf", magic: "%PDF-" });
    expect((await h.audit.byCase(LETTER_CASES.citizen)).map((e) => e.action)).toContain("READ_LETTER");

    // Mark the staff letter posted: the page reloads from the server and the letter has moved to "Postade i dag".
    await staffRow.getByRole("button", { name: "Markera som postat" }).click();
    await expect.poll(() => page.locator("#letters tbody tr").count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator("#letters tbody tr").first().locator("td").first().textContent()).toBe(
      LETTER_CASES.citizen,
    );
    const posted = page.locator("#posted tbody tr", { hasText: LETTER_CASES.staff });
    await expect.poll(() => posted.count()).toBe(1);
    expect(await posted.locator("td").nth(3).textContent()).toBe("Brev skickat 2025-03-24 av Post Rum");
    await shot(page, "letters-2-posted");

    const stored = await h.cases.get(LETTER_CASES.staff);
    expect(stored?.letters?.[0]?.posted).toMatchObject({ by: "user:post", name: "Post Rum" });
    expect(stored?.history.at(-1)?.what).toBe("Brev skickat 2025-03-24 av Post Rum (confirmation-staff)");
    expect((await h.audit.byCase(LETTER_CASES.staff)).map((e) => e.action)).toEqual(["MARK_LETTER_POSTED"]);
    expect(errors).toEqual([]);
  });
});
