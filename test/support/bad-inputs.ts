// Bad scan files, generated at test time (nothing binary is checked in). Each one is a way a real
// mailroom upload goes wrong; decodeScan must refuse every one with UnreadableScanError and a clear
// one-line message. Shared by the decode unit tests and the CLI/pipeline tests.
import { crc32, deflateSync } from "node:zlib";
import { PDFDocument, StandardFonts } from "pdf-lib";
import sharp from "sharp";

export interface BadInput {
  /** Short id, usable as a test name. */
  id: string;
  /** The name the file arrives under (often lying about its content). */
  fileName: string;
  make: () => Promise<Uint8Array>;
  /** What decodeScan's UnreadableScanError message must match (default limits). */
  message: RegExp;
}

/** A zero-byte upload. */
export function emptyFile(): Uint8Array {
  return new Uint8Array(0);
}

/** A real PNG cut off in the middle of its image data (an interrupted upload). */
export async function truncatedPng(): Promise<Uint8Array> {
  const png = await noisePng(400, 300);
  return png.subarray(0, Math.floor(png.byteLength / 2));
}

/** A text file that someone saved as .png. */
export function textAsPng(): Uint8Array {
  return new TextEncoder().encode("Hej!\nDetta är inte en bild, bara en textfil som fått fel filändelse.\n");
}

/** Random bytes named .jpg (deterministic for a seed; never starts with a known magic number). */
export function randomBytesJpg(size = 64 * 1024, seed = 0x1177): Uint8Array {
  const out = new Uint8Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    // xorshift32: cheap, reproducible noise
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  out[0] = 0x00; // not 0xFF (JPEG), 0x89 (PNG), 'I'/'M' (TIFF)
  return out;
}

/** Starts like a PDF but is cut off after the header and a few bytes of the first object. */
export async function brokenPdf(): Promise<Uint8Array> {
  const pdf = await onePagePdfWithText();
  const head = pdf.subarray(0, Math.min(pdf.byteLength, 60));
  return concat(head, new TextEncoder().encode("\n<< /Type /Pag ¤¤ garbage \u0000\u0001\u0002 endobj endobj"));
}

/**
 * A PDF whose trailer has an /Encrypt dictionary (RC4 40-bit, "Standard" handler): enough for any
 * reader to require a password, which the pipeline never has.
 */
export function encryptedPdf(): Uint8Array {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
    "<< /Length 8 >>\nstream\n\u00b7\u0011\u0077\u00e2\u0019\u0042\u0001\u00f0\nendstream",
    `<< /Filter /Standard /V 1 /R 2 /O <${"28bf4e5e4e758a4164004e56fffa0108".repeat(2)}> /U <${"0d1a2b3c4d5e6f708192a3b4c5d6e7f8".repeat(2)}> /P -44 >>`,
  ];
  let body = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, "0")} 00000 n \n`;
  const id = "<9f2c6a1e0b7d4c3f8a5e2d1c0b9a8f7e>";
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 5 0 R /ID [${id} ${id}] >>\n`;
  body += `startxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, "latin1"));
}

/** A valid PDF with `pages` blank pages (default 200: a whole binder fed through the scanner). */
export async function manyPagesPdf(pages = 200): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595.28, 841.89]);
  return doc.save();
}

/** A valid one-page PDF with text only: exported from a word processor, not scanned. */
export async function pdfWithoutImage(): Promise<Uint8Array> {
  return onePagePdfWithText();
}

/**
 * A valid 1-bit PNG of width × height (default 20000 × 20000 = 400 Mpx) that compresses to a few
 * hundred kB: a decompression bomb. Built by hand (IHDR + deflated rows) so making it costs no
 * 400 MB allocation.
 */
export function hugePng(width = 20_000, height = 20_000): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type: grey
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter
  ihdr[12] = 0; // no interlace
  const rowBytes = 1 + Math.ceil(width / 8); // filter byte + packed bits, all zero (black)
  const idat = deflateSync(Buffer.alloc(rowBytes * height), { level: 9 });
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([signature, pngChunk("IHDR", ihdr), pngChunk("IDAT", idat), pngChunk("IEND", Buffer.alloc(0))]),
  );
}

/** A file above the default 50 MB limit that starts like a PNG (the size check comes first). */
export function oversizedFile(bytes = 51 * 1024 * 1024): Uint8Array {
  const out = new Uint8Array(bytes);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return out;
}

/** All bad inputs with the message each must produce under the default limits. */
export const BAD_INPUTS: readonly BadInput[] = [
  {
    id: "zero-bytes",
    fileName: "scan-0001.pdf",
    make: async () => emptyFile(),
    message: /^file is empty \(0 bytes\)$/,
  },
  {
    id: "truncated-png",
    fileName: "scan-0002.png",
    make: truncatedPng,
    message: /^PNG image data is corrupt or truncated$/,
  },
  {
    id: "text-as-png",
    fileName: "scan-0003.png",
    make: async () => textAsPng(),
    message: /^file named \.png is not a PNG, JPEG, TIFF or PDF/,
  },
  {
    id: "random-bytes-jpg",
    fileName: "scan-0004.jpg",
    make: async () => randomBytesJpg(),
    message: /^file named \.jpg is not a PNG, JPEG, TIFF or PDF/,
  },
  { id: "broken-pdf", fileName: "scan-0005.pdf", make: brokenPdf, message: /^PDF is damaged/ },
  { id: "encrypted-pdf", fileName: "scan-0006.pdf", make: async () => encryptedPdf(), message: /^PDF is encrypted$/ },
  {
    id: "200-page-pdf",
    fileName: "scan-0007.pdf",
    make: () => manyPagesPdf(200),
    message: /^PDF has 200 pages; at most 10 are read$/,
  },
  {
    id: "pdf-without-image",
    fileName: "scan-0008.pdf",
    make: pdfWithoutImage,
    message: /^page 1 has no scanned image$/,
  },
  {
    id: "20000x20000-png",
    fileName: "scan-0009.png",
    make: async () => hugePng(),
    message: /^image is 20000 × 20000 pixels \(400 Mpx\); at most 40 Mpx per page$/,
  },
  {
    id: "over-size",
    fileName: "scan-0010.png",
    make: async () => oversizedFile(),
    message: /^file is 51 MB; at most 50 MB is accepted$/,
  },
];

async function noisePng(width: number, height: number): Promise<Uint8Array> {
  // Noise does not compress, so half the file is half the pixel data (not just the trailer).
  const pixels = Buffer.from(randomBytesJpg(width * height, 42));
  return new Uint8Array(
    await sharp(pixels, { raw: { width, height, channels: 1 } })
      .png()
      .toBuffer(),
  );
}

async function onePagePdfWithText(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText("Begäran om spärr (ingen bild på denna sida)", { x: 50, y: 780, size: 14, font });
  return doc.save();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.byteLength, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
