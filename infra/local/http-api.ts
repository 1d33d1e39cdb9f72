// A plain Node HTTP server in front of a Lambda handler written for API Gateway HTTP APIs (payload format 2.0),
// so the review API and UI run locally through the same handler as on AWS.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

type LambdaHttpHandler = (event: unknown, context: unknown) => Promise<unknown>;

interface HttpResult {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Builds the API Gateway v2 event for one request. */
export function toApiGatewayEvent(req: IncomingMessage, body: Buffer, port: number): Record<string, unknown> {
  const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(",") : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] ? `${query[k]},${v}` : v;
  const text = /^(text\/|application\/(json|x-www-form-urlencoded))/.test(headers["content-type"] ?? "");
  const method = req.method ?? "GET";
  const event: Record<string, unknown> = {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: `127.0.0.1:${port}`,
      http: {
        method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: crypto.randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: body.byteLength > 0 && !text,
  };
  if (headers.cookie) event.cookies = headers.cookie.split(/;\s*/);
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (body.byteLength > 0) event.body = text ? body.toString("utf8") : body.toString("base64");
  return event;
}

export async function serveLambdaHttp(
  handler: LambdaHttpHandler,
  port: number,
  host = "127.0.0.1",
): Promise<{ url: string; stop: () => Promise<void> }> {
  let actualPort = port;
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const context = {
        awsRequestId: crypto.randomUUID(),
        functionName: "lockdesk-local-api",
        getRemainingTimeInMillis: () => 30_000,
      };
      const raw = (await handler(toApiGatewayEvent(req, body, actualPort), context)) as HttpResult | string | undefined;
      const result: HttpResult =
        typeof raw === "string" ? { statusCode: 200, body: raw } : (raw ?? { statusCode: 204 });
      for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, String(v));
      if (result.cookies?.length) res.setHeader("set-cookie", result.cookies);
      res.statusCode = result.statusCode ?? 200;
      res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8") : undefined);
    } catch (err) {
      res.statusCode = 500;
      res.end(`internal error: ${(err as Error).name}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actualPort}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
