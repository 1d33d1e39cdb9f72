// Source files stay under 450 lines, split by concern (issue 16): a file that grows past it fails here, naming it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const MAX_LINES = 450;
const SKIP = new Set(["node_modules", "test", "bench", "cdk.out", ".lockdesk", ".git"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith(".") || SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

describe("file size", () => {
  it(`no source file outside test/ and bench/ has more than ${MAX_LINES} lines`, () => {
    const files = sourceFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    const over = files
      .map((f) => ({ file: relative(ROOT, f), lines: readFileSync(f, "utf8").split("\n").length - 1 }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file} (${f.lines})`);
    expect(over, "split these by concern").toEqual([]);
  });
});
