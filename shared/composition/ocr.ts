// The OCR engine for ReadForm, apart from aws.ts so the other functions' bundles carry no image/OCR code.
import { TextractClient } from "@aws-sdk/client-textract";
import { TextractOcr } from "../adapters/aws/textract-ocr.ts";
import type { Env } from "../config/env.ts";
import type { Ocr } from "../ports/ocr.ts";

/** The OCR engine for ReadForm: Textract on AWS, tesseract.js when configured (offline/local). */
export async function ocrFromEnv(env: Env): Promise<Ocr> {
  if (env.OCR_ENGINE === "tesseract") {
    const { TesseractOcr } = await import("../adapters/local/tesseract-ocr.ts");
    return new TesseractOcr();
  }
  const endpoint = env.AWS_ENDPOINT_URL_TEXTRACT;
  return new TextractOcr(new TextractClient({ region: env.AWS_REGION, ...(endpoint ? { endpoint } : {}) }));
}
