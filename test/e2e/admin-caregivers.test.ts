// Browser test (real Chromium) of caregiver-list publishing: Excel's Swedish semicolon CSV in Windows-1252 is
// previewed (added, removed, changed with organisation numbers) and published only after "Bekräfta och publicera";
// the upload that replaced all eight caregivers with one duplicated name is refused with a Swedish reason; the
// history says what changed; a rollback (confirmed) makes the first version current again. Axe and Swedish only.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, PASSWORDS } from "../api/support/harness.ts";
import { expectAccessible } from "./support/axe.ts";
import { devLogin, requireBrowser, shot, watchErrors } from "./support/browser.ts";
import { readmeShot, untranslated } from "./support/page-checks.ts";
import { startUi, type Ui } from "./support/ui.ts";

const skip = requireBrowser("caregiver publishing");

/** As Excel in Swedish saves "CSV (semikolonavgränsad)": ";" and Windows-1252 (å, ä, ö as single bytes). */
const EXCEL_CSV = Buffer.from(
  [
    "Namn;Organisationsnummer",
    "Hälsokällan Vårdcentral AB;556712-3400",
    "Bräcke Läkarpraktik AB;556823-4511",
    "Närvården Älvängen AB;559012-3450",
    "Familjeläkarna i Mölndal AB;556634-5673",
    "Kvinnohälsan Väst AB;559134-5680",
    "Psykiatripartner Göteborg AB;556945-6790",
    "Vårdcentralen Kärra Hälsa Ny AB;556456-7807", // renamed
    "Ödsmåls Vårdcentral AB;559300-1234", // added; Läkarhuset Åby AB removed
  ].join("\r\n"),
  "latin1",
);
const DUPLICATED = "name,organisationNumber\nBräcke Läkarpraktik AB,556823-4511\nBräcke Läkarpraktik AB,556823-4511\n";

describe.skipIf(skip)("caregiver-list publishing in a browser", () => {
  let ui: Ui | undefined;
  let browser: BrowserContext;
  let h: Harness;
  let base: string;

  beforeAll(async () => {
    h = await createHarness();
    ui = await startUi(h.deps);
    ({ base, browser } = ui);
  });

  afterAll(async () => {
    await ui?.close();
  });

  async function upload(page: Page, name: string, buffer: Buffer) {
    await page.setInputFiles("#caregivers-file", { name, mimeType: "text/csv", buffer });
    await page.click("#caregivers-form button[type=submit]");
  }

  it("preview → confirm → history → rollback; duplicates refused; semicolon Windows-1252 CSV", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await devLogin(page, base, "admin", PASSWORDS.admin ?? "", "/queue");
    await page.goto(`${base}/admin/caregivers`);
    const first = (await h.caregivers.current()).version;
    expect(await page.locator("#caregiver-list tbody tr").count()).toBe(8);
    expect(await page.locator("#caregiver-list").textContent()).toContain("559256-7811");

    // The upload that replaced every caregiver with one duplicated name: refused, nothing published.
    await upload(page, "fel.csv", Buffer.from(DUPLICATED));
    await expect
      .poll(() => page.locator("#message").textContent())
      .toBe("Listan kan inte publiceras: Rad 3: namnet finns redan på rad 2.");
    expect(await page.locator("#preview").isHidden()).toBe(true);

    // Excel's semicolon CSV: the preview shows the difference, and nothing is published until confirmed.
    await upload(page, "vårdgivare.csv", EXCEL_CSV);
    await expect.poll(() => page.locator("#preview").isVisible()).toBe(true);
    expect(await page.locator("#preview-summary").textContent()).toBe(
      "8 vårdgivare i den nya listan: 1 tillagda, 1 borttagna, 1 ändrade, 6 oförändrade.",
    );
    expect(await page.locator("#preview-diff li").allTextContents()).toEqual([
      "Tillagd: Ödsmåls Vårdcentral AB (559300-1234)",
      "Borttagen: Läkarhuset Åby AB (559256-7811)",
      "Ändrad: Vårdcentralen Kärra Hälsa AB (556456-7807) → Vårdcentralen Kärra Hälsa Ny AB (556456-7807)",
    ]);
    expect((await h.caregivers.current()).version).toBe(first);
    expect(await untranslated(page)).toEqual([]);
    await expectAccessible(page, "the caregivers page with a preview");
    await shot(page, "caregivers-preview");
    await page.click("#publish-confirm");
    await page.waitForEvent("load");
    const second = (await h.caregivers.current()).version;
    expect(second).not.toBe(first);
    expect((await h.caregivers.current()).names).toContain("Ödsmåls Vårdcentral AB");
    expect(await page.locator("#caregiver-list").textContent()).toContain("559300-1234");

    // The history says what changed (newest first), with the admin's name and local time.
    const newest = page.locator("#caregiver-history tbody tr").first();
    expect(await newest.textContent()).toContain("Tillagd: Ödsmåls Vårdcentral AB (559300-1234)");
    expect(await newest.textContent()).toContain("Admin A");
    expect(await page.locator("#caregiver-history").textContent()).not.toMatch(/[0-9a-f]{12}/);

    // Rollback to the first version, after an explicit confirmation.
    const older = page.locator(`#caregiver-history tr[data-version="${first}"]`);
    await older.locator("button.rollback").click();
    await older.locator("button.rollback-confirm").click();
    await page.waitForEvent("load");
    expect((await h.caregivers.current()).version).toBe(first);
    expect(await page.locator("#caregiver-history tbody tr").first().textContent()).toContain(
      "Återställning till en tidigare version.",
    );
    expect(await page.locator("#caregiver-history tbody tr").first().textContent()).toContain(
      "Tillagd: Läkarhuset Åby AB (559256-7811)",
    );
    const audited = (await h.audit.byCase("caregiver-list")).map((e) => e.action);
    expect(audited).toEqual(["PUBLISH_CAREGIVER_LIST", "ROLLBACK_CAREGIVER_LIST"]);
    expect(await untranslated(page)).toEqual([]);
    await expectAccessible(page, "the caregivers page");
    await readmeShot(page, "caregivers");
    expect(errors).toEqual([]);
  });
});
