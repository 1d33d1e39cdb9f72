// node:http adapter for the local stack (and the browser tests): same router as the Lambda handler.
import http from "node:http";
import type { ApiRequest } from "./http.ts";
import { type ApiDeps, handleRequest } from "./router.ts";

const MAX_BODY = 1024 * 1024;

export function createApiServer(deps: ApiDeps): http.Server {
  return http.createServer((req, res) => {
    void serve(req, res, deps);
  });
}

async function serve(req: http.IncomingMessage, res: http.ServerResponse, deps: ApiDeps): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        res.writeHead(413, { "content-type": "application/json" }).end(JSON.stringify({ error: "PayloadTooLarge" }));
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    const apiReq: ApiRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks).toString("utf8") } : {}),
    };
    const out = await handleRequest(apiReq, deps);
    res.writeHead(out.status, out.headers);
    res.end(req.method === "HEAD" ? undefined : out.body);
  } catch {
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "InternalError" }));
  }
}
