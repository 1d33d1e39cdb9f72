// npm run bench:read [dir]: the form reader (every document of each file) on a folder of scans, cold (first pass: OCR workers and templates load)
// and warm (second pass). Prints seconds per page and pages per minute. A benchmark, not a test.
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mapLimit } from "../cli/reading.ts";
import { LocalOcr } from "../shared/adapters/local/local-ocr.ts";
import { readDocuments } from "../shared/extraction/reader.ts";

const dir = process.argv[2] ?? fileURLToPath(new URL("../test/fixtures/scans/", import.meta.url));
const files = (await readdir(dir)).filter((f) => /\.(png|jpe?g|tiff?|pdf)$/i.test(f)).sort();
const inputs = await Promise.all(files.map(async (f) => ({ name: f, bytes: await readFile(path.join(dir, f)) })));
const cores = os.availableParallelism();
const ocr = new LocalOcr();

async function pass(label: string): Promise<void> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let pages = 0;
  const perFile: number[] = [];
  let ocrish = 0;
  await mapLimit(inputs, cores, async (input) => {
    // Every document of the file (a batch holds several); decode time is shared, locating is per page.
    const docs = await readDocuments({ bytes: input.bytes, fileName: input.name }, { ocr });
    const first = docs[0]?.result;
    pages += first?.pageCount ?? 0;
    const fieldsMs = docs.reduce((s, d) => s + d.result.timings.fieldsMs, 0);
    const locateMs = docs.reduce((s, d) => s + d.result.timings.locateMs, 0);
    perFile.push(((first?.timings.decodeMs ?? 0) + locateMs + fieldsMs) / 1000);
    ocrish += fieldsMs;
  });
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu0);
  // CPU seconds of this process (tesseract and onnxruntime run in its threads): comparable when others share the CPU.
  const cpuPerPage = (used.user + used.system) / 1e6 / Math.max(1, pages);
  perFile.sort((a, b) => a - b);
  const p = (q: number) => perFile[Math.min(perFile.length - 1, Math.floor(q * perFile.length))] ?? 0;
  console.log(
    `${label.padEnd(5)} ${String(inputs.length).padStart(3)} files ${String(pages).padStart(3)} pages  ` +
      `${(wall / pages).toFixed(2)} s/page (wall, ${cores} cores)  ${((pages / wall) * 60).toFixed(1)} pages/min  ` +
      `latency p50 ${p(0.5).toFixed(2)} s p95 ${p(0.95).toFixed(2)} s  field reading ${(ocrish / 1000 / pages).toFixed(2)} s/page  CPU ${cpuPerPage.toFixed(2)} s/page`,
  );
}

console.log(`bench:read on ${dir} (${os.cpus()[0]?.model ?? "cpu"}, node ${process.versions.node})`);
await pass("cold");
await pass("warm");
const mem = process.memoryUsage();
console.log(`memory: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
await ocr.close();
