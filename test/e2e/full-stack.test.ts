// Issue 5 "Done when", handler half: real Chromium against the REAL local stack (emulators, THE ASL file, the real
// handlers with tesseract.js OCR, the API/UI on a free port). sample-18 (ground truth: REVIEW, NAME_MISMATCH) is
// dropped into the inbox, parks IN_REVIEW; a handler logs in, opens it from the queue, corrects the name to the
// registry's name for the sample's personnummer, approves with the keyboard (a proposal: four eyes for an override
// of NAME_MISMATCH and a handler's UNLOCK), a second handler approves it, and the resumed execution takes the
// case to EXECUTED: the simulated account is unlocked and the confirmation mail is captured by the SES emulator.
// Screenshots of every step go to test-artifacts/e2e/full-stack-*.png.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulatedAccountService } from "../../shared/adapters/local/simulated-account-service.ts";
import type { CaseRecord } from "../../shared/domain/case.ts";
import { statusText } from "../../web/texts.ts";
import { capturedMails, dropIntoInbox, sampleClock, subjectOf, truth } from "../local/helpers.ts";
import { type Browser, devLogin, launchBrowser, requireBrowser, shot, watchErrors } from "./support/browser.ts";
import { bootStack, DEV_USERS, type E2eStack, isStatus, registryPerson, waitForCase } from "./support/stack.ts";

const SAMPLE = "sample-18";
const skip = requireBrowser("full-stack");

describe.skipIf(skip)("handler approves a NAME_MISMATCH case in the real local stack", () => {
  const t = truth(SAMPLE);
  const pnr = subjectOf(t);
  const registry = registryPerson(pnr);
  let e2e: E2eStack;
  let browser: Browser;
  let ddb: DynamoDBClient;
  let accounts: SimulatedAccountService;
  let parked: CaseRecord;

  beforeAll(async () => {
    expect(t.decision).toBe("REVIEW");
    expect(t.reasons).toContain("NAME_MISMATCH");
    expect(t.action).toBe("UNLOCK");
    e2e = await bootStack("full", sampleClock());
    ddb = new DynamoDBClient({ endpoint: e2e.stack.endpoints.dynamodb, region: e2e.stack.endpoints.region });
    accounts = new SimulatedAccountService(ddb, e2e.stack.names.accountsTable);
    // The citizen's account was locked by an earlier case, so the unlock form has something to undo.
    expect(await accounts.lock(pnr, "earlier-lock-case")).toBe("LOCKED");
    browser = await launchBrowser();
    dropIntoInbox(e2e.inbox, [SAMPLE]);
    parked = await waitForCase(
      e2e.stack,
      (c) => c.scan?.fileName === t.file,
      isStatus("IN_REVIEW", "EXECUTED", "RETURNED", "CLOSED", "FAILED", "AWAITING_MANUAL_EXECUTION"),
      `${SAMPLE} to leave the pipeline`,
    );
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    ddb?.destroy();
    await e2e?.stop();
  });

  it("parks the dropped scan IN_REVIEW with NAME_MISMATCH and its receipt date", () => {
    expect({ status: parked.status, decision: parked.decision, reasons: parked.reasons }).toEqual({
      status: "IN_REVIEW",
      decision: "REVIEW",
      reasons: ["NAME_MISMATCH"],
    });
    expect(parked.receivedDate).toBe(t.receivedDate);
  });

  it("log in, open from the queue, correct the name, approve with 'a' → EXECUTED, account unlocked, mail sent", async () => {
    const base = e2e.apiUrl;
    const page = await browser.context.newPage();
    const errors = watchErrors(page);

    await page.goto(`${base}/queue`);
    await page.waitForURL(`${base}/login`); // anonymous → login page
    await shot(page, "full-stack-1-login");
    await devLogin(page, base, DEV_USERS.handler.userId, DEV_USERS.handler.password, "/queue");
    const row = page.locator("tr", { hasText: parked.caseId });
    await expect.poll(() => row.locator("td.pnr").textContent()).toBe(`${pnr.slice(0, 8)}-****`);
    expect(await page.content()).not.toContain(pnr);
    await shot(page, "full-stack-2-queue");

    await row.locator(`a[href="/cases/${parked.caseId}"]`).click();
    await page.waitForURL(`${base}/cases/${parked.caseId}`);
    // The scan comes from s3rver through the API as a PNG.
    await expect
      .poll(() => page.evaluate(() => (document.getElementById("scan") as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(500);
    await shot(page, "full-stack-3-case");

    // Correct the name fields to the registry's name (dirty fields only are sent as corrections).
    const surname = page.locator('input[data-field="citizen.surname"]');
    const given = page.locator('input[data-field="citizen.givenName"]');
    const readSurname = await surname.inputValue();
    expect(readSurname).not.toBe(registry.surname); // the mismatch the handler has to fix
    await surname.focus();
    await surname.fill(registry.surname);
    if ((await given.count()) > 0 && (await given.inputValue()) !== registry.givenNames.split(" ")[0]) {
      await given.fill(registry.givenNames.split(" ")[0] ?? "");
    }
    await shot(page, "full-stack-4-corrected");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Alt+g"); // shortcuts need a modifier (WCAG 2.1.4)
    await expect.poll(() => page.locator("#message").textContent()).toContain("Väntar på andra handläggare");
    await shot(page, "full-stack-5-proposed");

    // Four eyes: a second handler approves the proposal.
    const second = await browser.context.newPage();
    const secondErrors = watchErrors(second);
    await devLogin(second, base, DEV_USERS.handler2.userId, DEV_USERS.handler2.password, "/queue");
    await second.goto(`${base}/cases/${parked.caseId}`);
    await second.click("#second-approve");
    await expect.poll(() => second.locator("#message").textContent()).toContain("Godkänt av två handläggare");
    await shot(second, "full-stack-5b-second-approval");
    expect(secondErrors).toEqual([]);

    // The decision resumes the case on THE definition in the local runner: ValidateCase → EXECUTE → … → archive.
    const done = await waitForCase(
      e2e.stack,
      (c) => c.caseId === parked.caseId,
      (c) => isStatus("EXECUTED", "RETURNED", "CLOSED", "FAILED", "AWAITING_MANUAL_EXECUTION")(c) && !!c.archive,
      `${parked.caseId} to finish after approval`,
      300_000,
    );
    expect(done.status).toBe("EXECUTED");
    expect(done.corrections["citizen.surname"]).toBe(registry.surname);
    expect(done.handlerDecision).toMatchObject({
      by: "user:anna",
      decision: "APPROVE",
      secondApprover: { by: "user:bertil" },
    });
    expect(done.execution?.result).toBe("UNLOCKED");
    expect(await accounts.status(pnr)).toMatchObject({ locked: false });

    // One confirmation, recorded on the case and captured by the SES emulator, without the full personnummer.
    const confirmations = (done.mails ?? []).filter((m) => m.kind === "CONFIRMATION");
    expect(confirmations).toHaveLength(1);
    const mails = await capturedMails(e2e.stack.endpoints.sesStore);
    const captured = mails.filter((m) => m.messageId === confirmations[0]?.messageId);
    expect(captured).toHaveLength(1);
    expect(captured[0]?.destination.to).toContain(String(t.fields["requester.email"]));
    const text = `${captured[0]?.subject ?? ""}${captured[0]?.body.text ?? ""}${captured[0]?.body.html ?? ""}`;
    expect(text).not.toContain(pnr);

    // The page shows the new state after a reload (the case is no longer open for decisions).
    await page.reload();
    await expect.poll(() => page.locator("#status").textContent()).toBe(statusText("EXECUTED"));
    await shot(page, "full-stack-6-executed");
    expect(errors).toEqual([]);
  }, 600_000);
});
