// Handlers: the queue and case pages, and the case API (read, scan, claim, correct, decide, phone, link,
// manual execution). Route logic lives in the use cases; these entries parse, call and answer.

import { actorId } from "../../../shared/auth/principal.ts";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import { namesInHistory } from "../../../shared/domain/case-record.ts";
import { UnreadableScanError } from "../../../shared/domain/errors.ts";
import { unreadableText } from "../../../shared/domain/unreadable.ts";
import { ManualExecutionBodySchema, QueueQuerySchema, ScanPageQuerySchema } from "../../../shared/openapi/schemas.ts";
import {
  getCaseDetail,
  getCaseOriginalLink,
  getCaseScan,
  withoutContactData,
} from "../../../shared/use-cases/case-detail.ts";
import { claimCase, releaseCase } from "../../../shared/use-cases/claim-case.ts";
import { CorrectFieldsBodySchema, correctFields } from "../../../shared/use-cases/correct-fields.ts";
import { DecisionBodySchema, decideCase } from "../../../shared/use-cases/decide-case.ts";
import { confirmManualExecution } from "../../../shared/use-cases/execute-action.ts";
import { enterForm, ManualEntryBodySchema } from "../../../shared/use-cases/manual-entry.ts";
import { PhoneVerificationBodySchema, recordPhoneVerification } from "../../../shared/use-cases/phone-verification.ts";
import { NextQuerySchema, nextCase, SearchQuerySchema, searchCases } from "../../../shared/use-cases/queue-search.ts";
import { getReviewQueue, type QueueFilter } from "../../../shared/use-cases/review-queue.ts";
import {
  createUrgentCase,
  LinkBodySchema,
  linkScanCase,
  UrgentCaseBodySchema,
} from "../../../shared/use-cases/urgent-case.ts";
import { renderCase } from "../../../web/case-page.ts";
import { personName, rowNames } from "../../../web/people.ts";
import { renderQueue } from "../../../web/queue-page.ts";
import { ACTION_TEXTS, statusText } from "../../../web/texts.ts";
import { html, json } from "../http.ts";
import { type Ctx, HANDLER, ID, must, param, parseBody, parseQuery, type Route } from "./routing.ts";

/** The queue's filters from the query; "mine" means claimed by the caller. */
function queueFilter(ctx: Ctx): QueueFilter {
  // An empty select ("Alla") is sent as "": no filter.
  const query = Object.fromEntries(Object.entries(ctx.req.query).filter(([, v]) => v !== ""));
  const q = parseQuery(QueueQuerySchema, { ...ctx.req, query });
  return {
    reason: q.reason,
    status: q.status,
    form: q.form,
    claimedBy: q.mine ? actorId(must(ctx.user)) : undefined,
  };
}

/** Every case a route answers with: a protected case without the subject's contact data (fields, mail history). */
const caseBody = (record: CaseRecord) => ({ case: withoutContactData(record) });

export const caseRoutes: Route[] = [
  {
    method: "GET",
    pattern: /^\/queue$/,
    access: HANDLER,
    page: true,
    run: async (ctx) => {
      const filter = queueFilter(ctx);
      const user = must(ctx.user);
      return html(
        200,
        renderQueue(await getReviewQueue(filter, ctx.deps), user, {
          filter,
          names: ctx.deps.devLogin?.displayName,
        }),
      );
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/cases/${ID}$`),
    access: HANDLER,
    page: true,
    run: async (ctx) => {
      const user = must(ctx.user);
      const detail = await getCaseDetail({ caseId: param(ctx), user }, ctx.deps);
      // Everyone who acted on the case is named as their sign-in named them; the user directory, where the stack
      // has one (config/users.json locally), wins.
      const names = { ...namesInHistory(detail.case.history), ...(ctx.deps.displayNames ?? {}) };
      return html(200, renderCase(detail, user, { names, fourEyes: ctx.deps.fourEyes }));
    },
  },
  {
    method: "GET",
    pattern: /^\/api\/review-queue$/,
    access: HANDLER,
    run: async (ctx) => json(200, await getReviewQueue(queueFilter(ctx), ctx.deps)),
  },
  {
    // "Nästa ärende": the case page asks where to go after a decision.
    method: "GET",
    pattern: /^\/api\/queue\/next$/,
    access: HANDLER,
    run: async (ctx) =>
      json(200, await nextCase({ ...parseQuery(NextQuerySchema, ctx.req), user: must(ctx.user) }, ctx.deps)),
  },
  {
    // POST, so a personnummer searched for never sits in a URL (history, access logs).
    method: "POST",
    pattern: /^\/api\/search$/,
    access: HANDLER,
    run: async (ctx) => {
      const found = await searchCases({ ...parseBody(SearchQuerySchema, ctx.req), user: must(ctx.user) }, ctx.deps);
      // The queue page shows the results as they come: with the Swedish texts and people's names.
      const names = ctx.deps.devLogin?.displayName;
      const items = found.items.map((i) => ({
        ...i,
        statusText: statusText(i.status),
        actionText: i.action ? (ACTION_TEXTS[i.action] ?? i.action) : "–",
        claimedByName: personName(i.claimedBy, rowNames(i.people, names)),
      }));
      return json(200, { ...found, items });
    },
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
      const image = await ctx.deps
        .scanToImage(found.scan, found.fileName, found.masks, found.page)
        .catch((e: unknown) => {
          // An unreadable file is no server error: say why, and that the original can be downloaded (422).
          if (!(e instanceof UnreadableScanError)) throw e;
          throw new UnreadableScanError(
            `Skanningen kan inte visas: ${unreadableText(e.message)} Ladda ned originalfilen.`,
          );
        });
      return {
        status: 200,
        headers: {
          "content-type": image.contentType,
          "cache-control": "private, no-store",
          "x-content-type-options": "nosniff",
        },
        body: image.bytes,
      };
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/cases/${ID}/original-link$`),
    access: HANDLER,
    run: async (ctx) => {
      // A short-lived link straight to the bucket: an original of any size (Lambda answers stop at 6 MB).
      const link = await getCaseOriginalLink({ caseId: param(ctx), user: must(ctx.user) }, ctx.deps);
      if (!link) return json(404, { error: "NoScan", message: "the case has no scan" });
      return json(200, link);
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
    // An unrecognised document: the handler chooses the form and types its fields; validated as usual.
    method: "POST",
    pattern: new RegExp(`^/api/cases/${ID}/form$`),
    access: HANDLER,
    run: async (ctx) =>
      json(
        200,
        caseBody(
          await enterForm(
            { ...parseBody(ManualEntryBodySchema, ctx.req), caseId: param(ctx), user: must(ctx.user) },
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
