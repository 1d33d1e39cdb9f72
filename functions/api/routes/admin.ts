// Admin: the approved-caregivers list (page and API) and the audit log.
import { z } from "zod";
import { actorId } from "../../../shared/auth/principal.ts";
import { RegistryDataError, ValidationError } from "../../../shared/domain/errors.ts";
import { AuditQuerySchema } from "../../../shared/openapi/schemas.ts";
import type { CaregiverListAdmin } from "../../../shared/ports/person-registry.ts";
import { AuditViewQuerySchema, queryAuditLog } from "../../../shared/use-cases/audit-log-view.ts";
import {
  CAREGIVER_LIST_AUDIT_ID,
  ConfirmBodySchema,
  caregiverOverview,
  PreviewBodySchema,
  previewCaregiverList,
  publishCaregiverList,
  RollbackBodySchema,
  rollbackCaregiverList,
} from "../../../shared/use-cases/caregiver-publishing.ts";
import { renderCaregivers } from "../../../web/admin-page.ts";
import { auditCsv, renderAuditLog } from "../../../web/audit-page.ts";
import { type ApiRequest, html, json } from "../http.ts";
import { ADMIN, type ApiDeps, must, NotConfiguredError, parseBody, parseQuery, type Route } from "./routing.ts";

export { CAREGIVER_LIST_AUDIT_ID };

function caregiverAdmin(deps: ApiDeps): CaregiverListAdmin {
  if (!deps.caregivers) throw new NotConfiguredError("the approved-caregivers list is not configured");
  return deps.caregivers;
}

const CaregiverCsvBodySchema = z.object({ csv: z.string().min(1) }).strict();

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

const caregiverDeps = (deps: ApiDeps) => ({ caregivers: caregiverAdmin(deps), audit: deps.audit, clock: deps.clock });

export const adminRoutes: Route[] = [
  {
    method: "GET",
    pattern: /^\/admin\/caregivers$/,
    access: ADMIN,
    page: true,
    run: async ({ deps, user }) =>
      html(200, renderCaregivers(await caregiverOverview(caregiverDeps(deps)), must(user), deps.devLogin?.displayName)),
  },
  {
    // The difference against the current list; nothing is written.
    method: "POST",
    pattern: /^\/api\/admin\/caregivers\/preview$/,
    access: ADMIN,
    run: async ({ req, deps }) =>
      json(200, await previewCaregiverList(parseBody(PreviewBodySchema, req), caregiverDeps(deps))),
  },
  {
    // Publishes the previewed list: needs confirm=true and the current version the preview showed.
    method: "POST",
    pattern: /^\/api\/admin\/caregivers\/publish$/,
    access: ADMIN,
    run: async ({ req, deps, user }) =>
      json(
        200,
        await publishCaregiverList(
          { ...parseBody(ConfirmBodySchema, req), user: actorId(must(user)) },
          caregiverDeps(deps),
        ),
      ),
  },
  {
    method: "POST",
    pattern: /^\/api\/admin\/caregivers\/rollback$/,
    access: ADMIN,
    run: async ({ req, deps, user }) =>
      json(
        200,
        await rollbackCaregiverList(
          { version: parseBody(RollbackBodySchema, req).version, user: actorId(must(user)) },
          caregiverDeps(deps),
        ),
      ),
  },
  {
    method: "GET",
    pattern: /^\/admin\/audit$/,
    access: ADMIN,
    page: true,
    run: async ({ req, deps, user }) => {
      const view = await queryAuditLog(parseQuery(AuditViewQuerySchema, req), deps);
      return html(200, renderAuditLog(view, must(user), deps.devLogin?.displayName));
    },
  },
  {
    method: "GET",
    pattern: /^\/admin\/audit\.csv$/,
    access: ADMIN,
    page: true,
    run: async ({ req, deps }) => {
      const view = await queryAuditLog(parseQuery(AuditViewQuerySchema, req), deps);
      return {
        status: 200,
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="granskningslogg-${view.filter.from}-${view.filter.to}.csv"`,
          "cache-control": "private, no-store",
          "x-content-type-options": "nosniff",
        },
        body: auditCsv(view, deps.devLogin?.displayName),
      };
    },
  },
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
