// Checks every workspace page test makes: no English status word or dotted technical field name in the text a
// person sees, and the README screenshot (1366×768, viewport only so it stays small; overwritten on each run).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";

/** Status, decision and action codes that must never reach a person's eyes untranslated. */
export const ENGLISH_CODES =
  /\b(RECEIVED|IN_REVIEW|AWAITING_[A-Z_]+|APPROVED|EXECUTING|EXECUTED|RETURNED|CLOSED|FAILED|APPROVE|RETURN|EXECUTE|REVIEW|LOCK|UNLOCK|BLOCK|UNBLOCK|VERIFIED|NO_ANSWER|PUBLISH_[A-Z_]+|READ_CASE|[A-Z]+_[A-Z_]+)\b/;
/** A dotted field name of the forms contract ("citizen.surname", "action.lock"). */
export const DOTTED_FIELD =
  /\b(citizen|child|guardian1|guardian2|requester|verifier|action|manager|caregiver|staff)\.[a-zA-Z.]+/;
/** English words of the machine's history and people's technical ids ("user:anna"). */
export const ENGLISH_WORDS =
  /\b(registered|validated|claimed|released|corrected|decision|proposal|approved by|user:\w+)\b/;

/** The visible text of the page (innerText: what is rendered, not hidden markup). */
export async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => document.body.innerText);
}

/** Returns the offending words (empty when the page is clean). */
export async function untranslated(page: Page): Promise<string[]> {
  const text = await visibleText(page);
  const found: string[] = [];
  for (const re of [ENGLISH_CODES, DOTTED_FIELD, ENGLISH_WORDS]) {
    const g = new RegExp(re.source, "g");
    for (const m of text.matchAll(g)) found.push(m[0]);
  }
  return [...new Set(found)];
}

export const SCREENSHOTS = join(import.meta.dirname, "../../../docs/screenshots");

/** A 1366×768 screenshot for the README (docs/screenshots/<name>.png); replaces an older one. */
export async function readmeShot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 768 });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
