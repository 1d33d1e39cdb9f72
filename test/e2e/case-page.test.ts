// Browser test of the case page (issue 14) in real Chromium over the API harness, with the resumed half of the
// pipeline real (ValidateCase over the fixture registry → ExecuteAction / SendMail / ParkForReview) and a recording
// mailer, so a decision's consequence can be read in the mail it produced:
// - the registry's facts beside the decision (NAME_MISMATCH: the registered name), buttons that say what happens,
//   the decision bar in view at 1366×768, no serious/critical axe violation, no English code or dotted name;
// - a return with the handler's reasons and message: the sent notice explains those, not the machine's reason;
//   a message with a personnummer is refused;
// - manual entry of an unrecognised document as a 1177-EGEN UNLOCK → four eyes → EXECUTED;
// - a case URL opened in a new tab keeps the session.
// Needs Debian Chromium at /usr/bin/chromium (skipped with a message without it, FAILS under CI).

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvCaregiverList } from "../../shared/adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../../shared/adapters/local/csv-person-registry.ts";
import { executeAction } from "../../shared/use-cases/execute-action.ts";
import { parkCase } from "../../shared/use-cases/park-case.ts";
import { sendMail } from "../../shared/use-cases/send-mail.ts";
import { validateCase } from "../../shared/use-cases/validate-case.ts";
import { validateForm } from "../../shared/use-cases/validate-form.ts";
import { createHarness, FIXTURES, type Harness, nameMismatchCase, PASSWORDS } from "../api/support/harness.ts";
import { RecordingAccountService, RecordingMailer } from "../unit/routine/support.ts";
import { silentLogger } from "../unit/use-cases/fakes.ts";
import { seriousViolations } from "./support/axe.ts";
import { devLogin, requireBrowser, watchErrors } from "./support/browser.ts";
import { ADULT, CHILD, seedCasePageCases } from "./support/case-page-seeds.ts";
import { untranslated } from "./support/page-checks.ts";
import { startUi, type Ui } from "./support/ui.ts";

const skip = requireBrowser("case page");
const SCREENSHOTS = join(import.meta.dirname, "../../docs/screenshots");

describe.skipIf(skip)("case page in a browser", () => {
  let ui: Ui;
  let h: Harness;
  let base: string;
  const mailer = new RecordingMailer();
  const accounts = new RecordingAccountService();

  beforeAll(async () => {
    h = await createHarness();
    const { readFileSync } = await import("node:fs");
    const registry = new CsvPersonRegistry(readFileSync(new URL("../registry/persons.csv", FIXTURES), "utf8"));
    const caregivers = new CsvCaregiverList("name,organisationNumber\n");
    // The resumed half of the state machine, as the ASL routes it.
    h.deps.resumer = async (caseId) => {
      h.resumed.push(caseId);
      const deps = {
        cases: h.cases,
        registry,
        caregivers,
        validate: validateForm,
        clock: h.clock,
        logger: silentLogger,
      };
      const v = await validateCase({ caseId }, deps);
      const mail = { cases: h.cases, mailer, scans: h.scans, clock: h.clock, config: { archiveBucket: "archive" } };
      if (v.route === "EXECUTE") {
        await executeAction({ caseId }, { cases: h.cases, accounts, clock: h.clock, scans: h.scans });
        await sendMail({ caseId, kind: "CONFIRMATION" }, mail);
      }
      if (v.route === "RETURN") await sendMail({ caseId, kind: "RETURN_NOTICE" }, mail);
      if (v.route === "REVIEW") await parkCase({ caseId }, { cases: h.cases, clock: h.clock, logger: silentLogger });
    };
    await seedCasePageCases(h);
    ui = await startUi(h.deps);
    base = ui.base;
  });

  afterAll(async () => {
    await ui?.close();
  });

  async function handlerPage(user: "anna" | "bertil"): Promise<{ page: Page; errors: string[] }> {
    const page = await ui.browser.newPage();
    const errors = watchErrors(page);
    await devLogin(page, base, user, PASSWORDS[user] ?? "", "/queue");
    return { page, errors };
  }

  it("NAME_MISMATCH: the registry's name beside the form's, buttons that state their consequence, the bar in view at 1366×768, axe clean, all Swedish", async () => {
    const { page, errors } = await handlerPage("anna");
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${base}/cases/case-name-mismatch`);
    await expect
      .poll(() => page.evaluate(() => (document.getElementById("scan") as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);

    expect(await page.locator("#registry-name").textContent()).toBe("Saga Nilsson");
    expect(await page.locator("#fact-name").textContent()).toContain("Saga Holm"); // as written on the form
    expect(await page.locator("#facts [data-reason]").first().textContent()).toContain("Namnet stämmer inte");
    // An UNLOCK overriding a name check: the approve button says it goes to a second handler.
    expect(await page.locator("#approve").textContent()).toBe("Föreslå godkännande – går till en andra handläggare");
    expect(await page.locator("#return").textContent()).toContain("returbesked");

    // Decision buttons visible without scrolling.
    for (const id of ["#approve", "#return", "#close"]) {
      const box = await page.locator(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect((box?.y ?? 0) + (box?.height ?? 0), id).toBeLessThanOrEqual(768);
      expect(box?.y ?? -1, id).toBeGreaterThanOrEqual(0);
    }
    // Checkbox right beside its label text.
    const cb = await page.locator('#return-reasons input[value="NOT_VIDIMATED"]').boundingBox();
    const label = await page.locator('#return-reasons label:has(input[value="NOT_VIDIMATED"])').boundingBox();
    expect(cb && label && cb.x - label.x < 10).toBe(true);

    expect(await untranslated(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "case.png"), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("GUARDIAN_MISMATCH lists the registered guardians with the names on the form; LOW_CONFIDENCE names the deciding field and both readings", async () => {
    const { page, errors } = await handlerPage("anna");
    await page.goto(`${base}/cases/case-ws-guardian`);
    const rows = page.locator("#fact-guardians tbody tr");
    expect(await rows.allInnerTexts()).toEqual([
      "19680502-****\tRegistrerad vårdnadshavare\tVårdnadshavare 1: Eva Bergman",
      "19700916-****\tRegistrerad vårdnadshavare\tFinns inte på blanketten",
      "19800103-****\tInte registrerad\tVårdnadshavare 2: Karin Lind",
    ]);
    expect(await page.content()).not.toContain(CHILD.other); // masked only
    const staff = await page.locator("#fact-staff").innerText();
    expect(staff).toContain("Bekräftad: VGR-id och namn stämmer med katalogen (VGR-id perho12).");
    expect(staff).toContain("Namn i katalogen: Per Holm");
    expect(staff).toContain("Barnmottagningen Väst");
    expect(await untranslated(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${base}/cases/case-ws-doubt`);
    expect(await page.locator("#fact-doubtful tbody tr").allInnerTexts()).toEqual([
      "Efternamn\tLindgrem\t31 %\tLindgren",
    ]);
    expect(await page.locator("#registry-name").textContent()).toBe("Britt-Marie Lindgren");
    expect(await untranslated(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("return: the notice sent explains the handler's ticked reason and carries the message; a personnummer in the message is refused", async () => {
    const { page, errors } = await handlerPage("anna");
    await page.goto(`${base}/cases/case-ws-return`);
    // The machine's reason is pre-ticked; the handler returns for another reason instead.
    await page.uncheck('#return-reasons input[value="NAME_MISMATCH"]');
    await page.check('#return-reasons input[value="CAREGIVER_NOT_APPROVED"]');
    expect(await page.locator("#notice-note-warning").textContent()).toContain("inga namn eller personnummer");
    await page.fill("#notice-note", "Ring oss på 010-441 00 00 <om> ni har frågor.");
    await page.click("#return");
    await expect.poll(() => page.locator("#message").textContent()).toContain("Returneras");
    await expect.poll(() => mailer.sent.length).toBe(1);
    const notice = mailer.sent[0];
    expect(notice?.text).toContain("Vårdgivaren som angetts är inte godkänd");
    expect(notice?.text).not.toContain("Namnet på blanketten stämmer inte");
    expect(notice?.text).toContain("Meddelande från handläggaren:");
    expect(notice?.text).toContain("Ring oss på 010-441 00 00 <om> ni har frågor.");
    expect(notice?.html).toContain("&lt;om&gt;"); // handler text is escaped in the HTML part
    expect((await h.cases.get("case-ws-return"))?.status).toBe("RETURNED");

    // Server side: a personnummer-like string in the message is refused (400), nothing is written.
    await h.cases.create(nameMismatchCase("case-ws-return-2"));
    await h.call("POST", "/api/cases/case-ws-return-2/claim", { token: h.tokens.handler });
    const refused = await h.call("POST", "/api/cases/case-ws-return-2/decision", {
      token: h.tokens.handler,
      body: { decision: "RETURN", version: 4, returnReasons: ["NOT_VIDIMATED"], noticeNote: "Gäller 200301092383" },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain("personnummer");
    expect((await h.cases.get("case-ws-return-2"))?.status).toBe("IN_REVIEW");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("manual entry of an unrecognised document: a typed 1177-EGEN UNLOCK needs a second handler, then is EXECUTED", async () => {
    const { page, errors } = await handlerPage("anna");
    await page.goto(`${base}/cases/case-ws-unknown`);
    expect(await page.locator("#approve").isDisabled()).toBe(true);
    await page.selectOption("#entry-form", "1177-EGEN");
    const set = async (label: string, value: string) =>
      page.getByLabel(label, { exact: true }).and(page.locator('[data-entry-form="1177-EGEN"] input')).fill(value);
    const tick = async (label: string) =>
      page.getByLabel(label, { exact: true }).and(page.locator('[data-entry-form="1177-EGEN"] input')).check();
    await tick("Upplåsning");
    await set("Personnummer (ÅÅÅÅMMDD-NNNN)", `${ADULT.pnr.slice(0, 8)}-${ADULT.pnr.slice(8)}`);
    await set("Förnamn", ADULT.given);
    await set("Efternamn", ADULT.surname);
    await set("Ort och datum", "Göteborg 2025-03-20");
    await tick("Invånarens underskrift (underskriven)");
    await tick("Pass");
    await set("Namn", "Olof Söderberg");
    await set("Befattning", "Kurator");
    await set("Vårdmottagning", "Kvinnokliniken Skövde");
    await set("Vårdgivare", "Västra Götalandsregionen");
    await set("VGR-ID", "oloso758");
    await set("Telefon", "0500-42 96 73");
    await set("E-post", "olof.soderberg@vgregion.se");
    await set("Datum", "2025-03-20");
    await tick("Underskrift (underskriven)");
    await page.click("#entry-submit");
    await expect.poll(() => page.locator("#message").textContent()).toContain("Blanketten är registrerad");

    // Validated as usual: complete, but a handler's UNLOCK needs two handlers → parked.
    await expect.poll(async () => (await h.cases.get("case-ws-unknown"))?.status).toBe("IN_REVIEW");
    expect(accounts.calls).toEqual([]);
    await page.reload();
    expect(await page.locator("#four-eyes-required").textContent()).toContain("Två handläggare krävs");
    expect(await page.locator("#approve").textContent()).toBe("Föreslå godkännande – går till en andra handläggare");
    await page.click("#approve");
    await expect.poll(() => page.locator("#message").textContent()).toContain("Väntar på andra handläggare");
    expect(accounts.calls).toEqual([]);

    const second = await handlerPage("bertil");
    await second.page.goto(`${base}/cases/case-ws-unknown`);
    expect(await second.page.locator("#proposed-by").textContent()).toBe("Anna H");
    await second.page.click("#second-approve");
    await expect.poll(() => second.page.locator("#message").textContent()).toContain("Godkänt av två handläggare");
    await expect.poll(async () => (await h.cases.get("case-ws-unknown"))?.status).toBe("EXECUTED");
    const done = await h.cases.get("case-ws-unknown");
    expect(done?.formCode).toBe("1177-EGEN");
    expect(done?.action).toBe("UNLOCK");
    expect(accounts.calls).toEqual([`unlock ${ADULT.pnr} case-ws-unknown`]);

    // The finished case reads in Swedish: status, history with names and local times.
    await second.page.reload();
    expect(await second.page.locator("#status").textContent()).toBe("Utförd");
    const history = await second.page.locator(".history").innerText();
    expect(history).toContain("Anna H: Blanketten registrerad för hand (1177-EGEN)");
    expect(history).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} Bertil H: Godkände förslaget/);
    expect(await untranslated(second.page)).toEqual([]);
    expect([...errors, ...second.errors]).toEqual([]);
    await page.close();
    await second.page.close();
  });

  it("viewer: an upside-down scan is shown upright (the box overlay turns with it); zoom; page 2 of a two-page PDF", async () => {
    const { page, errors } = await handlerPage("anna");
    await page.goto(`${base}/cases/case-ws-upside-down`);
    await expect
      .poll(() => page.evaluate(() => (document.getElementById("scan") as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    expect(await page.locator("#scan-wrap").getAttribute("data-rotation")).toBe("180");
    // The surname box (raw page pixels, lower part of the upside-down page) is drawn where the upright form has it:
    // in the upper half of the shown image.
    await page.locator('input[data-field="citizen.surname"]').focus();
    await expect.poll(() => page.locator("#highlight").isVisible()).toBe(true);
    const hl = await page.locator("#highlight").boundingBox();
    const shown = await page.locator("#scan").boundingBox();
    expect(hl && shown && hl.y > shown.y && hl.y + hl.height < shown.y + shown.height / 2).toBe(true);
    await page.click("#zoom-in");
    expect(await page.locator("#zoom-level").textContent()).toBe("125 %");
    const zoomed = await page.locator("#scan").boundingBox();
    expect((zoomed?.width ?? 0) / (shown?.width ?? 1)).toBeCloseTo(1.25, 1);

    await page.goto(`${base}/cases/case-ws-two-pages`);
    const width = () => page.evaluate(() => (document.getElementById("scan") as HTMLImageElement).naturalWidth);
    await expect.poll(width).toBeGreaterThan(0);
    const first = await width();
    expect(await page.locator("#page-label").textContent()).toBe("Sida 1 av 2");
    await page.click("#page-next");
    await expect.poll(() => page.locator("#page-label").textContent()).toBe("Sida 2 av 2");
    await expect.poll(width).not.toBe(first);
    expect(await page.locator("#page-next").isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("phone call form with visible labels: the list shows the saved call at once; the focus outline has ≥ 3:1 contrast", async () => {
    const { page, errors } = await handlerPage("anna");
    await page.goto(`${base}/cases/case-ws-two-pages`);
    await page.getByLabel("Namn på den du talade med").fill("Olof Söderberg");
    await page.getByLabel("Telefonnummer").fill("0500-42 96 73");
    await page.getByLabel("Utfall").selectOption("VERIFIED");
    await page.click("#phone-form button[type=submit]");
    await expect.poll(() => page.locator("#message").textContent()).toBe("Samtalet är sparat.");
    const items = await page.locator("#phone-list li").allInnerTexts();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}: Olof Söderberg, 0500-42 96 73 – Verifierad \(Anna H\)$/);

    // Keyboard focus on a decision button: outline colour against the bar's background.
    await page.locator("#save").focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    const ratio = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      const lum = (c: string) => {
        const [r = 0, g = 0, b = 0] = rgb(c).map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const outline = getComputedStyle(el).outlineColor;
      const bg = getComputedStyle(document.getElementById("decision-bar") as HTMLElement).backgroundColor;
      const [a, b] = [lum(outline), lum(bg)].sort((x, y) => y - x);
      return { id: el.id, style: getComputedStyle(el).outlineStyle, ratio: ((a ?? 0) + 0.05) / ((b ?? 0) + 0.05) };
    });
    expect(ratio.id).toBe("save");
    expect(ratio.style).toBe("solid");
    expect(ratio.ratio).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a case URL opened in a new tab keeps the session (the first tab stays signed in)", async () => {
    const { page, errors } = await handlerPage("anna");
    const tab = await ui.browser.newPage();
    const tabErrors = watchErrors(tab);
    await tab.goto(`${base}/cases/case-name-mismatch`);
    expect(tab.url()).toBe(`${base}/cases/case-name-mismatch`);
    // The page's own API calls work in the new tab (the scan comes through the API with the token).
    await expect
      .poll(() => tab.evaluate(() => (document.getElementById("scan") as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    expect(tab.url()).toBe(`${base}/cases/case-name-mismatch`);
    await page.goto(`${base}/cases/case-name-mismatch`);
    await expect
      .poll(() => page.evaluate(() => (document.getElementById("scan") as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    expect(page.url()).toBe(`${base}/cases/case-name-mismatch`);
    expect([...errors, ...tabErrors]).toEqual([]);
    await tab.close();
    await page.close();
  });
});
