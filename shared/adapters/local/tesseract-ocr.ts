// TesseractOcr: tesseract.js, fully offline. Language data comes from the npm packages @tesseract.js-data/swe and
// @tesseract.js-data/eng (never a CDN: tesseract.js falls back to jsDelivr without a langPath). A pool of workers,
// one per core, takes jobs from one queue.
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { createWorker, OEM, PSM, type Worker } from "tesseract.js";
import type { Box, Line, OcrPage, PageImage, Word } from "../../extraction/document.ts";
import { encodePng } from "../../extraction/raster.ts";
import type { Ocr, RecognizeOptions } from "../../ports/ocr.ts";

const require = createRequire(import.meta.url);

/** tesseract.js reads every language from one folder: link the packages' files into one. */
function languageFolder(langs: string[]): string {
  const dir = path.join(os.tmpdir(), `lockdesk-tessdata-${langs.join("+")}`);
  mkdirSync(dir, { recursive: true });
  for (const lang of langs) {
    const pkgDir = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
    const src = path.join(pkgDir, "4.0.0_best_int", `${lang}.traineddata.gz`);
    const dst = path.join(dir, `${lang}.traineddata.gz`);
    if (!existsSync(dst)) {
      try {
        symlinkSync(src, dst);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    }
  }
  return dir;
}

const MODES: Record<NonNullable<RecognizeOptions["mode"]>, PSM> = {
  page: PSM.AUTO,
  block: PSM.SINGLE_BLOCK,
  line: PSM.SINGLE_LINE,
  char: PSM.SINGLE_CHAR,
};

interface Job {
  image: PageImage;
  options: RecognizeOptions;
  resolve: (p: OcrPage) => void;
  reject: (e: unknown) => void;
}

export interface TesseractOptions {
  /** Worker count; default: the number of cores. */
  workers?: number;
  /** Languages, default ["swe", "eng"]. */
  languages?: string[];
}

export class TesseractOcr implements Ocr {
  readonly name = "tesseract";
  private readonly size: number;
  private readonly languages: string[];
  private workers: Promise<Worker[]> | undefined;
  private idle: Worker[] = [];
  private queue: Job[] = [];
  /** Jobs a worker is on: close() lets them finish (a terminated tesseract.js worker must never get a message). */
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(options: TesseractOptions = {}) {
    this.size = Math.max(1, options.workers ?? os.availableParallelism());
    this.languages = options.languages ?? ["swe", "eng"];
  }

  private start(): Promise<Worker[]> {
    if (!this.workers) {
      const langPath = languageFolder(this.languages);
      this.workers = Promise.all(
        Array.from({ length: this.size }, () =>
          createWorker(this.languages, OEM.LSTM_ONLY, {
            langPath,
            gzip: true,
            cacheMethod: "none",
            errorHandler: () => {},
          }),
        ),
      ).then((ws) => {
        this.idle.push(...ws);
        return ws;
      });
    }
    return this.workers;
  }

  async recognize(image: PageImage, options: RecognizeOptions = {}): Promise<OcrPage> {
    if (this.closed) throw new Error("TesseractOcr is closed");
    await this.start();
    // Closed while the workers started: the job would never be taken.
    if (this.closed) throw new Error("TesseractOcr is closed");
    return new Promise<OcrPage>((resolve, reject) => {
      this.queue.push({ image, options, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (!this.closed && this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const job = this.queue.shift() as Job;
      const running: Promise<void> = this.run(worker, job).finally(() => {
        this.running.delete(running);
        this.idle.push(worker);
        this.pump();
      });
      this.running.add(running);
    }
  }

  private async run(worker: Worker, job: Job): Promise<void> {
    try {
      await worker.setParameters({
        tessedit_pageseg_mode: MODES[job.options.mode ?? "page"],
        tessedit_char_whitelist: job.options.charset ?? "",
        preserve_interword_spaces: "1",
      });
      const png = await encodePng({ width: job.image.width, height: job.image.height, data: job.image.data });
      const result = await worker.recognize(png, {}, { blocks: true, text: true });
      job.resolve(toOcrPage(result.data, job.image));
    } catch (e) {
      job.reject(e);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    // Queued jobs are refused; jobs on a worker finish first (a message to a terminated worker would be rejected
    // inside tesseract.js where nobody can catch it).
    for (const job of this.queue.splice(0)) job.reject(new Error("TesseractOcr is closed"));
    const ws = this.workers ? await this.workers : [];
    await Promise.allSettled([...this.running]);
    await Promise.all(ws.map((w) => w.terminate()));
    this.workers = undefined;
    this.idle = [];
  }
}

interface TBbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface TWord {
  text: string;
  confidence: number;
  bbox: TBbox;
}
interface TLine {
  text: string;
  confidence: number;
  bbox: TBbox;
  words: TWord[];
}

function box(b: TBbox): Box {
  return { x: b.x0, y: b.y0, w: b.x1 - b.x0, h: b.y1 - b.y0 };
}

function toOcrPage(
  data: { blocks: Array<{ paragraphs: Array<{ lines: TLine[] }> }> | null },
  image: PageImage,
): OcrPage {
  const lines: Line[] = [];
  const words: Word[] = [];
  for (const block of data.blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const l of para.lines) {
        const lw: Word[] = l.words
          .filter((w) => w.text.trim() !== "")
          .map((w) => ({ text: w.text, confidence: w.confidence / 100, box: box(w.bbox) }));
        words.push(...lw);
        lines.push({ text: l.text.trim(), confidence: l.confidence / 100, box: box(l.bbox), words: lw });
      }
    }
  }
  return { width: image.width, height: image.height, words, lines };
}
