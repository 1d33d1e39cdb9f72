// Admin endpoints of the approved-caregivers list: current list + version, publish (CSV text or JSON {csv}),
// history with who and when, audit entries, rejected CSV with line/column, and the admin page (escaped output).
import { describe, expect, it } from "vitest";
import { awsDeps } from "../../functions/api/handler.ts";
import { CAREGIVER_LIST_AUDIT_ID } from "../../functions/api/router.ts";
import { DynamoCaregiverList } from "../../shared/adapters/aws/dynamo-caregiver-list.ts";
import { caregiverListVersion } from "../../shared/adapters/local/csv-caregiver-list.ts";
import { createHarness } from "./support/harness.ts";

const NEW_CSV = "name,organisationNumber\nHälsokällan Vårdcentral AB,556712-3400\nNy Vårdcentral AB,559123-4567\n";

describe("admin: approved caregivers", () => {
  it("shows the current list, publishes a new one (JSON {csv}) and lists the history newest first", async () => {
    const h = await createHarness();
    const before = await h.call("GET", "/api/admin/caregivers", { token: h.tokens.admin });
    expect(before.status).toBe(200);
    expect(before.json.count).toBe(8);
    expect(before.json.names).toContain("Hälsokällan Vårdcentral AB");
    const v1 = before.json.version as string;

    h.clock.set("2025-03-24T10:15:00.000Z");
    const put = await h.call("PUT", "/api/admin/caregivers", { token: h.tokens.admin, body: { csv: NEW_CSV } });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ version: caregiverListVersion(NEW_CSV), count: 2, changed: true });

    const after = await h.call("GET", "/api/admin/caregivers", { token: h.tokens.admin });
    expect(after.json).toEqual({
      version: caregiverListVersion(NEW_CSV),
      count: 2,
      names: ["Hälsokällan Vårdcentral AB", "Ny Vårdcentral AB"],
    });
    const history = await h.call("GET", "/api/admin/caregivers/history", { token: h.tokens.admin });
    expect(history.json.history).toEqual([
      {
        version: caregiverListVersion(NEW_CSV),
        previousVersion: v1,
        count: 2,
        uploadedBy: "user:admin",
        uploadedAt: "2025-03-24T10:15:00.000Z",
      },
      {
        version: v1,
        previousVersion: null,
        count: 8,
        uploadedBy: "user:admin",
        uploadedAt: "2025-03-24T09:00:00.000Z",
      },
    ]);

    const audit = await h.audit.byCase(CAREGIVER_LIST_AUDIT_ID);
    expect(audit).toEqual([
      {
        at: "2025-03-24T10:15:00.000Z",
        user: "user:admin",
        caseId: CAREGIVER_LIST_AUDIT_ID,
        action: "PUBLISH_CAREGIVER_LIST",
        detail: `version ${caregiverListVersion(NEW_CSV)}, 2 rows`,
      },
    ]);
  });

  it("accepts the CSV as plain text; identical content is unchanged (still audited)", async () => {
    const h = await createHarness();
    const first = await h.call("PUT", "/api/admin/caregivers", { token: h.tokens.admin, rawBody: NEW_CSV });
    expect(first.status).toBe(200);
    expect(first.json.changed).toBe(true);
    const again = await h.call("PUT", "/api/admin/caregivers", { token: h.tokens.admin, rawBody: NEW_CSV });
    expect(again.json).toEqual({ version: first.json.version, count: 2, changed: false });
    expect((await h.caregivers.history()).length).toBe(2);
    const audit = await h.audit.byCase(CAREGIVER_LIST_AUDIT_ID);
    expect(audit.map((a) => a.detail)).toEqual([
      `version ${first.json.version}, 2 rows`,
      `version ${first.json.version}, 2 rows, unchanged`,
    ]);
  });

  it("rejects a bad CSV with 400 naming line and column (not the value), and keeps the current list", async () => {
    const h = await createHarness();
    const current = await h.caregivers.current();
    const bad = "name,organisationNumber\nOk AB,556712-3400\nHemlig <b>AB</b>,5567\n";
    const res = await h.call("PUT", "/api/admin/caregivers", { token: h.tokens.admin, body: { csv: bad } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: "ValidationError",
      message: "approved-caregivers.csv line 3, column organisationNumber: expected NNNNNN-NNNN",
    });
    expect((await h.caregivers.current()).version).toBe(current.version);
    expect(await h.audit.byCase(CAREGIVER_LIST_AUDIT_ID)).toEqual([]);

    const empty = await h.call("PUT", "/api/admin/caregivers", { token: h.tokens.admin, rawBody: "" });
    expect(empty.status).toBe(400);
    const wrongJson = await h.call("PUT", "/api/admin/caregivers", { token: h.tokens.admin, body: { list: "x" } });
    expect(wrongJson.status).toBe(400);
  });

  it("answers 404 when no caregiver list is configured (existing deployments keep working)", async () => {
    const h = await createHarness();
    delete h.deps.caregivers;
    const res = await h.call("GET", "/api/admin/caregivers", { token: h.tokens.admin });
    expect(res.status).toBe(404);
    expect(res.json.error).toBe("NotConfiguredError");
  });

  it("renders the admin page in Swedish with the list, the history and escaped names", async () => {
    const h = await createHarness();
    h.clock.set("2025-03-24T11:00:00.000Z");
    await h.call("PUT", "/api/admin/caregivers", {
      token: h.tokens.admin,
      body: { csv: 'name,organisationNumber\n"<script>alert(1)</script> AB",556712-3400\n' },
    });
    const page = await h.call("GET", "/admin/caregivers", { cookie: `lockdesk_token=${h.tokens.admin}` });
    expect(page.status).toBe(200);
    const body = String(page.body);
    expect(body).toContain("Godkända vårdgivare");
    expect(body).toContain("Förhandsgranska");
    expect(body).toContain("556712-3400"); // organisation numbers are shown
    expect(body).toContain("Historik");
    expect(body).toContain("&lt;script&gt;alert(1)&lt;/script&gt; AB");
    expect(body).not.toContain("<script>alert(1)</script>");
    expect(body).toContain("2025-03-24 12:00:00"); // local time (Stockholm)
    expect(body).toContain("Admin A"); // a person's name, not "user:admin"
    expect(body).toContain('src="/static/caregivers.js"');
    // The history table has a row per change.
    expect(body.match(/<tr data-version=/g)).toHaveLength(2);
    const js = await h.call("GET", "/static/caregivers.js");
    expect(js.status).toBe(200);
  });

  it("the API Lambda wires DynamoCaregiverList only when REFERENCE_TABLE is set", () => {
    const env = {
      CASES_TABLE: "cases",
      AUDIT_TABLE: "audit",
      SCANS_BUCKET: "scans",
      STATE_MACHINE_ARN: "arn:aws:states:eu-north-1:000000000000:stateMachine:x",
      COGNITO_USER_POOL_ID: "eu-north-1_test",
      COGNITO_CLIENT_ID: "client",
      AWS_REGION: "eu-north-1",
    };
    expect(awsDeps(env).caregivers).toBeUndefined();
    expect(awsDeps({ ...env, REFERENCE_TABLE: "reference" }).caregivers).toBeInstanceOf(DynamoCaregiverList);
    // The case page's registry facts: the person registry only when the environment names one.
    expect(awsDeps(env).persons).toBeUndefined();
    const withRegistry = awsDeps({ ...env, REFERENCE_BUCKET: "reference", PERSONS_KEY: "reference/persons.csv" });
    expect(typeof withRegistry.persons?.findByPersonnummer).toBe("function");
  });
});
