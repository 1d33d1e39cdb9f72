// Real Chromium for the browser tests: the Debian package (apt-get install -y chromium; .ci/run installs it),
// driven by playwright-core with an explicit executablePath. Without it the suites are skipped with a clear
// message locally and FAIL under CI (process.env.CI), so a missing browser never passes silently.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const HAS_BROWSER = existsSync(CHROMIUM);
/** Screenshots are kept here as test artefacts (CI uploads the folder). */
export const ARTIFACTS = join(import.meta.dirname, "../../../test-artifacts/e2e");

/** Call at module level of a browser suite: throws under CI without Chromium, else warns; returns "skip?". */
export function requireBrowser(suite: string): boolean {
  if (HAS_BROWSER) return false;
  const msg = `e2e (${suite}): no Chromium at ${CHROMIUM} (install: apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) throw new Error(`${msg} — browser tests cannot run under CI without it`);
  console.warn(`${msg} — skipping the browser tests`);
  return true;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile per run (playwright passes it as --user-data-dir), headless, no network side traffic. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "lockdesk-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Full-page screenshot into test-artifacts/e2e/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Dev login through the real login page; resolves once the landing page for the user's group is shown. */
export async function devLogin(page: Page, base: string, userId: string, password: string, landing: string) {
  await page.goto(`${base}/login`);
  await page.fill("#userId", userId);
  await page.fill("#password", password);
  await page.press("#password", "Enter");
  await page.waitForURL(`${base}${landing}`);
}

/** Collects uncaught page errors and failed responses, so a broken page fails the test with a reason. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => {
    const why = r.failure()?.errorText ?? "";
    // ERR_ABORTED is the page cancelling its own request (a navigation, or an image whose source was replaced, as
    // the viewer does after a decision): not a failure of the server. Refused, reset or timed-out requests count.
    if (why.includes("ERR_ABORTED")) return;
    errors.push(`requestfailed: ${r.method()} ${r.url()} ${why}`);
  });
  return errors;
}
