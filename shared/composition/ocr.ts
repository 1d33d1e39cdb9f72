// The OCR engine for ReadForm, apart from aws.ts so the other functions' bundles carry no image/OCR code.
import { TextractClient } from "@aws-sdk/client-textract";
import { TextractOcr } from "../adapters/aws/textract-ocr.ts";
import type { Env } from "../config/env.ts";
import type { OcrPage, PageImage } from "../extraction/document.ts";
import type { Ocr, RecognizeOptions } from "../ports/ocr.ts";

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

/**
 * The local reader with Textract as its second opinion: every reading is the local engine's; `secondOpinion` (a
 * page with a doubted field, extraction/second-opinion.ts) asks Textract for the page's words.
 */
export class SecondOpinionOcr implements Ocr {
  readonly name: string;
  readonly readHandwriting?: NonNullable<Ocr["readHandwriting"]>;
  readonly handwrittenDigitScores?: NonNullable<Ocr["handwrittenDigitScores"]>;

  constructor(
    private readonly local: Ocr,
    private readonly second: Ocr,
  ) {
    this.name = `${local.name} (second opinion: ${second.name})`;
    if (local.readHandwriting) this.readHandwriting = local.readHandwriting.bind(local);
    if (local.handwrittenDigitScores) this.handwrittenDigitScores = local.handwrittenDigitScores.bind(local);
  }

  recognize(image: PageImage, options?: RecognizeOptions): Promise<OcrPage> {
    return this.local.recognize(image, options);
  }

  secondOpinion(page: PageImage): Promise<OcrPage> {
    return this.second.recognize(page);
  }

  async close(): Promise<void> {
    await Promise.all([this.local.close(), this.second.close()]);
  }
}

function textract(env: Env): TextractOcr {
  const endpoint = env.AWS_ENDPOINT_URL_TEXTRACT;
  return new TextractOcr(new TextractClient({ region: env.AWS_REGION, ...(endpoint ? { endpoint } : {}) }));
}

/**
 * The OCR engine for ReadForm: the local reader (default, on AWS too; with TEXTRACT_SECOND_OPINION=1 Textract is
 * asked about pages with a doubted field), or Textract alone when OCR_ENGINE=textract.
 */
export async function ocrFromEnv(env: Env): Promise<Ocr> {
  if (env.OCR_ENGINE !== "textract") {
    const { LocalOcr } = await import("../adapters/local/local-ocr.ts");
    const workers = tesseractWorkers();
    const ocr = new LocalOcr(workers === undefined ? {} : { workers });
    // Init-phase warm-up: the first recognition starts the workers and loads the language data (about a second
    // per worker). Done now, at the container's cold start, it is off the first scan's path; not awaited, so a
    // first invocation simply queues behind it. A failure here resurfaces on the first real recognition.
    void ocr.recognize(warmUpImage(), { mode: "line" }).catch(() => undefined);
    return env.TEXTRACT_SECOND_OPINION ? new SecondOpinionOcr(ocr, textract(env)) : ocr;
  }
  return textract(env);
}
