// Transport-neutral request/response: the router sees the same shape from API Gateway (HTTP API v2)
// and from node:http in the local stack.
export interface ApiRequest {
  method: string;
  /** Path without query string, e.g. "/api/cases/abc". */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body?: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** Text (JSON, HTML, JS, CSS) or binary (PNG). */
  body: string | Uint8Array;
}

const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

export function json(status: number, value: unknown, extra: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...SECURITY_HEADERS,
      ...extra,
    },
    body: JSON.stringify(value),
  };
}

/** Pages: scripts only from our origin, no inline script; uploads go to S3 (or s3rver) by presigned URL. */
export function html(status: number, body: string, extra: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy":
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self' https: http://localhost:* http://127.0.0.1:*; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      ...SECURITY_HEADERS,
      ...extra,
    },
    body,
  };
}

export function redirect(location: string): ApiResponse {
  return { status: 302, headers: { location, "cache-control": "no-store" }, body: "" };
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
