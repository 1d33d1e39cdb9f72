// Every endpoint × anonymous / mailroom / handler / admin: anonymous → 401 (pages: redirect to the login),
// a role outside the endpoint's groups → 403, an allowed role gets past authorization (any non-401/403,
// non-5xx answer: the endpoint's own tests check the result).
import { describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.ts";

type Role = "mailroom" | "handler" | "admin";
const ID = "case-name-mismatch";

interface Endpoint {
  method: string;
  path: string;
  body?: unknown;
  allowed: Role[];
  page?: boolean;
}

const urgentBody = {
  formCode: "1177-VG",
  action: "LOCK",
  fields: { "citizen.personnummer": "200301012399", "citizen.givenName": "Test", "citizen.surname": "Testsson" },
  note: "Kontaktcenter ringde 09:10",
};

const endpoints: Endpoint[] = [
  {
    method: "POST",
    path: "/api/uploads",
    body: { files: [{ fileName: "a.png", contentType: "image/png" }] },
    allowed: ["mailroom", "admin"],
  },
  { method: "GET", path: "/api/intake?date=2025-03-24", allowed: ["mailroom", "admin"] },
  { method: "GET", path: "/api/review-queue", allowed: ["handler", "admin"] },
  { method: "POST", path: "/api/cases", body: urgentBody, allowed: ["handler", "admin"] },
  { method: "GET", path: `/api/cases/${ID}`, allowed: ["handler", "admin"] },
  { method: "GET", path: `/api/cases/${ID}/scan`, allowed: ["handler", "admin"] },
  { method: "GET", path: `/api/cases/${ID}/original-link`, allowed: ["handler", "admin"] },
  { method: "POST", path: `/api/cases/${ID}/claim`, allowed: ["handler", "admin"] },
  { method: "POST", path: `/api/cases/${ID}/release`, allowed: ["handler", "admin"] },
  {
    method: "PATCH",
    path: `/api/cases/${ID}/fields`,
    body: { version: 3, corrections: { "citizen.surname": "Nilsson" } },
    allowed: ["handler", "admin"],
  },
  {
    method: "POST",
    path: `/api/cases/${ID}/decision`,
    body: { decision: "APPROVE", version: 3 },
    allowed: ["handler", "admin"],
  },
  {
    method: "POST",
    path: `/api/cases/${ID}/phone-verification`,
    body: { calledName: "Olof Söderberg", phone: "0500-42 96 73", outcome: "VERIFIED", version: 3 },
    allowed: ["handler", "admin"],
  },
  // The fixture case is not waiting for manual execution: allowed roles get 409, never 401/403.
  {
    method: "POST",
    path: `/api/cases/${ID}/manual-execution`,
    body: { version: 3 },
    allowed: ["handler", "admin"],
  },
  { method: "POST", path: `/api/cases/${ID}/link`, body: { scanCaseId: "case-phone" }, allowed: ["handler", "admin"] },
  { method: "GET", path: `/api/audit?caseId=${ID}`, allowed: ["admin"] },
  { method: "GET", path: "/api/audit?user=user:anna", allowed: ["admin"] },
  { method: "GET", path: "/api/me", allowed: ["mailroom", "handler", "admin"] },
  { method: "GET", path: "/api/admin/caregivers", allowed: ["admin"] },
  { method: "GET", path: "/api/admin/caregivers/history", allowed: ["admin"] },
  {
    method: "PUT",
    path: "/api/admin/caregivers",
    body: { csv: "name,organisationNumber\nNy Vårdcentral AB,556712-3400\n" },
    allowed: ["admin"],
  },
  { method: "GET", path: "/admin/caregivers", allowed: ["admin"], page: true },
  { method: "GET", path: "/queue", allowed: ["handler", "admin"], page: true },
  { method: "GET", path: `/cases/${ID}`, allowed: ["handler", "admin"], page: true },
  { method: "GET", path: "/mailroom", allowed: ["mailroom", "admin"], page: true },
];

const ROLES: Role[] = ["mailroom", "handler", "admin"];

function tokenOf(h: Harness, role: Role): string {
  return role === "mailroom" ? h.tokens.mailroom : role === "handler" ? h.tokens.handler : h.tokens.admin;
}

describe("authorization matrix", () => {
  for (const ep of endpoints) {
    it(`${ep.method} ${ep.path}: anonymous 401, ${ep.allowed.join("/")} allowed, others 403`, async () => {
      const h = await createHarness();
      const anon = await h.call(ep.method, ep.path, ep.body === undefined ? {} : { body: ep.body });
      if (ep.page) {
        expect(anon.status).toBe(302);
        expect(anon.headers.location).toBe("/login");
      } else {
        expect(anon.status).toBe(401);
        expect(anon.json.error).toBe("AuthenticationError");
      }
      // Forbidden roles first, so allowed calls that change the case cannot influence them.
      for (const role of ROLES.filter((r) => !ep.allowed.includes(r))) {
        const token = tokenOf(h, role);
        const res = await h.call(ep.method, ep.path, {
          ...(ep.page ? { cookie: `lockdesk_token=${token}` } : { token }),
          ...(ep.body === undefined ? {} : { body: ep.body }),
        });
        expect(res.status, `${role} must be refused`).toBe(403);
      }
      for (const role of ep.allowed) {
        const token = tokenOf(h, role);
        const res = await h.call(ep.method, ep.path, {
          ...(ep.page ? { cookie: `lockdesk_token=${token}` } : { token }),
          ...(ep.body === undefined ? {} : { body: ep.body }),
        });
        expect([401, 403], `${role} must pass authorization`).not.toContain(res.status);
        expect(res.status, `${role}: ${String(res.body).slice(0, 200)}`).toBeLessThan(500);
      }
    });
  }

  it("rejects a token signed by another key, a tampered token and a cookie on the API", async () => {
    const h = await createHarness();
    const other = await createHarness();
    expect((await h.call("GET", "/api/review-queue", { token: other.tokens.admin })).status).toBe(401);
    const [head, payload, sig] = h.tokens.handler.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    claims["cognito:groups"] = ["admin"];
    const forged = `${head}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${sig}`;
    expect((await h.call("GET", "/api/audit?caseId=x", { token: forged })).status).toBe(401);
    // The API takes the Bearer header only: a cookie alone (what a cross-site request would carry) is anonymous.
    expect((await h.call("GET", "/api/review-queue", { cookie: `lockdesk_token=${h.tokens.handler}` })).status).toBe(
      401,
    );
  });
});
