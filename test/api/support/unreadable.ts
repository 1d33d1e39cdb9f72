// A case whose file the reader refuses, parked by the real ReadForm (decoding fails; OCR is never reached).
import { expect } from "vitest";
import type { Ocr } from "../../../shared/ports/ocr.ts";
import { readFormForCase } from "../../../shared/use-cases/read-form.ts";
import { silentLogger } from "../../unit/use-cases/fakes.ts";
import { BUCKET, createHarness, type Harness, makeCase } from "./harness.ts";

export const UNREADABLE = {
  caseId: "case-unreadable",
  key: "incoming/2025-03-24/brev från kommunen.docx",
  fileName: "brev från kommunen.docx",
  bytes: new TextEncoder().encode("PK\u0003\u0004 this is a word document, not a scan"),
} as const;

/** The reader refuses the file while decoding: OCR is never reached. */
const noOcr: Ocr = {
  name: "never",
  close: async () => undefined,
  recognize: async () => {
    throw new Error("OCR must not be reached for an unreadable file");
  },
};

export async function withUnreadableCase(h?: Harness): Promise<Harness> {
  const harness = h ?? (await createHarness());
  const U = UNREADABLE;
  await harness.scans.put(BUCKET, U.key, U.bytes, {}, "application/octet-stream");
  await harness.cases.create(
    makeCase({
      caseId: U.caseId,
      status: "RECEIVED",
      version: 1,
      formCode: null,
      formVersion: null,
      action: null,
      decision: null,
      scan: { bucket: BUCKET, key: U.key, fileName: U.fileName },
    }),
  );
  const routed = await readFormForCase(
    { caseId: U.caseId },
    { cases: harness.cases, scans: harness.scans, ocr: noOcr, clock: harness.clock, logger: silentLogger },
  );
  expect(routed.route).toBe("REVIEW");
  return harness;
}
