// The OCR engine for ReadForm, apart from aws.ts so the other functions' bundles carry no image/OCR code.
import { TextractClient } from "@aws-sdk/client-textract";
import { TextractOcr } from "../adapters/aws/textract-ocr.ts";
import type { Env } from "../config/env.ts";
import type { PageImage } from "../extraction/document.ts";
import type { Ocr } from "../ports/ocr.ts";

/**
 * tesseract.js workers of this ReadForm container. Unset: one per core (a single process doing all the reading,
 * e.g. the CLI). The local stack runs ReadForm in several container threads and sets this (default 1 each), so
 * containers × workers stay near the core count instead of oversubscribing it. Not an AWS setting (Textract).
 */
export function tesseractWorkers(value: string | undefined = process.env.LOCKDESK_OCR_WORKERS): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** A white strip with one dark bar: tesseract prints a debug histogram for a blank image, not for this. */
function warmUpImage(): PageImage {
  const width = 48;
  const height = 24;
  const data = new Uint8Array(width * height).fill(255);
  for (let y = 6; y < 18; y++) data.fill(0, y * width + 16, y * width + 19);
  return { width, height, dpi: 200, data };
}

/** The OCR engine for ReadForm: the local reader (default, on AWS too), or Textract when OCR_ENGINE=textract. */
export async function ocrFromEnv(env: Env): Promise<Ocr> {
  if (env.OCR_ENGINE !== "textract") {
    const { LocalOcr } = await import("../adapters/local/local-ocr.ts");
    const workers = tesseractWorkers();
    const ocr = new LocalOcr(workers === undefined ? {} : { workers });
    // Init-phase warm-up: the first recognition starts the workers and loads the language data (about a second
    // per worker). Done now, at the container's cold start, it is off the first scan's path; not awaited, so a
    // first invocation simply queues behind it. A failure here resurfaces on the first real recognition.
    void ocr.recognize(warmUpImage(), { mode: "line" }).catch(() => undefined);
    return ocr;
  }
  const endpoint = env.AWS_ENDPOINT_URL_TEXTRACT;
  return new TextractOcr(new TextractClient({ region: env.AWS_REGION, ...(endpoint ? { endpoint } : {}) }));
}
