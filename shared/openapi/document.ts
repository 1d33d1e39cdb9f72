// OpenAPI 3.1 description of the case API, generated from the same zod schemas the router validates with
// (zod 4's z.toJSONSchema), so the document cannot drift from the code. Served at GET /api/openapi.json.
import { z } from "zod";
import { CorrectFieldsBodySchema } from "../use-cases/correct-fields.ts";
import { DecisionBodySchema } from "../use-cases/decide-case.ts";
import { UploadsBodySchema } from "../use-cases/intake.ts";
import { PhoneVerificationBodySchema } from "../use-cases/phone-verification.ts";
import { LinkBodySchema, UrgentCaseBodySchema } from "../use-cases/urgent-case.ts";
import { DevLoginBodySchema, ErrorSchema, ManualExecutionBodySchema } from "./schemas.ts";

type Schema = Record<string, unknown>;

function schema(s: z.ZodType): Schema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { target: "draft-2020-12", io: "input" }) as Schema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: ERROR_TEXT[c] ?? "error", content: { "application/json": { schema: ref("Error") } } },
    ]),
  );
const ERROR_TEXT: Record<number, string> = {
  400: "malformed body or query",
  401: "no or invalid token",
  403: "wrong group, or the proposer of a four-eyes approval approving it",
  404: "no such case",
  409: "stale version, not claimed by the caller, claimed by another handler, not in review, or facts missing (a verified call)",
  422: "the scan file cannot be read (the reason in Swedish)",
};
const ok = (description: string, ...types: string[]) => ({
  "200": {
    description,
    content: Object.fromEntries((types.length > 0 ? types : ["application/json"]).map((t) => [t, {}])),
  },
});
const caseId = { name: "id", in: "path", required: true, schema: { type: "string" } };

export function buildOpenApiDocument(): Schema {
  const handler = [{ bearer: [] }];
  return {
    openapi: "3.1.0",
    info: {
      title: "lockdesk case API",
      version: "1.0.0",
      description: "Mail room and case handler API. Groups: mailroom, handler, admin (admin may do everything).",
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Error: schema(ErrorSchema),
        DevLoginBody: schema(DevLoginBodySchema),
        UploadsBody: schema(UploadsBodySchema),
        DecisionBody: schema(DecisionBodySchema),
        CorrectFieldsBody: schema(CorrectFieldsBodySchema),
        PhoneVerificationBody: schema(PhoneVerificationBodySchema),
        UrgentCaseBody: schema(UrgentCaseBodySchema),
        LinkBody: schema(LinkBodySchema),
        ManualExecutionBody: schema(ManualExecutionBodySchema),
      },
    },
    security: handler,
    paths: {
      "/api/dev-login": {
        post: {
          summary: "Local dev login (not on AWS)",
          security: [],
          requestBody: body("DevLoginBody"),
          responses: { ...ok("token"), ...errors(400, 401) },
        },
      },
      "/api/uploads": {
        post: {
          summary: "Presigned PUT URLs for scans (mailroom)",
          requestBody: body("UploadsBody"),
          responses: { "201": { description: "upload tickets" }, ...errors(400, 401, 403) },
        },
      },
      "/api/intake": {
        get: {
          summary: "A day's intake: file, case id, status (mailroom)",
          parameters: [{ name: "date", in: "query", schema: { type: "string", format: "date" } }],
          responses: { ...ok("intake"), ...errors(400, 401, 403) },
        },
      },
      "/api/letters": {
        get: {
          summary: "Letters waiting to be printed and posted, and those posted today (mailroom; no personal data)",
          responses: { ...ok("letters"), ...errors(401, 403) },
        },
      },
      "/api/letters/{id}/{letterId}/posted": {
        post: {
          summary: "Mark a letter posted (mailroom; audited, written to the case history)",
          parameters: [
            caseId,
            {
              name: "letterId",
              in: "path",
              required: true,
              schema: { type: "string", pattern: "^(confirmation|return-notice)-(citizen|staff)$" },
            },
          ],
          responses: { ...ok("the posted letter"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/review-queue": {
        get: {
          summary:
            "Cases waiting for a handler, urgent first, then by receipt date, with counts per reason and waiting days",
          parameters: [
            { name: "reason", in: "query", schema: { type: "string" } },
            {
              name: "status",
              in: "query",
              schema: {
                type: "string",
                enum: ["IN_REVIEW", "FAILED", "AWAITING_MANUAL_EXECUTION", "AWAITING_SECOND_APPROVAL"],
              },
            },
            { name: "form", in: "query", schema: { type: "string", enum: ["1177-EGEN", "1177-VG", "1177-VH"] } },
            {
              name: "mine",
              in: "query",
              description: "only cases claimed by the caller",
              schema: { type: "string", enum: ["1", "true"] },
            },
          ],
          responses: { ...ok("queue"), ...errors(400, 401, 403) },
        },
      },
      "/api/queue/next": {
        get: {
          summary:
            "The next case to take after `after` (queue order, not claimed by another handler, not the caller's own four-eyes proposal; wraps around); {caseId: null} when nothing else waits",
          parameters: [{ name: "after", in: "query", schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$" } }],
          responses: { ...ok("{caseId: string | null}"), ...errors(400, 401, 403) },
        },
      },
      "/api/search": {
        post: {
          summary:
            "Search all cases by case id or file name (substring), or by an exact personnummer (12 digits, audited per hit); body {q} (POST: a personnummer never sits in a URL); masked personnummer in results",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["q"],
                  properties: { q: { type: "string", minLength: 2, maxLength: 100 } },
                },
              },
            },
          },
          responses: { ...ok("{query, items, truncated}"), ...errors(400, 401, 403) },
        },
      },
      "/api/cases": {
        post: {
          summary: "Create an urgent case by hand",
          requestBody: body("UrgentCaseBody"),
          responses: { "201": { description: "created" }, ...errors(400, 401, 403) },
        },
      },
      "/api/cases/{id}": {
        get: {
          summary: "Case detail (audited)",
          parameters: [caseId],
          responses: { ...ok("detail"), ...errors(401, 403, 404) },
        },
      },
      "/api/cases/{id}/scan": {
        get: {
          summary:
            "One page of the scan at full resolution (audited): PNG, or JPEG for a page (a phone photo) whose PNG would exceed 4 MB; ?page=N (1-based in the file) within the case's document, default its form page (page 1 for a one-document file); protected identity: the subject's contact boxes are blacked out; 422 for an unreadable file",
          parameters: [caseId, { name: "page", in: "query", schema: { type: "integer", minimum: 1 } }],
          responses: { ...ok("scan", "image/png", "image/jpeg"), ...errors(400, 401, 403, 404, 409, 422) },
        },
      },
      "/api/cases/{id}/original-link": {
        get: {
          summary:
            "A link to the original file as it arrived, valid 60 s, served by the bucket as a download (audited; refused for protected identity; 404 when the file is gone)",
          parameters: [caseId],
          responses: { ...ok("{url, fileName, expiresIn}"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/cases/{id}/claim": {
        post: {
          summary: "Claim the case",
          parameters: [caseId],
          responses: { ...ok("case"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/cases/{id}/release": {
        post: {
          summary: "Release the claim",
          parameters: [caseId],
          responses: { ...ok("case"), ...errors(401, 403, 404, 409) },
        },
      },
      "/api/cases/{id}/fields": {
        patch: {
          summary: "Correct fields",
          parameters: [caseId],
          requestBody: body("CorrectFieldsBody"),
          responses: { ...ok("case"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/cases/{id}/decision": {
        post: {
          summary:
            "Decide: APPROVE, RETURN or CLOSE (claim first); an APPROVE needing four eyes becomes a proposal a different handler APPROVEs or REJECTs",
          parameters: [caseId],
          requestBody: body("DecisionBody"),
          responses: { ...ok("case"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/cases/{id}/phone-verification": {
        post: {
          summary: "Record a phone verification",
          parameters: [caseId],
          requestBody: body("PhoneVerificationBody"),
          responses: { ...ok("case"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/cases/{id}/link": {
        post: {
          summary: "Link the scanned case of a later paper form to this urgent case",
          parameters: [caseId],
          requestBody: body("LinkBody"),
          responses: { ...ok("both cases"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/cases/{id}/manual-execution": {
        post: {
          summary:
            "Confirm a manual account action (AWAITING_MANUAL_EXECUTION): the handler carried out the checklist in the 1177 staff tool; the case resumes (confirmation mail, archive)",
          parameters: [caseId],
          requestBody: body("ManualExecutionBody"),
          responses: { ...ok("case"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/audit": {
        get: {
          summary: "Audit log by case or by user (admin)",
          parameters: [
            { name: "caseId", in: "query", schema: { type: "string" } },
            { name: "user", in: "query", schema: { type: "string" } },
          ],
          responses: { ...ok("entries"), ...errors(400, 401, 403) },
        },
      },
      "/api/admin/caregivers/preview": {
        post: {
          summary:
            "Preview a new approved-caregivers CSV (comma or semicolon, BOM allowed): rows and the difference (added, removed, changed) against the current list; writes nothing; 400 with a Swedish message naming the line",
          responses: { ...ok("{currentVersion, rows, diff, unchanged}"), ...errors(400, 401, 403, 404) },
        },
      },
      "/api/admin/caregivers/publish": {
        post: {
          summary:
            "Publish a previewed list: body {csv, expectedCurrentVersion, confirm: true}; 400 when the current list moved since the preview; audited",
          responses: { ...ok("{version, count, changed, diff}"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/admin/caregivers/rollback": {
        post: {
          summary: "Make an earlier stored version current again: body {version, confirm: true}; audited",
          responses: { ...ok("{version, count, changed, diff}"), ...errors(400, 401, 403, 404, 409) },
        },
      },
    },
  };
}
