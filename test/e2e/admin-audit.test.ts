// Browser test (real Chromium) of the admins' audit-log page: entries in Swedish with local times and people's
// names, filters (person, case, action, date range), the CSV export for Excel (";", BOM), no English action code
// visible, and no serious/critical axe violation.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, PASSWORDS } from "../api/support/harness.ts";
import { expectAccessible } from "./support/axe.ts";
import { devLogin, requireBrowser, shot, watchErrors } from "./support/browser.ts";
import { readmeShot, untranslated } from "./support/page-checks.ts";
import { startUi, type Ui } from "./support/ui.ts";

const skip = requireBrowser("audit log");

describe.skipIf(skip)("the audit-log page in a browser", () => {
  let ui: Ui | undefined;
  let browser: BrowserContext;
  let h: Harness;
  let base: string;

  beforeAll(async () => {
    h = await createHarness(); // clock 2025-03-24T09:00Z = 10:00 in Stockholm
    expect((await h.call("GET", "/api/cases/case-phone", { token: h.tokens.handler })).status).toBe(200);
    expect((await h.call("POST", "/api/cases/case-phone/claim", { token: h.tokens.handler })).status).toBe(200);
    h.clock.set("2025-03-20T12:00:00.000Z");
    expect((await h.call("GET", "/api/cases/case-failed", { token: h.tokens.handler2 })).status).toBe(200);
    h.clock.set("2025-03-24T09:00:00.000Z");
    ui = await startUi(h.deps);
    ({ base, browser } = ui);
  });

  afterAll(async () => {
    await ui?.close();
  });

  const rows = (page: Page) =>
    page
      .locator("#audit-table tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.getElementsByTagName("td"), (td) => td.textContent?.trim() ?? "")),
      );

  it("lists the week's events in Swedish with names and local time; filters; CSV for Excel", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await devLogin(page, base, "admin", PASSWORDS.admin ?? "", "/queue");
    await page.click("text=Granskningslogg");
    await page.waitForURL(`${base}/admin/audit`);
    const all = await rows(page);
    expect(all).toContainEqual(["2025-03-24 10:00:00", "Anna H", "case-phone", "Tog ärendet", ""]);
    expect(all).toContainEqual(["2025-03-24 10:00:00", "Anna H", "case-phone", "Öppnade ärendet", ""]);
    expect(all).toContainEqual(["2025-03-20 13:00:00", "Bertil H", "case-failed", "Öppnade ärendet", ""]);
    expect(await untranslated(page)).toEqual([]);
    await expectAccessible(page, "the audit-log page");
    await readmeShot(page, "audit");

    // Filter: one person, one action, and a date range that leaves the 20th out.
    await page.fill("#a-user", "anna");
    await page.selectOption("#a-action", "CLAIM");
    await page.click(".admin-filters button[type=submit]");
    await page.waitForURL(/user=anna/);
    expect(await rows(page)).toEqual([["2025-03-24 10:00:00", "Anna H", "case-phone", "Tog ärendet", ""]]);
    await page.goto(`${base}/admin/audit`);
    await page.fill("#a-from", "2025-03-21");
    await page.click(".admin-filters button[type=submit]");
    await page.waitForURL(/from=2025-03-21/);
    expect((await rows(page)).map((r) => r[2])).not.toContain("case-failed");
    await page.goto(`${base}/admin/audit`);
    await page.fill("#a-case", "case-failed");
    await page.click(".admin-filters button[type=submit]");
    await page.waitForURL(/caseId=case-failed/);
    expect(await rows(page)).toEqual([["2025-03-20 13:00:00", "Bertil H", "case-failed", "Öppnade ärendet", ""]]);

    // The CSV export of the same selection: Excel's Swedish format.
    const href = (await page.locator("#audit-csv").getAttribute("href")) ?? "";
    expect(href).toContain("caseId=case-failed");
    const csv = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return {
        type: res.headers.get("content-type"),
        disposition: res.headers.get("content-disposition"),
        bytes: [...new Uint8Array(await res.clone().arrayBuffer()).slice(0, 3)],
        text: await res.text(),
      };
    }, href);
    expect(csv.type).toBe("text/csv; charset=utf-8");
    expect(csv.disposition).toContain("granskningslogg-2025-03-17-2025-03-24.csv");
    expect(csv.bytes).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text.replace(/^\uFEFF/, "").split("\r\n")).toEqual([
      "Tid;Person;Användar-id;Ärende;Händelse;Detalj",
      "2025-03-20 13:00:00;Bertil H;user:bertil;case-failed;Öppnade ärendet;",
      "",
    ]);
    await shot(page, "admin-audit");
    expect(errors).toEqual([]);
  });

  it("refuses a reversed date range with a clear page; only admins see the log", async () => {
    const bad = await h.call("GET", "/admin/audit?from=2025-03-24&to=2025-03-01", {
      cookie: `lockdesk_token=${h.tokens.admin}`,
    });
    expect(bad.status).toBe(400);
    const handler = await h.call("GET", "/admin/audit", { cookie: `lockdesk_token=${h.tokens.handler}` });
    expect(handler.status).toBe(403);
  });
});
