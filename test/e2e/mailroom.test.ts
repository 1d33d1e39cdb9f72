// Issue 5 "Done when", mail room half: real Chromium against the REAL local stack. The mail room user logs in,
// picks two scans in the page's file input (the drop zone feeds the same upload), the browser PUTs them straight
// to s3rver with presigned URLs (cross-origin: the bucket's CORS, path-style URL, the signed received-date
// header), the S3 events start the pipeline, and the page shows both files with their case ids and statuses —
// and no personal data. Screenshots go to test-artifacts/e2e/mailroom-*.png.
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PREFIXES } from "../../infra/config.ts";
import { swedishDate } from "../../local/inbox.ts";
import { SCANS, subjectOf, truth } from "../local/helpers.ts";
import { type Browser, devLogin, launchBrowser, requireBrowser, shot, watchErrors } from "./support/browser.ts";
import { bootStack, DEV_USERS, type E2eStack, registryPerson, waitForCase } from "./support/stack.ts";

const SAMPLES = ["sample-01", "sample-05"];
/** The statuses in the mail room's words (never the raw codes). */
const MAILROOM_STATUS: Record<string, string> = {
  RECEIVED: "Mottagen",
  READ: "Läst",
  IN_REVIEW: "Hos handläggare",
  AWAITING_SECOND_APPROVAL: "Hos handläggare",
  APPROVED: "Godkänd",
  EXECUTING: "Utförs",
  AWAITING_MANUAL_EXECUTION: "Väntar på manuell åtgärd",
  EXECUTED: "Utförd",
  RETURNED: "Returnerad",
  CLOSED: "Avslutad",
  FAILED: "Fel – hos handläggare",
};
/** The envelopes' receipt date the mail room enters: two days ago (within the 14-day window, not today). */
const RECEIVED = swedishDate(new Date(Date.now() - 2 * 86_400_000));
const skip = requireBrowser("mailroom");

describe.skipIf(skip)("mail room uploads scans in the real local stack", () => {
  let e2e: E2eStack;
  let browser: Browser;

  beforeAll(async () => {
    e2e = await bootStack("mailroom");
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await e2e?.stop();
  });

  it("uploads two files through the file input; both are registered and shown with case id and status", async () => {
    const base = e2e.apiUrl;
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await devLogin(page, base, DEV_USERS.mailroom.userId, DEV_USERS.mailroom.password, "/mailroom");
    await page.fill("#receivedDate", RECEIVED);
    await page.dispatchEvent("#receivedDate", "change");
    await shot(page, "mailroom-1-empty");

    const files = SAMPLES.map((id) => `${SCANS}/${truth(id).file}`);
    await page.setInputFiles("#files", files);

    // Each upload row gets its case id once RegisterCase ran on the S3 event (the page polls the intake).
    const rows = page.locator("#uploads tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    // The PUTs to s3rver finish first (a failed PUT shows "misslyckades": fail here, with the browser's errors).
    for (const id of SAMPLES) {
      const status = page
        .locator("#uploads tbody tr", { hasText: truth(id).file })
        .locator("td")
        .nth(3);
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).not.toBe("laddar upp");
      expect(await status.textContent(), `${id} upload; browser errors: ${errors.join("; ")}`).not.toBe("misslyckades");
    }
    for (const id of SAMPLES) {
      const row = page.locator("#uploads tbody tr", { hasText: truth(id).file });
      await expect
        .poll(() => row.locator("td").nth(2).textContent(), { timeout: 120_000, interval: 1000 })
        .toMatch(/^C-[A-Z0-9]+$/);
    }
    await shot(page, "mailroom-2-uploaded");

    // The objects landed in incoming/<date>/ with the signed receipt date, and each has exactly one case.
    const all = await e2e.stack.cases.listAll();
    for (const id of SAMPLES) {
      const file = truth(id).file;
      const row = page.locator("#uploads tbody tr", { hasText: file });
      const caseId = (await row.locator("td").nth(2).textContent()) ?? "";
      const c = all.find((x) => x.caseId === caseId);
      expect(c, `${id}: case ${caseId} in the store`).toBeDefined();
      expect(c?.scan?.key.startsWith(`${PREFIXES.incoming}${RECEIVED}/`)).toBe(true);
      expect(c?.scan?.key.endsWith(file)).toBe(true);
      // The receipt date the mail room typed (not today) came through the object's metadata into the case, with
      // who set it; the arrival date is kept beside it.
      expect(c?.receivedDate).toBe(RECEIVED);
      expect(c?.claimedReceivedDate).toEqual({ date: RECEIVED, by: `user:${DEV_USERS.mailroom.userId}` });
      expect(c?.arrivalDate).toBe(swedishDate(new Date()));
      // The object itself may already be archived (ArchiveScan deletes it from incoming/ after a verified copy).
      const head = await e2e.stack.s3
        .send(new HeadObjectCommand({ Bucket: e2e.stack.names.scansBucket, Key: c?.scan?.key ?? "" }))
        .catch((e: Error) => e);
      if (head instanceof Error) {
        expect(head.name, `${id}: incoming object gone only because it was archived`).toMatch(/NotFound|NoSuchKey/);
        const archived = await waitForCase(
          e2e.stack,
          (x) => x.caseId === caseId,
          (x) => x.archive !== undefined,
          `${id} archived`,
        );
        expect(archived.archive?.scanKey).toContain(caseId);
      } else {
        expect(head.Metadata?.["received-date"]).toBe(RECEIVED);
      }
      // The intake list (the day's arrivals) shows the same case with a status in Swedish.
      const intakeRow = page.locator("#intake tbody tr", { hasText: caseId });
      await expect.poll(() => intakeRow.count(), { timeout: 30_000 }).toBe(1);
      const cells = await intakeRow.locator("td").allTextContents();
      // The file name as the mail room chose it: without the upload's uuid prefix.
      expect(cells[0], `intake row ${cells.join(" | ")}`).toBe(file);
    }
    expect(all.filter((c) => SAMPLES.some((id) => c.scan?.fileName.endsWith(truth(id).file)))).toHaveLength(2);

    // Let the pipeline read the forms (the intake then knows more about them) and check the page again:
    // the mail room never sees a personnummer or a name, masked or not.
    const finished = new Map<string, string>();
    for (const id of SAMPLES) {
      const c = await waitForCase(
        e2e.stack,
        (x) => x.scan?.fileName.endsWith(truth(id).file) === true,
        (x) => !["RECEIVED", "READ", "APPROVED", "EXECUTING"].includes(x.status),
        `${id} to finish the pipeline`,
      );
      finished.set(c.caseId, c.status);
    }
    await page.reload();
    await page.fill("#receivedDate", RECEIVED);
    await page.dispatchEvent("#receivedDate", "change");
    await expect.poll(() => page.locator("#intake tbody tr").count(), { timeout: 30_000 }).toBe(2);
    for (const [caseId, status] of finished) {
      const cells = await page.locator("#intake tbody tr", { hasText: caseId }).locator("td").allTextContents();
      expect(cells[0], caseId).not.toMatch(/^[0-9a-f]{8}-/i);
      expect(cells[1], caseId).toBe(RECEIVED); // the receipt date entered; the row is listed as today's arrival
      expect(cells[3], caseId).toBe(MAILROOM_STATUS[status] ?? `(no Swedish text for ${status})`);
    }
    await shot(page, "mailroom-3-processed");

    const text = (await page.locator("body").innerText()) + (await page.content());
    for (const id of SAMPLES) {
      const pnr = subjectOf(truth(id));
      expect(text).not.toContain(pnr);
      expect(text).not.toContain(`${pnr.slice(0, 8)}-****`);
      const person = registryPerson(pnr);
      expect(text).not.toContain(person.surname);
      for (const given of person.givenNames.split(" ")) expect(text).not.toContain(given);
    }
    expect(text).not.toMatch(/\b(19|20)\d{6}[-+]?\d{4}\b/);
    expect(errors).toEqual([]);
  }, 900_000);

  it("a receipt date more than 14 days back is refused with a Swedish message; nothing is uploaded", async () => {
    const page = await browser.context.newPage();
    await devLogin(page, e2e.apiUrl, DEV_USERS.mailroom.userId, DEV_USERS.mailroom.password, "/mailroom");
    const old = swedishDate(new Date(Date.now() - 20 * 86_400_000));
    await page.fill("#receivedDate", old);
    await page.dispatchEvent("#receivedDate", "change");
    const before = (await e2e.stack.cases.listAll()).length;
    await page.setInputFiles("#files", [`${SCANS}/${truth("sample-01").file}`]);
    // The refusal is shown on the page (a status line read by screen readers), in Swedish, with the server's reason.
    const message = page.locator("#upload-message");
    await message.filter({ hasText: "Ankomstdatumet" }).waitFor({ timeout: 30_000 });
    expect(await message.textContent()).toMatch(
      new RegExp(`^Uppladdningen kunde inte starta: Ankomstdatumet ${old} är mer än 14 dagar gammalt`),
    );
    expect(await page.locator("#uploads tbody tr").count()).toBe(0);
    await e2e.stack.idle();
    expect((await e2e.stack.cases.listAll()).length).toBe(before);
  }, 120_000);
});
