// Browser test (real Chromium) of the mail room page over the API harness (no OCR): "Dagens inkomna" shows what
// arrived today whatever receipt date was entered; a .docx dropped in is refused on the page with a Swedish reason;
// a file the pipeline could not read shows why; Swedish only; no serious/critical axe violation.
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUCKET, createHarness, type Harness, makeCase, PASSWORDS } from "../api/support/harness.ts";
import { expectAccessible } from "./support/axe.ts";
import { devLogin, requireBrowser, shot, watchErrors } from "./support/browser.ts";
import { untranslated } from "./support/page-checks.ts";
import { startUi, type Ui } from "./support/ui.ts";

const skip = requireBrowser("mail room today");

describe.skipIf(skip)("the mail room page in a browser", () => {
  let ui: Ui | undefined;
  let browser: BrowserContext;
  let h: Harness;
  let base: string;

  beforeAll(async () => {
    h = await createHarness(); // today: 2025-03-24 (Stockholm)
    await h.cases.create(
      makeCase({
        caseId: "case-today-old-stamp",
        receivedAt: "2025-03-24T08:30:00.000Z",
        receivedDate: "2025-03-19",
        scan: { bucket: BUCKET, key: "incoming/2025-03-19/u-kuvert-19mars.png", fileName: "kuvert-19mars.png" },
      }),
    );
    await h.cases.create(
      makeCase({
        caseId: "case-yesterday",
        receivedAt: "2025-03-23T12:00:00.000Z",
        receivedDate: "2025-03-24",
        scan: { bucket: BUCKET, key: "incoming/2025-03-24/igar.png", fileName: "igar.png" },
      }),
    );
    ui = await startUi(h.deps);
    ({ base, browser } = ui);
  });

  afterAll(async () => {
    await ui?.close();
  });

  it("today's arrivals, a refused .docx with its reason, an unreadable file's reason; accessible and Swedish", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await devLogin(page, base, "post", PASSWORDS.post ?? "", "/mailroom");
    const intake = page.locator("#intake tbody tr");
    await expect.poll(() => intake.count()).toBe(3);
    const text = await page.locator("#intake").textContent();
    expect(text).toContain("kuvert-19mars.png");
    expect(text).toContain("2025-03-19");
    expect(text).not.toContain("igar.png"); // stamped today, but it arrived yesterday
    // The empty file the pipeline could not read: the reason and the request to scan it again.
    const failed = await page.locator("#intake tbody tr", { hasText: "case-failed" }).locator("td").allTextContents();
    expect(failed[4]).toContain("Skanna blanketten igen");
    // Changing the receipt date does not change "today's" list.
    await page.fill("#receivedDate", "2025-03-19");
    await page.dispatchEvent("#receivedDate", "change");
    await expect.poll(() => intake.count()).toBe(3);

    await page.setInputFiles("#files", {
      name: "följebrev.docx",
      mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      buffer: Buffer.from("PK not a scan"),
    });
    const refused = page.locator("#uploads tr.refused");
    await expect.poll(() => refused.count()).toBe(1);
    expect(await refused.locator("td").allTextContents()).toEqual([
      "följebrev.docx",
      "–",
      "–",
      "Avvisad: Filtypen .docx stöds inte. Skanna blanketten som PNG, JPEG, TIFF eller PDF.",
    ]);
    expect(await page.locator("#upload-message").textContent()).toBe("Inga filer laddades upp: filtypen stöds inte.");
    expect(h.signer.calls).toEqual([]);
    await shot(page, "mailroom-today");
    expect(await untranslated(page)).toEqual([]);
    await expectAccessible(page, "the mail room page");
    expect(errors).toEqual([]);
  });
});
