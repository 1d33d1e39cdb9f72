// Static files for the pages (plain browser ES modules and CSS, no build step). Read once from web/static;
// the Lambda bundle must ship that folder next to the handler (LOCKDESK_WEB_STATIC_DIR points at it).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES: Record<string, string> = { js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8" };
const NAME = /^[a-z][a-z0-9-]*\.(js|css)$/;
const cache = new Map<string, string>();

export function staticDir(): string {
  return process.env.LOCKDESK_WEB_STATIC_DIR ?? fileURLToPath(new URL("./static/", import.meta.url));
}

/** Returns the asset and its content type, or null for anything that is not a known file name. */
export async function readAsset(name: string): Promise<{ body: string; contentType: string } | null> {
  const m = NAME.exec(name);
  const ext = m?.[1];
  if (!m || !ext) return null;
  let body = cache.get(name);
  if (body === undefined) {
    try {
      body = await readFile(join(staticDir(), name), "utf8");
    } catch {
      return null;
    }
    cache.set(name, body);
  }
  return { body, contentType: TYPES[ext] ?? "text/plain" };
}
