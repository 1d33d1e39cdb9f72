// The case API and the pages as one `(request, deps) → response` function, shared by the Lambda handler
// (API Gateway HTTP API v2) and the node:http server of the local stack. Authorization happens here,
// per route, from a verified JWT: Bearer header for /api, the same token in a SameSite=Strict cookie for
// page navigations (the API never accepts the cookie, so cross-site requests cannot act).
import { Logger } from "@aws-lambda-powertools/logger";
import { z } from "zod";
import type { DevLogin } from "../../shared/auth/dev-login.ts";
import { actorId, type Group, hasAnyGroup, type Principal } from "../../shared/auth/principal.ts";
import { bearerToken, type TokenVerifier } from "../../shared/auth/verifier.ts";
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
  RegistryDataError,
  ValidationError,
} from "../../shared/domain/errors.ts";
import { buildOpenApiDocument } from "../../shared/openapi/document.ts";
import {
  AuditQuerySchema,
  CaseIdSchema,
  DevLoginBodySchema,
  IntakeQuerySchema,
  ManualExecutionBodySchema,
  QueueQuerySchema,
} from "../../shared/openapi/schemas.ts";
import type { AuditLog } from "../../shared/ports/audit-log.ts";
import type { CaseStore } from "../../shared/ports/case-store.ts";
import type { Clock } from "../../shared/ports/clock.ts";
import type { CaregiverListAdmin } from "../../shared/ports/person-registry.ts";
import type { Resumer } from "../../shared/ports/resumer.ts";
import type { ScanStore, StoredScan } from "../../shared/ports/scan-store.ts";
import { getCaseDetail, getCaseScan } from "../../shared/use-cases/case-detail.ts";
import { claimCase, releaseCase } from "../../shared/use-cases/claim-case.ts";
import { CorrectFieldsBodySchema, correctFields } from "../../shared/use-cases/correct-fields.ts";
import { DecisionBodySchema, decideCase } from "../../shared/use-cases/decide-case.ts";
import { confirmManualExecution } from "../../shared/use-cases/execute-action.ts";
import {
  createUploads,
  getIntake,
  type IntakeConfig,
  type UploadSigner,
  UploadsBodySchema,
} from "../../shared/use-cases/intake.ts";
import { PhoneVerificationBodySchema, recordPhoneVerification } from "../../shared/use-cases/phone-verification.ts";
import { getReviewQueue } from "../../shared/use-cases/review-queue.ts";
import {
  createUrgentCase,
  LinkBodySchema,
  linkScanCase,
  swedishDate,
  UrgentCaseBodySchema,
} from "../../shared/use-cases/urgent-case.ts";
import { readAsset } from "../../web/assets.ts";
import {
  renderCaregivers,
  renderCase,
  renderErrorPage,
  renderLogin,
  renderMailroom,
  renderQueue,
} from "../../web/pages.ts";
import { type ApiRequest, type ApiResponse, html, json, parseCookies, redirect } from "./http.ts";

export interface ApiDeps {
  cases: CaseStore;
  audit: AuditLog;
  scans: ScanStore;
  clock: Clock;
  resumer: Resumer;
  verifier: TokenVerifier;
  signer: UploadSigner;
  intake: IntakeConfig;
  /** Scan bytes → PNG of page 1 for the viewer (functions/api/scan-png.ts). */
  scanToPng: (scan: StoredScan, fileName: string) => Promise<Uint8Array>;
  /** The approved-caregivers list admins maintain (/api/admin/caregivers). Optional: without it those routes answer 404. */
  caregivers?: CaregiverListAdmin;
  /** Only in the local stack: POST /api/dev-login. Absent on AWS (Cognito signs users in). */
  devLogin?: DevLogin;
  logger?: Pick<Logger, "error" | "warn">;
}

export const TOKEN_COOKIE = "lockdesk_token";

type Access = "public" | "authenticated" | readonly Group[];
const MAILROOM: readonly Group[] = ["mailroom"];
const HANDLER: readonly Group[] = ["handler"];
const ADMIN: readonly Group[] = ["admin"];

interface Ctx {
  req: ApiRequest;
  deps: ApiDeps;
  params: string[];
  user: Principal | null;
}
interface Route {
  method: string;
  pattern: RegExp;
  access: Access;
  page?: boolean;
  run: (ctx: Ctx) => Promise<ApiResponse>;
}

const ID = "([A-Za-z0-9._:-]{1,128})";

/** Re-exported: the schema lives with the other API schemas (the OpenAPI document is generated from it). */
export { ManualExecutionBodySchema };

function parseBody<T extends z.ZodType>(schema: T, req: ApiRequest): z.infer<T> {
  let raw: unknown;
  try {
    raw = req.body === undefined || req.body === "" ? undefined : JSON.parse(req.body);
  } catch {
    throw new ValidationError("body is not valid JSON");
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new RequestValidationError(result.error);
  return result.data;
}

function parseQuery<T extends z.ZodType>(schema: T, req: ApiRequest): z.infer<T> {
  const result = schema.safeParse(req.query);
  if (!result.success) throw new RequestValidationError(result.error);
  return result.data;
}

class RequestValidationError extends ValidationError {
  constructor(readonly zodError: z.ZodError) {
    super("request does not match the schema");
  }
}

function must(user: Principal | null): Principal {
  if (!user) throw new AuthenticationError("not signed in");
  return user;
}
function caregiverAdmin(deps: ApiDeps): CaregiverListAdmin {
  if (!deps.caregivers) throw new NotConfiguredError("the approved-caregivers list is not configured");
  return deps.caregivers;
}

class NotConfiguredError extends LockdeskError {}

/** PUT body: the CSV as text, or JSON {csv}. */
function caregiverCsv(req: ApiRequest): string {
  const body = req.body ?? "";
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json") || body.trimStart().startsWith("{")) {
    return parseBody(CaregiverCsvBodySchema, req).csv;
  }
  if (body.trim() === "") throw new ValidationError("body is empty: send the CSV as text or JSON {csv}");
  return body;
}

const CaregiverCsvBodySchema = z.object({ csv: z.string().min(1) }).strict();

async function caregiverOverview(deps: ApiDeps) {
  const admin = caregiverAdmin(deps);
  const [current, history] = await Promise.all([
    admin.current().catch((e: unknown) => {
      if (e instanceof RegistryDataError) return null; // nothing published yet
      throw e;
    }),
    admin.history(),
  ]);
  return { current, history };
}

function param(ctx: Ctx, i = 0): string {
  const v = ctx.params[i];
  if (v === undefined) throw new ValidationError("missing path parameter");
  return CaseIdSchema.parse(v);
}

const routes: Route[] = [
  // --- pages -------------------------------------------------------------------------------------
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
    run: async ({ deps }) => html(200, renderLogin({ devLogin: !!deps.devLogin })),
  },
  {
    method: "GET",
    pattern: /^\/queue$/,
    access: HANDLER,
    page: true,
    run: async ({ req, deps, user }) => {
      const q = parseQuery(QueueQuerySchema, req);
      return html(200, renderQueue(await getReviewQueue(q, deps), must(user), q.reason));
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/cases/${ID}$`),
    access: HANDLER,
    page: true,
    run: async (ctx) => {
      const user = must(ctx.user);
      return html(200, renderCase(await getCaseDetail({ caseId: param(ctx), user }, ctx.deps), user));
    },
  },
  {
    method: "GET",
    pattern: /^\/mailroom$/,
    access: MAILROOM,
    page: true,
    run: async ({ deps, user }) => html(200, renderMailroom(must(user), swedishDate(deps.clock.now()))),
  },
  {
    method: "GET",
    pattern: /^\/admin\/caregivers$/,
    access: ADMIN,
    page: true,
    run: async ({ deps, user }) => {
      const { current, history } = await caregiverOverview(deps);
      return html(200, renderCaregivers(current, history, must(user)));
    },
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
  // --- API: mail room -----------------------------------------------------------------------------
  {
    method: "POST",
    pattern: /^\/api\/uploads$/,
    access: MAILROOM,
    run: async ({ req, deps, user }) =>
      json(201, await createUploads({ ...parseBody(UploadsBodySchema, req), by: actorId(must(user)) }, deps)),
  },
  {
    method: "GET",
    pattern: /^\/api\/intake$/,
    access: MAILROOM,
    run: async ({ req, deps }) => json(200, await getIntake(parseQuery(IntakeQuerySchema, req), deps)),
  },
  // --- API: handlers ------------------------------------------------------------------------------
  {
    method: "GET",
    pattern: /^\/api\/review-queue$/,
    access: HANDLER,
    run: async ({ req, deps }) => json(200, await getReviewQueue(parseQuery(QueueQuerySchema, req), deps)),
  },
  {
    method: "POST",
    pattern: /^\/api\/cases$/,
    access: HANDLER,
    run: async ({ req, deps, user }) =>
      json(201, { case: await createUrgentCase({ ...parseBody(UrgentCaseBodySchema, req), user: must(user) }, deps) }),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/cases/${ID}$`),
    access: HANDLER,
    run: async (ctx) => json(200, await getCaseDetail({ caseId: param(ctx), user: must(ctx.user) }, ctx.deps)),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/cases/${ID}/scan$`),
    access: HANDLER,
    run: async (ctx) => {
      const found = await getCaseScan({ caseId: param(ctx), user: must(ctx.user) }, ctx.deps);
      if (!found) return json(404, { error: "NoScan", message: "the case has no scan" });
      const png = await ctx.deps.scanToPng(found.scan, found.fileName);
      return {
        status: 200,
        headers: {
          "content-type": "image/png",
          "cache-control": "private, no-store",
          "x-content-type-options": "nosniff",
        },
        body: png,
      };
    },
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/claim$`),
    access: HANDLER,
    run: async (ctx) => json(200, { case: await claimCase({ caseId: param(ctx), user: must(ctx.user) }, ctx.deps) }),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/release$`),
    access: HANDLER,
    run: async (ctx) => json(200, { case: await releaseCase({ caseId: param(ctx), user: must(ctx.user) }, ctx.deps) }),
  },
  {
    method: "PATCH",
    pattern: new RegExp(`^/api/cases/${ID}/fields$`),
    access: HANDLER,
    run: async (ctx) =>
      json(200, {
        case: await correctFields(
          { ...parseBody(CorrectFieldsBodySchema, ctx.req), caseId: param(ctx), user: must(ctx.user) },
          ctx.deps,
        ),
      }),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/decision$`),
    access: HANDLER,
    run: async (ctx) =>
      json(200, {
        case: await decideCase(
          { ...parseBody(DecisionBodySchema, ctx.req), caseId: param(ctx), user: must(ctx.user) },
          ctx.deps,
        ),
      }),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/phone-verification$`),
    access: HANDLER,
    run: async (ctx) =>
      json(200, {
        case: await recordPhoneVerification(
          { ...parseBody(PhoneVerificationBodySchema, ctx.req), caseId: param(ctx), user: must(ctx.user) },
          ctx.deps,
        ),
      }),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/link$`),
    access: HANDLER,
    run: async (ctx) =>
      json(
        200,
        await linkScanCase(
          { ...parseBody(LinkBodySchema, ctx.req), caseId: param(ctx), user: must(ctx.user) },
          ctx.deps,
        ),
      ),
  },
  {
    // Manual mode: the handler carried out the checklist in the 1177 staff tool; the case gets the result and a
    // resumed execution sends the confirmation and archives (ExecuteAction does not act again).
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/manual-execution$`),
    access: HANDLER,
    run: async (ctx) => {
      const body = parseBody(ManualExecutionBodySchema, ctx.req);
      const user = must(ctx.user);
      const saved = await confirmManualExecution(
        { caseId: param(ctx), by: actorId(user), expectedVersion: body.version },
        ctx.deps,
      );
      await ctx.deps.audit.append({
        at: saved.updatedAt,
        user: actorId(user),
        caseId: saved.caseId,
        action: "CONFIRM_MANUAL_EXECUTION",
      });
      await ctx.deps.resumer(saved.caseId);
      return json(200, { case: saved });
    },
  },
  // --- API: admin ----------------------------------------------------------------------------------
  {
    method: "GET",
    pattern: /^\/api\/audit$/,
    access: ADMIN,
    run: async ({ req, deps }) => {
      const q = parseQuery(AuditQuerySchema, req);
      const entries =
        q.caseId !== undefined ? await deps.audit.byCase(q.caseId) : await deps.audit.byUser(q.user ?? "");
      return json(200, { entries });
    },
  },
  {
    method: "GET",
    pattern: /^\/api\/admin\/caregivers$/,
    access: ADMIN,
    run: async ({ deps }) => {
      const current = await caregiverAdmin(deps).current();
      return json(200, { version: current.version, count: current.names.length, names: current.names });
    },
  },
  {
    method: "GET",
    pattern: /^\/api\/admin\/caregivers\/history$/,
    access: ADMIN,
    run: async ({ deps }) => json(200, { history: await caregiverAdmin(deps).history() }),
  },
  {
    method: "PUT",
    pattern: /^\/api\/admin\/caregivers$/,
    access: ADMIN,
    run: async ({ req, deps, user }) => {
      const admin = caregiverAdmin(deps);
      const csv = caregiverCsv(req);
      const actor = actorId(must(user));
      let result: Awaited<ReturnType<CaregiverListAdmin["publish"]>>;
      try {
        result = await admin.publish(csv, actor);
      } catch (e) {
        // Line and column only (never the cell's value): safe to show.
        if (e instanceof RegistryDataError) throw new ValidationError(e.message);
        throw e;
      }
      await deps.audit.append({
        at: deps.clock.now().toISOString(),
        user: actor,
        caseId: CAREGIVER_LIST_AUDIT_ID,
        action: "PUBLISH_CAREGIVER_LIST",
        detail: `version ${result.version}, ${result.count} rows${result.changed ? "" : ", unchanged"}`,
      });
      return json(200, result);
    },
  },
];

/** Audit entries about the approved-caregivers list use this id in place of a case id. */
export const CAREGIVER_LIST_AUDIT_ID = "caregiver-list";

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
          : err instanceof CaseNotFoundError || err instanceof NotConfiguredError
            ? 404
            : err instanceof CaseVersionConflictError ||
                err instanceof CaseClaimedError ||
                err instanceof ReferenceDataConflictError ||
                err instanceof InvalidCaseStateError ||
                err instanceof ActionNotAllowedError
              ? 409
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
