// Accessibility check in the real browser: injects axe-core (node_modules/axe-core/axe.min.js, MPL-2.0, test-only,
// unmodified) into the page and runs it for WCAG 2.0 A/AA and 2.1 AA. Serious and critical violations fail the
// test with the rule, its help text and the first offending elements.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
let source: string | null = null;
function axeSource(): string {
  source ??= readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  return source;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe on the page as it is now; returns the serious and critical violations (empty when none). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol, so the page's CSP (no inline scripts) does not block it.
  await page.evaluate(axeSource());
  return page.evaluate(async () => {
    type Node = { target: unknown };
    type Violation = { id: string; impact: string | null; help: string; nodes: Node[] };
    type Axe = { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Violation[] }> };
    const axe = (window as unknown as { axe: Axe }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] } });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => String(n.target)),
      }));
  });
}

/** Fails with a readable list when the page has a serious or critical WCAG violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const found = await seriousViolations(page);
  if (found.length > 0) {
    const lines = found.map((v) => `- ${v.id} (${v.impact}): ${v.help} → ${v.targets.join(", ")}`);
    throw new Error(`axe: ${found.length} serious/critical violation(s) on ${what}:\n${lines.join("\n")}`);
  }
}
