// FORM_FIELDS (the manual-entry form) is pure data beside the form templates the reader registers against
// (shared/forms/templates/<code>.fields.json): the two must list the same fields, of the same type, in the same order.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FORM_FIELDS } from "../../../shared/domain/form-fields.ts";
import { FORM_CODES } from "../../../shared/domain/forms.ts";

const TEMPLATES = join(import.meta.dirname, "../../../shared/forms/templates");

describe("FORM_FIELDS", () => {
  it.each(FORM_CODES)("%s: the same fields and types, in order, as the form template", (code) => {
    const template = JSON.parse(readFileSync(join(TEMPLATES, `${code}.fields.json`), "utf8")) as {
      fields: Array<{ name: string; type: string }>;
    };
    expect(template.fields.length).toBeGreaterThan(10);
    expect(FORM_FIELDS[code].map((f) => [f.name, f.type])).toEqual(template.fields.map((f) => [f.name, f.type]));
  });
});
