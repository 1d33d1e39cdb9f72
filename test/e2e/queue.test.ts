// Browser test (real Chromium) of the queue page: order (urgent first, receipt date), waiting time, search over all
// cases (file name; exact personnummer masked and audited), "Mina ärenden", the next-case endpoint the case page
// uses, live refresh without losing focus, an urgent phone case created from the page and its paper linked,
// accessibility (axe), Swedish only, and the README screenshot.
import { existsSync, statSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, makeCase, PASSWORDS, PNR } from "../api/support/harness.ts";
import { expectAccessible } from "./support/axe.ts";
import { devLogin, requireBrowser, shot, watchErrors } from "./support/browser.ts";
import { readmeShot, untranslated } from "./support/page-checks.ts";
import { startUi, type Ui } from "./support/ui.ts";

const skip = requireBrowser("queue");
const ID = "case-name-mismatch";

describe.skipIf(skip)("the queue in a browser", () => {
  let ui: Ui | undefined;
  let browser: BrowserContext;
  let h: Harness;
  let base: string;

  beforeAll(async () => {
    h = await createHarness();
    // An older case without the urgent box, received on paper long before it was uploaded.
    await h.cases.create(
      makeCase({
        caseId: "case-old-paper",
        receivedAt: "2025-03-24T08:59:00.000Z",
        receivedDate: "2025-03-17",
        formCode: "1177-EGEN",
        reasons: ["LOW_CONFIDENCE"],
        subjectPersonnummer: PNR.child,
        scan: { bucket: "b", key: "incoming/2025-03-24/pappersbrev-17mars.png", fileName: "pappersbrev-17mars.png" },
      }),
    );
    ui = await startUi(h.deps);
    ({ base, browser } = ui);
  });

  afterAll(async () => {
    await ui?.close();
  });

  async function handler(user: "anna" | "bertil" = "anna"): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await devLogin(page, base, user, PASSWORDS[user] ?? "", "/queue");
    return { page, errors };
  }
  const rowIds = (page: Page) =>
    page.locator("#queue-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-case")));

  it("urgent first (the 'Brådskande' box), then by receipt date, with the waiting time; Swedish, accessible", async () => {
    const { page, errors } = await handler();
    expect(await rowIds(page)).toEqual([ID, "case-old-paper", "case-phone", "case-failed"]);
    const first = page.locator(`#queue-table tr[data-case="${ID}"]`);
    expect(await first.locator(".tag").textContent()).toBe("Brådskande");
    expect(await page.locator('#queue-table tr[data-case="case-old-paper"] .waited').textContent()).toBe(
      "väntat 7 dagar",
    );
    expect(await page.locator('#queue-table tr[data-case="case-phone"] .waited').textContent()).toBe("väntat 3 dagar");
    expect(await page.content()).not.toContain(PNR.saga);
    expect(await untranslated(page)).toEqual([]);
    await expectAccessible(page, "the queue");
    const path = await readmeShot(page, "queue");
    expect(existsSync(path) && statSync(path).size).toBeLessThan(200_000);
    expect(errors).toEqual([]);
  });

  it("at 200 % zoom (683×384 CSS px) the queue does not scroll sideways", async () => {
    const { page, errors } = await handler();
    await page.setViewportSize({ width: 683, height: 384 });
    await page.reload();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // Each cell still says what it is (the headings are only hidden visually).
    expect(
      await page
        .locator(`#queue-table tr[data-case="${ID}"] td.waited`)
        .evaluate((td) => getComputedStyle(td, "::before").content),
    ).toBe('"Väntat: "');
    expect(errors).toEqual([]);
  });

  it("filters: by form, by reason; 'Mina ärenden' lists what I claimed", async () => {
    const { page, errors } = await handler();
    await page.selectOption("#f-form", "1177-EGEN");
    await page.click(".queue-filters button[type=submit]");
    await page.waitForURL(/form=1177-EGEN/);
    expect(await rowIds(page)).toEqual(["case-old-paper", "case-failed"]);
    await page.goto(`${base}/queue`);
    await page.selectOption("#f-reason", "PHONE_VERIFICATION");
    await page.click(".queue-filters button[type=submit]");
    await page.waitForURL(/reason=PHONE_VERIFICATION/);
    expect(await rowIds(page)).toEqual(["case-phone"]);

    const claimed = await h.call("POST", "/api/cases/case-phone/claim", { token: h.tokens.handler });
    expect(claimed.status).toBe(200);
    await page.goto(`${base}/queue`);
    await page.check("#f-mine");
    await page.click(".queue-filters button[type=submit]");
    await page.waitForURL(/mine=1/);
    expect(await page.locator("#queue-heading").textContent()).toContain("Mina ärenden");
    expect(await rowIds(page)).toEqual(["case-phone"]);
    expect(await page.locator('#queue-table tr[data-case="case-phone"] td').last().textContent()).toBe("Anna H");
    await h.call("POST", "/api/cases/case-phone/release", { token: h.tokens.handler });
    expect(errors).toEqual([]);
  });

  it("search over all cases: a file name, a finished case, an exact personnummer (masked, audited)", async () => {
    const { page, errors } = await handler("bertil");
    await page.fill("#q", "pappersbrev");
    await page.press("#q", "Enter");
    await expect.poll(() => page.locator("#search-heading").textContent()).toBe("Sökresultat (1)");
    expect(await page.locator("#search-list").textContent()).toContain("case-old-paper");

    await page.fill("#q", "200301092383");
    await page.press("#q", "Enter");
    await expect.poll(() => page.locator("#search-heading").textContent()).toBe("Sökresultat (2)");
    // Searched through POST: the number never goes into the address bar.
    expect(page.url()).toBe(`${base}/queue`);
    const results = page.locator("#search-list");
    expect(await results.textContent()).toContain("case-earlier"); // finished, not in the queue
    expect(await results.textContent()).toContain("Utförd");
    expect(await results.locator("td.pnr").allTextContents()).toEqual(["20030109-****", "20030109-****"]);
    // The number is only in the search box the handler typed it in, never in the results.
    expect(await results.innerHTML()).not.toContain(PNR.saga);
    const audited = (await h.audit.byUser("user:bertil")).filter((e) => e.action === "SEARCH_PERSONNUMMER");
    expect(audited.map((e) => e.caseId).sort()).toEqual(["case-earlier", ID]);
    expect(JSON.stringify(audited)).not.toContain(PNR.saga);
    expect(await untranslated(page)).toEqual([]);
    await expectAccessible(page, "the queue with search results");
    expect(errors).toEqual([]);
  });

  it("GET /api/queue/next from the page: the next case in queue order after the one decided", async () => {
    const { page } = await handler();
    const next = await page.evaluate(async () => {
      const token = sessionStorage.getItem("lockdesk_token");
      const res = await fetch("/api/queue/next?after=case-name-mismatch", {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, body: await res.json() };
    });
    expect(next).toEqual({ status: 200, body: { caseId: "case-old-paper" } });
  });

  it("live refresh: a new case appears without a reload, the focused link keeps focus", async () => {
    const { page, errors } = await handler();
    await page.locator('#queue-table a[href="/cases/case-phone"]').focus();
    await h.cases.create(
      makeCase({ caseId: "case-new-arrival", receivedDate: "2025-03-24", reasons: ["NAME_MISMATCH"] }),
    );
    await expect.poll(() => rowIds(page), { timeout: 30_000, interval: 1000 }).toContain("case-new-arrival");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("href"))).toBe("/cases/case-phone");
    expect(errors).toEqual([]);
  }, 40_000);

  it("an urgent phone case from the page (four eyes as the rule says), then its paper linked", async () => {
    const { page, errors } = await handler();
    await page.selectOption("#urgent-kind", "1177-EGEN|LOCK");
    await page.fill("#urgent-pnr", "20030101-2399");
    await page.fill("#urgent-caller", "Invånaren själv");
    await page.fill("#urgent-what", "Vill låsa sin inloggning, misstänker intrång");
    await page.click("#urgent-form button[type=submit]");
    await expect.poll(() => page.locator("#urgent-message").textContent()).toContain("Brådskande ärende skapat");
    const urgentId = (await page.locator("#urgent-message a").textContent()) ?? "";
    const created = await h.cases.get(urgentId);
    expect(created).toMatchObject({ manual: true, action: "LOCK", subjectPersonnummer: PNR.other });
    expect(created?.followUp?.what).toBe("AWAITING_PAPER"); // a LOCK runs on one handler's word, followed up
    // The urgent cases are at the top (by receipt time among themselves); it is in the follow-up list too.
    await page.reload();
    expect((await rowIds(page)).slice(0, 2)).toEqual([ID, urgentId]);
    const followUp = page.locator(`#follow-up-list tr[data-case="${urgentId}"]`);
    await followUp.locator("input[name=scanCaseId]").fill("case-old-paper");
    await followUp.locator("button").click();
    await expect.poll(() => followUp.locator(".link-message").textContent()).toBe("Kopplad till case-old-paper.");
    expect((await h.cases.get(urgentId))?.links?.scanCaseId).toBe("case-old-paper");
    expect((await h.cases.get("case-old-paper"))?.links?.urgentCaseId).toBe(urgentId);
    await shot(page, "queue-urgent-linked");

    // An UNLOCK by phone needs a second handler: it is created, and the page says so beforehand.
    expect(await page.locator(".urgent-case .hint").textContent()).toContain("andra handläggare");
    await page.selectOption("#urgent-kind", "1177-EGEN|UNLOCK");
    await page.fill("#urgent-pnr", "x");
    await page.fill("#urgent-caller", "Invånaren");
    await page.fill("#urgent-what", "Vill låsa upp");
    await page.click("#urgent-form button[type=submit]");
    await expect.poll(() => page.locator("#urgent-message").textContent()).toContain("12 siffror");
    await page.fill("#urgent-pnr", "20030101-2399");
    await page.click("#urgent-form button[type=submit]");
    await expect.poll(() => page.locator("#urgent-message").textContent()).toContain("Brådskande ärende skapat");
    const unlock = await h.cases.get((await page.locator("#urgent-message a").textContent()) ?? "");
    // No follow-up: an UNLOCK is not run on one word; approving it makes a proposal for a second handler.
    expect(unlock).toMatchObject({ manual: true, action: "UNLOCK", status: "IN_REVIEW" });
    expect(unlock?.followUp).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
