// Handlers: the queue and case pages, and the case API (read, scan, claim, correct, decide, phone, link,
// manual execution). Route logic lives in the use cases; these entries parse, call and answer.
import { actorId } from "../../../shared/auth/principal.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import { UnreadableScanError } from "../../../shared/domain/errors.ts";
import { unreadableText } from "../../../shared/domain/unreadable.ts";
import { ManualExecutionBodySchema, QueueQuerySchema, ScanPageQuerySchema } from "../../../shared/openapi/schemas.ts";
import {
  attachmentDisposition,
  getCaseDetail,
  getCaseOriginal,
  getCaseScan,
  withoutContactData,
} from "../../../shared/use-cases/case-detail.ts";
import { claimCase, releaseCase } from "../../../shared/use-cases/claim-case.ts";
import { CorrectFieldsBodySchema, correctFields } from "../../../shared/use-cases/correct-fields.ts";
import { DecisionBodySchema, decideCase } from "../../../shared/use-cases/decide-case.ts";
import { confirmManualExecution } from "../../../shared/use-cases/execute-action.ts";
import { PhoneVerificationBodySchema, recordPhoneVerification } from "../../../shared/use-cases/phone-verification.ts";
import { getReviewQueue } from "../../../shared/use-cases/review-queue.ts";
import {
  createUrgentCase,
  LinkBodySchema,
  linkScanCase,
  UrgentCaseBodySchema,
} from "../../../shared/use-cases/urgent-case.ts";
import { renderCase } from "../../../web/case-page.ts";
import { renderQueue } from "../../../web/queue-page.ts";
import { html, json } from "../http.ts";
import { HANDLER, ID, must, param, parseBody, parseQuery, type Route } from "./routing.ts";

/** Every case a route answers with: a protected case without the subject's contact data (fields, mail history). */
const caseBody = (record: CaseRecord) => ({ case: withoutContactData(record) });

export const caseRoutes: Route[] = [
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
    pattern: /^\/api\/review-queue$/,
    access: HANDLER,
    run: async ({ req, deps }) => json(200, await getReviewQueue(parseQuery(QueueQuerySchema, req), deps)),
  },
  {
    method: "POST",
    pattern: /^\/api\/cases$/,
    access: HANDLER,
    run: async ({ req, deps, user }) =>
      json(201, caseBody(await createUrgentCase({ ...parseBody(UrgentCaseBodySchema, req), user: must(user) }, deps))),
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
      // ?page=N (1-based in the file): a page of the case's document; without it the document's form page.
      const { page } = parseQuery(ScanPageQuerySchema, ctx.req);
      const found = await getCaseScan({ caseId: param(ctx), user: must(ctx.user), page }, ctx.deps);
      if (!found) return json(404, { error: "NoScan", message: "the case has no scan" });
      const png = await ctx.deps.scanToPng(found.scan, found.fileName, found.masks, found.page).catch((e: unknown) => {
        // An unreadable file is no server error: say why, and that the original can be downloaded (422).
        if (!(e instanceof UnreadableScanError)) throw e;
        throw new UnreadableScanError(
          `Skanningen kan inte visas: ${unreadableText(e.message)} Ladda ned originalfilen.`,
        );
      });
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
    method: "GET",
    pattern: new RegExp(`^/api/cases/${ID}/original$`),
    access: HANDLER,
    run: async (ctx) => {
      const found = await getCaseOriginal({ caseId: param(ctx), user: must(ctx.user) }, ctx.deps);
      if (!found) return json(404, { error: "NoScan", message: "the case has no scan" });
      return {
        status: 200,
        headers: {
          // A download, never rendered by the browser (the file may be anything the mail room dropped).
          "content-type": "application/octet-stream",
          "content-disposition": attachmentDisposition(found.fileName),
          "cache-control": "private, no-store",
          "x-content-type-options": "nosniff",
        },
        body: found.bytes,
      };
    },
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/claim$`),
    access: HANDLER,
    run: async (ctx) => json(200, caseBody(await claimCase({ caseId: param(ctx), user: must(ctx.user) }, ctx.deps))),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/release$`),
    access: HANDLER,
    run: async (ctx) => json(200, caseBody(await releaseCase({ caseId: param(ctx), user: must(ctx.user) }, ctx.deps))),
  },
  {
    method: "PATCH",
    pattern: new RegExp(`^/api/cases/${ID}/fields$`),
    access: HANDLER,
    run: async (ctx) =>
      json(
        200,
        caseBody(
          await correctFields(
            { ...parseBody(CorrectFieldsBodySchema, ctx.req), caseId: param(ctx), user: must(ctx.user) },
            ctx.deps,
          ),
        ),
      ),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/decision$`),
    access: HANDLER,
    run: async (ctx) =>
      json(
        200,
        caseBody(
          await decideCase(
            { ...parseBody(DecisionBodySchema, ctx.req), caseId: param(ctx), user: must(ctx.user) },
            ctx.deps,
          ),
        ),
      ),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/phone-verification$`),
    access: HANDLER,
    run: async (ctx) =>
      json(
        200,
        caseBody(
          await recordPhoneVerification(
            { ...parseBody(PhoneVerificationBodySchema, ctx.req), caseId: param(ctx), user: must(ctx.user) },
            ctx.deps,
          ),
        ),
      ),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/link$`),
    access: HANDLER,
    run: async (ctx) => {
      const linked = await linkScanCase(
        { ...parseBody(LinkBodySchema, ctx.req), caseId: param(ctx), user: must(ctx.user) },
        ctx.deps,
      );
      return json(200, { urgent: withoutContactData(linked.urgent), scanned: withoutContactData(linked.scanned) });
    },
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
      return json(200, caseBody(saved));
    },
  },
];
