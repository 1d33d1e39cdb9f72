// Case page checks in the real browser (ws-case; ws-queue's test/e2e/support/axe.ts has the same idea): axe-core
// injected into the page (node_modules/axe-core/axe.min.js, MPL-2.0, test-only, unmodified; LOCKDESK_AXE_CORE may
// point at another copy) for WCAG 2.0 A/AA and 2.1 AA, and the visible text read for English codes and dotted
// field names. Without axe-core the check throws: an accessibility test never passes without running.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);

function axePath(): string {
  if (process.env.LOCKDESK_AXE_CORE) return process.env.LOCKDESK_AXE_CORE;
  try {
    return require.resolve("axe-core/axe.min.js");
  } catch {
    throw new Error("axe-core is not installed (npm install -D axe-core, or set LOCKDESK_AXE_CORE)");
  }
}

/** The serious and critical WCAG violations on the page as it is now, one line each (empty when none). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(axePath(), "utf8")); // over CDP: the page's CSP does not apply
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<any> } }).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] } });
    return (r.violations as any[])
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} → ${(v.nodes as any[])
            .slice(0, 3)
            .map((n) => String(n.target))
            .join(", ")}`,
      );
  });
}

/** Status, decision, action and other machine codes that must not reach a handler untranslated. */
const ENGLISH_CODES =
  /\b(RECEIVED|IN_REVIEW|AWAITING_[A-Z_]+|APPROVED|EXECUTING|EXECUTED|RETURNED|CLOSED|FAILED|APPROVE|RETURN|EXECUTE|REVIEW|LOCK|UNLOCK|BLOCK|UNBLOCK|VERIFIED|NO_ANSWER|[A-Z]+_[A-Z_]+)\b/g;
const DOTTED_FIELD =
  /\b(citizen|child|guardian1|guardian2|requester|verifier|action|manager|caregiver|staff)\.[a-zA-Z.]+/g;
const ENGLISH_WORDS = /\b(registered|validated|claimed|released|corrected|decision|proposal|approved by|user:\w+)\b/g;

/** The untranslated words in the page's visible text (innerText), empty when clean. */
export async function untranslatedWords(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  return [
    ...new Set([ENGLISH_CODES, DOTTED_FIELD, ENGLISH_WORDS].flatMap((re) => [...text.matchAll(re)].map((m) => m[0]))),
  ];
}
