// The dependency rule (domain ← use cases → ports ← adapters; entry points on top) is enforced by Biome's
// noRestrictedImports overrides in biome.json. These tests prove the rule fires: each probe file is linted with the
// project's own biome.json in a scratch copy of the tree layout, once with a forbidden import (must fail, naming
// the rule) and once with an allowed one (must pass, so the failure is not caused by something else).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const BIOME = join(ROOT, "node_modules/@biomejs/biome/bin/biome");
const scratch = mkdtempSync(join(tmpdir(), "lockdesk-lint-"));
copyFileSync(join(ROOT, "biome.json"), join(scratch, "biome.json"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lint(path: string, source: string): { code: number; output: string } {
  const file = join(scratch, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, source);
  const run = spawnSync(process.execPath, [BIOME, "lint", "--vcs-enabled=false", "--max-diagnostics=5", path], {
    cwd: scratch,
    encoding: "utf8",
  });
  rmSync(file);
  return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

const probes: Array<{ file: string; bad: string; good: string; because: RegExp }> = [
  {
    file: "shared/domain/probe.ts",
    bad: 'import { DynamoCaseStore } from "../adapters/aws/dynamo-case-store.ts";\nexport const x = DynamoCaseStore;\n',
    good: 'import { fold } from "./vocabulary.ts";\nexport const x = fold;\n',
    because: /adapters implement ports/,
  },
  {
    file: "shared/domain/probe.ts",
    bad: 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n',
    good: 'import { fold } from "./vocabulary.ts";\nexport const x = fold;\n',
    because: /pure: no I\/O/,
  },
  {
    file: "shared/use-cases/probe.ts",
    bad: 'import { S3Client } from "@aws-sdk/client-s3";\nexport const x = S3Client;\n',
    good: 'import type { CaseStore } from "../ports/case-store.ts";\nexport type X = CaseStore;\n',
    because: /never talks to AWS/,
  },
  {
    file: "shared/use-cases/probe.ts",
    bad: 'import { TABLES } from "../../infra/config.ts";\nexport const x = TABLES;\n',
    good: 'import { REASON_CODES } from "../domain/forms.ts";\nexport const x = REASON_CODES;\n',
    because: /never imports infra/,
  },
  {
    file: "shared/extraction/probe.ts",
    bad: 'import { TesseractOcr } from "../adapters/local/tesseract-ocr.ts";\nexport const x = TesseractOcr;\n',
    good: 'import { REASON_CODES } from "../domain/forms.ts";\nexport const x = REASON_CODES;\n',
    because: /adapters implement ports/,
  },
  {
    file: "functions/read-form/probe.ts",
    bad: 'import { loadConfig } from "../../infra/config.ts";\nexport const x = loadConfig;\n',
    good: 'import { TABLES } from "../../shared/config/names.ts";\nexport const x = TABLES;\n',
    because: /runtime code never imports infra/,
  },
  {
    file: "local/probe.ts",
    bad: 'import { PIPELINE_FUNCTIONS } from "../infra/config.ts";\nexport const x = PIPELINE_FUNCTIONS;\n',
    good: 'import { PIPELINE_FUNCTIONS } from "../shared/config/names.ts";\nexport const x = PIPELINE_FUNCTIONS;\n',
    because: /runtime code never imports infra/,
  },
  {
    file: "shared/ports/probe.ts",
    bad: 'import { registerCase } from "../use-cases/register-case.ts";\nexport const x = registerCase;\n',
    good: 'import type { CaseRecord } from "../domain/case.ts";\nexport type X = CaseRecord;\n',
    because: /ports are interfaces/,
  },
];

describe("import boundaries (biome.json)", () => {
  for (const p of probes) {
    it(`${p.file}: ${p.bad.split("\n")[0]} is refused`, () => {
      const bad = lint(p.file, p.bad);
      expect(bad.code).not.toBe(0);
      expect(bad.output).toContain("lint/style/noRestrictedImports");
      expect(bad.output).toMatch(p.because);
      const good = lint(p.file, p.good);
      expect(good.output).not.toContain("noRestrictedImports");
      expect(good.code).toBe(0);
    });
  }
});
