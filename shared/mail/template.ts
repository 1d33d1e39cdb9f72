// A tiny, logic-free template language so the Swedish texts live as reviewable files in the repo:
//   {{name}}   → the value, HTML-escaped in HTML templates, control characters removed in text templates
//   {{{name}}} → the value as is: only for fragments this module rendered itself (lists)
import { escapeHtml, plainText } from "./escape.ts";

export type TemplateVars = Record<string, string>;

export function fill(template: string, vars: TemplateVars, mode: "html" | "text"): string {
  return template.replace(
    /\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}/g,
    (_m, raw: string | undefined, safe: string | undefined) => {
      const name = raw ?? safe ?? "";
      const value = vars[name];
      if (value === undefined) throw new Error(`template variable ${name} missing`);
      if (raw !== undefined) return value;
      return mode === "html" ? escapeHtml(value) : plainText(value);
    },
  );
}

export function htmlList(items: string[]): string {
  return `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
}

export function textList(items: string[]): string {
  return items.map((i) => `- ${plainText(i)}`).join("\n");
}
