import { defineConfig } from "vitest/config";

// Projects: `unit` is fast (pure domain, use cases with fakes, no OCR engine, no emulator: `npx vitest run --project
// unit`); the others start real parts (tesseract/PP-OCR, emulators, the local stack, Chromium) and take minutes.
const SLOW = ["reader", "adapters", "api", "infra", "local", "e2e"] as const;

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default"],
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      ...SLOW.map((name) => ({ extends: true as const, test: { name, include: [`test/${name}/**/*.test.ts`] } })),
    ],
  },
});
