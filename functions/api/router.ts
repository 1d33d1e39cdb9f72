// The case API and the pages as one `(request, deps) → response` function, shared by the Lambda handler
// (API Gateway HTTP API v2) and the node:http server of the local stack. Authorization happens here,
// per route, from a verified JWT: Bearer header for /api, the same token in a SameSite=Strict cookie for
// page navigations (the API never accepts the cookie, so cross-site requests cannot act).
import { Logger } from "@aws-lambda-powertools/logger";
import { z } from "zod";
import { hasAnyGroup, type Principal } from "../../shared/auth/principal.ts";
import { bearerToken } from "../../shared/auth/verifier.ts";
import {
  ActionNotAllowedError,
  AuthenticationError,
  AuthorizationError,
  CaseClaimedError,
  CaseNotFoundError,
  CaseVersionConflictError,
  InvalidCaseStateError,
  LockdeskError,
  ReferenceDataConflictError,
  ScanNotFoundError,
  UnreadableScanError,
  ValidationError,
} from "../../shared/domain/errors.ts";
import { buildOpenApiDocument } from "../../shared/openapi/document.ts";
import { DevLoginBodySchema, ManualExecutionBodySchema } from "../../shared/openapi/schemas.ts";
import { readAsset } from "../../web/assets.ts";
import { renderErrorPage, renderLogin, renderLoginCallback } from "../../web/pages.ts";
import { type ApiRequest, type ApiResponse, html, json, parseCookies, redirect } from "./http.ts";
import { adminRoutes } from "./routes/admin.ts";
import { caseRoutes } from "./routes/cases.ts";
import { letterRoutes } from "./routes/letters.ts";
import { mailroomRoutes } from "./routes/mailroom.ts";
import {
  type ApiDeps,
  HANDLER,
  must,
  NotConfiguredError,
  parseBody,
  RequestValidationError,
  type Route,
} from "./routes/routing.ts";

export { CAREGIVER_LIST_AUDIT_ID } from "./routes/admin.ts";
export type { ApiDeps } from "./routes/routing.ts";

export const TOKEN_COOKIE = "lockdesk_token";

/** Re-exported: the schema lives with the other API schemas (the OpenAPI document is generated from it). */
export { ManualExecutionBodySchema };

const sessionRoutes: Route[] = [
  {
    method: "GET",
    pattern: /^\/$/,
    access: "public",
    run: async ({ user }) => redirect(!user ? "/login" : hasAnyGroup(user, HANDLER) ? "/queue" : "/mailroom"),
  },
  {
    method: "GET",
    pattern: /^\/login$/,
    access: "public",
    run: async ({ deps }) => html(200, renderLogin({ devLogin: !!deps.devLogin, signIn: deps.signIn })),
  },
  {
    method: "GET",
    pattern: /^\/login\/callback$/,
    access: "public",
    run: async ({ deps }) => (deps.signIn ? html(200, renderLoginCallback(deps.signIn)) : redirect("/login")),
  },
  {
    method: "GET",
    pattern: /^\/static\/([a-z][a-z0-9-]*\.(?:js|css))$/,
    access: "public",
    run: async ({ params }) => {
      const asset = await readAsset(params[0] ?? "");
      if (!asset) return json(404, { error: "NotFound" });
      return {
        status: 200,
        headers: {
          "content-type": asset.contentType,
          "cache-control": "no-cache",
          "x-content-type-options": "nosniff",
        },
        body: asset.body,
      };
    },
  },
  // --- API: session and description ---------------------------------------------------------------
  {
    method: "POST",
    pattern: /^\/api\/dev-login$/,
    access: "public",
    run: async ({ req, deps }) => {
      if (!deps.devLogin) return json(404, { error: "NotFound", message: "dev login is only available locally" });
      const body = parseBody(DevLoginBodySchema, req);
      const { token, expiresIn } = await deps.devLogin.login(body.userId, body.password);
      const user = await deps.verifier(token);
      return json(200, { token, expiresIn, user });
    },
  },
  {
    method: "GET",
    pattern: /^\/api\/openapi\.json$/,
    access: "public",
    run: async () => json(200, buildOpenApiDocument()),
  },
  { method: "GET", pattern: /^\/api\/me$/, access: "authenticated", run: async ({ user }) => json(200, must(user)) },
];

const routes: Route[] = [...sessionRoutes, ...caseRoutes, ...mailroomRoutes, ...letterRoutes, ...adminRoutes];

async function authenticate(req: ApiRequest, deps: ApiDeps, page: boolean): Promise<Principal | null> {
  const token = page
    ? (parseCookies(req.headers.cookie)[TOKEN_COOKIE] ?? bearerToken(req.headers.authorization))
    : bearerToken(req.headers.authorization);
  if (!token) return null;
  return deps.verifier(token);
}

function errorResponse(
  err: unknown,
  page: boolean,
  user: Principal | null,
  deps: ApiDeps,
  req: ApiRequest,
): ApiResponse {
  const status =
    err instanceof RequestValidationError || err instanceof ValidationError || err instanceof z.ZodError
      ? 400
      : err instanceof AuthenticationError
        ? 401
        : err instanceof AuthorizationError
          ? 403
          : err instanceof CaseNotFoundError || err instanceof NotConfiguredError || err instanceof ScanNotFoundError
            ? 404
            : err instanceof CaseVersionConflictError ||
                err instanceof CaseClaimedError ||
                err instanceof ReferenceDataConflictError ||
                err instanceof InvalidCaseStateError ||
                err instanceof ActionNotAllowedError
              ? 409
              : err instanceof UnreadableScanError
                ? 422
                : 500;
  if (status === 500) {
    // Only the route and the error class: messages of foreign errors may carry personal data.
    (deps.logger ?? defaultLogger()).error("api request failed", {
      method: req.method,
      path: req.path,
      error: err instanceof Error ? err.name : typeof err,
    });
  }
  if (page) {
    if (status === 401) return redirect("/login");
    const text =
      status === 403
        ? "Du saknar behörighet till sidan."
        : status === 404
          ? "Hittades inte."
          : status === 500
            ? "Tekniskt fel."
            : "Felaktig begäran.";
    return html(status, renderErrorPage(status, text, user));
  }
  const name = err instanceof LockdeskError ? err.name : status === 400 ? "ValidationError" : "InternalError";
  const body: Record<string, unknown> = {
    error: name,
    message: status === 500 ? "internal error" : (err as Error).message,
  };
  if (err instanceof RequestValidationError) {
    body.issues = err.zodError.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  } else if (err instanceof z.ZodError) {
    body.issues = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  }
  return json(status, body, status === 401 ? { "www-authenticate": 'Bearer realm="lockdesk"' } : {});
}

let logger: Logger | undefined;
function defaultLogger(): Logger {
  logger ??= new Logger({ serviceName: "lockdesk-api" });
  return logger;
}

export async function handleRequest(req: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const method = req.method.toUpperCase();
  const candidates = routes.filter((r) => r.pattern.test(req.path));
  const route = candidates.find((r) => r.method === method || (method === "HEAD" && r.method === "GET"));
  const page = route?.page ?? !req.path.startsWith("/api/");
  let user: Principal | null = null;
  try {
    if (!route) {
      if (candidates.length > 0)
        return json(405, { error: "MethodNotAllowed" }, { allow: candidates.map((r) => r.method).join(", ") });
      return page ? html(404, renderErrorPage(404, "Sidan finns inte.", null)) : json(404, { error: "NotFound" });
    }
    const m = route.pattern.exec(req.path);
    const params = m ? m.slice(1).map((p) => decodeURIComponent(p)) : [];
    if (route.access !== "public") {
      user = await authenticate(req, deps, page);
      if (!user) throw new AuthenticationError("not signed in");
      if (route.access !== "authenticated" && !hasAnyGroup(user, route.access)) {
        throw new AuthorizationError(`needs one of the groups: ${route.access.join(", ")}`);
      }
    } else {
      user = await authenticate(req, deps, page).catch(() => null);
    }
    return await route.run({ req, deps, params, user });
  } catch (err) {
    return errorResponse(err, page, user, deps, req);
  }
}
