// Browser test of the pages issue 11 changed, on the API over in-memory stores (like handler-review):
// an unreadable scan shows its reason and the original downloads (through a presigned link from the real signer, off
// a real s3rver holding the file); the queue lists urgent actions awaiting their
// paper and the cases in the pipeline; the mail room's intake list says why a file failed and asks for a rescan.
// Needs Debian Chromium at /usr/bin/chromium: without it the test is skipped with a message, and FAILS under CI.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3UploadSigner } from "../../functions/api/s3-upload-signer.ts";
import { type Emulators, startEmulators } from "../../local/emulators.ts";
import { BUCKET, type Harness, makeCase, PASSWORDS } from "../api/support/harness.ts";
import { UNREADABLE, withUnreadableCase } from "../api/support/unreadable.ts";
import { devLogin, requireBrowser, shot, watchErrors } from "./support/browser.ts";
import { startUi, type Ui } from "./support/ui.ts";

const skip = requireBrowser("guarantees");

describe.skipIf(skip)("issue 11 pages in a browser", () => {
  let ui: Ui | undefined;
  let browser: BrowserContext;
  let h: Harness;
  let base: string;
  let urgentId: string;
  let emulators: Emulators | undefined;
  const s3Dir = mkdtempSync(join(tmpdir(), "lockdesk-guarantees-s3-"));

  beforeAll(async () => {
    h = await withUnreadableCase();
    // The original lives in a real S3 emulator too, and the API signs real links to it.
    emulators = await startEmulators({ dataDir: s3Dir, buckets: [BUCKET] });
    const s3 = new S3Client({
      endpoint: emulators.endpoints.s3,
      region: emulators.endpoints.region,
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: UNREADABLE.key, Body: UNREADABLE.bytes }));
    h.deps.signer = new S3UploadSigner(s3);
    await h.cases.create(makeCase({ caseId: "case-in-pipeline", status: "APPROVED", decision: "REVIEW" }));
    const urgent = await h.call("POST", "/api/cases", {
      token: h.tokens.handler,
      body: { formCode: "1177-EGEN", action: "LOCK", fields: {}, note: "Invånaren ringde" },
    });
    urgentId = urgent.json.case.caseId;
    ui = await startUi(h.deps);
    ({ base, browser } = ui);
  });

  afterAll(async () => {
    await ui?.close();
    await emulators?.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  });

  async function handlerPage(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await devLogin(page, base, "anna", PASSWORDS.anna ?? "", "/queue");
    return { page, errors };
  }

  it("the queue lists urgent actions awaiting their paper and the cases in the pipeline", async () => {
    const { page, errors } = await handlerPage();
    await expect.poll(() => page.locator("#follow-up-list").textContent()).toContain(urgentId);
    expect(await page.locator("#in-progress-list").textContent()).toContain("case-in-pipeline");
    expect(await page.locator("#in-progress-list").textContent()).toContain("Godkänd – körs");
    const row = page.locator("table.queue tr", { hasText: UNREADABLE.caseId }).first();
    expect(await row.textContent()).toContain("Filen kunde inte läsas: Filen är inte en bild eller PDF");
    await shot(page, "guarantees-1-queue");
    await page.goto(`${base}/cases/${encodeURIComponent(urgentId)}`);
    expect(await page.locator("#follow-up").textContent()).toContain("brådskande åtgärd utan blankett");
    expect(errors).toEqual([]);
  });

  it("an unreadable scan: the reason on the page, the viewer's message, and the original downloads", async () => {
    const { page, errors } = await handlerPage();
    await page.goto(`${base}/cases/${UNREADABLE.caseId}`);
    expect(await page.locator("#unreadable-reason").textContent()).toBe(
      "Filen är inte en bild eller PDF (PNG, JPEG, TIFF eller PDF).",
    );
    expect(await page.locator("#no-image").textContent()).toContain("filen kunde inte läsas");
    expect(await page.locator("#scan").count()).toBe(0);
    await shot(page, "guarantees-2-unreadable");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-original")]);
    expect(download.suggestedFilename()).toBe(UNREADABLE.fileName);
    const path = await download.path();
    expect([...new Uint8Array(readFileSync(path))]).toEqual([...UNREADABLE.bytes]);
    expect(errors).toEqual([]);
  });

  it("the mail room sees why the file failed and is asked to scan it again", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await devLogin(page, base, "post", PASSWORDS.post ?? "", "/mailroom");
    const row = page.locator("#intake tbody tr", { hasText: UNREADABLE.caseId });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const cells = await row.locator("td").allTextContents();
    expect(cells[3]).toBe("Hos handläggare"); // columns: file, receipt date, case, status, message
    expect(cells[4]).toBe(
      "Filen är inte en bild eller PDF (PNG, JPEG, TIFF eller PDF). Skanna blanketten igen och ladda upp den på nytt.",
    );
    await shot(page, "guarantees-3-mailroom");
    expect(errors).toEqual([]);
  });
});
