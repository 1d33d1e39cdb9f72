// The manual-execution confirmation in the OpenAPI document and on the case page, and the mail room's texts
// (Swedish statuses, file names without the upload's uuid prefix).
import { describe, expect, it } from "vitest";
import { CASE_STATUSES } from "../../shared/domain/case.ts";
import { originalFileName, STATUS_LABELS, statusLabel } from "../../web/static/intake-view.js";
import { createHarness, makeCase, PNR } from "./support/harness.ts";

const BUTTON = "Bekräfta utfört i 1177-verktyget";

describe("POST /api/cases/:id/manual-execution in the OpenAPI document", () => {
  it("lists the path with the version body (zod schema) and its error responses", async () => {
    const h = await createHarness();
    const doc = (await h.call("GET", "/api/openapi.json")).json;
    const op = doc.paths["/api/cases/{id}/manual-execution"]?.post;
    expect(op).toBeDefined();
    expect(op.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
    expect(op.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ManualExecutionBody",
    });
    expect(Object.keys(op.responses).sort()).toEqual(["200", "400", "401", "403", "404", "409"]);
    const body = doc.components.schemas.ManualExecutionBody;
    expect(body.required).toEqual(["version"]);
    expect(body.properties.version.type).toBe("integer");
    expect(body.additionalProperties).toBe(false);
  });
});

describe("case page: manual execution", () => {
  const checklist = [
    { step: "Lås invånarens inloggning till 1177 e-tjänster.", done: false },
    { step: 'Kontrollera <b>"spärren"</b> & logga.', done: true },
  ];

  it("a case awaiting manual execution shows the checklist (escaped) and the confirmation button", async () => {
    const h = await createHarness();
    await h.cases.create(
      makeCase({
        caseId: "case-manual",
        status: "AWAITING_MANUAL_EXECUTION",
        decision: "EXECUTE",
        subjectPersonnummer: PNR.saga,
        execution: { result: "MANUAL_PENDING", at: "2025-03-24T08:00:00.000Z", details: {} },
        manualChecklist: checklist,
      }),
    );
    const page = await h.call("GET", "/cases/case-manual", { cookie: `lockdesk_token=${h.tokens.handler}` });
    expect(page.status).toBe(200);
    const section = /<section class="manual-execution"[\s\S]*?<\/section>/.exec(String(page.body))?.[0] ?? "";
    expect(section).toContain("Manuell åtgärd i 1177-verktyget");
    const items = [...section.matchAll(/<li data-done="(\d)">([\s\S]*?)<\/li>/g)].map((m) => [m[1], m[2]]);
    expect(items).toEqual([
      ["0", "Lås invånarens inloggning till 1177 e-tjänster."],
      ["1", 'Kontrollera &lt;b&gt;&quot;spärren&quot;&lt;/b&gt; &amp; logga. <span class="tag">klart</span>'],
    ]);
    expect(page.body).not.toContain("<b>");
    // A real, enabled button (keyboard reachable without tabindex tricks); case.js posts the page's version.
    expect(section).toMatch(new RegExp(`<button type="button" id="confirm-manual">${BUTTON}</button>`));
    expect(page.body).toContain('data-version="3"');
    expect(page.body).toContain('src="/static/case.js"');
    const js = (await h.call("GET", "/static/case.js")).body as string;
    expect(js).toContain('getElementById("confirm-manual")');
    expect(js).toMatch(
      /api\("POST", `\/api\/cases\/\$\{encodeURIComponent\(caseId\)\}\/manual-execution`, \{ version \}\)/,
    );
  });

  it("other statuses have no confirmation", async () => {
    const h = await createHarness();
    await h.cases.create(
      makeCase({ caseId: "case-review", subjectPersonnummer: PNR.saga, manualChecklist: checklist }),
    );
    const page = await h.call("GET", "/cases/case-review", { cookie: `lockdesk_token=${h.tokens.handler}` });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("confirm-manual");
    expect(page.body).not.toContain(BUTTON);
  });
});

describe("mail room texts", () => {
  it("every case status has its Swedish text", () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...CASE_STATUSES].sort());
    expect(CASE_STATUSES.map((s) => [s, statusLabel(s)])).toEqual(
      CASE_STATUSES.map((s) => [
        s,
        {
          RECEIVED: "Mottagen",
          READ: "Läst",
          IN_REVIEW: "Hos handläggare",
          AWAITING_SECOND_APPROVAL: "Hos handläggare",
          EXECUTED: "Utförd",
          RETURNED: "Returnerad",
          CLOSED: "Avslutad",
          FAILED: "Fel – hos handläggare",
          APPROVED: "Godkänd",
          EXECUTING: "Utförs",
          AWAITING_MANUAL_EXECUTION: "Väntar på manuell åtgärd",
        }[s],
      ]),
    );
    expect(statusLabel("SOMETHING_NEW")).toBe("SOMETHING_NEW");
    expect(statusLabel("toString")).toBe("toString");
  });

  it("file names lose the upload's uuid prefix only", () => {
    expect(originalFileName("0f8fad5b-d9cb-469f-a165-70867728950e-sample-01.png")).toBe("sample-01.png");
    expect(originalFileName("0F8FAD5B-D9CB-469F-A165-70867728950E-Blankett_mars.pdf")).toBe("Blankett_mars.pdf");
    expect(originalFileName("sample-01.png")).toBe("sample-01.png");
    expect(originalFileName("2025-03-24-scan.png")).toBe("2025-03-24-scan.png");
    expect(originalFileName("")).toBe("");
  });

  it("the mail room page script uses them for the intake list", async () => {
    const h = await createHarness();
    const js = (await h.call("GET", "/static/mailroom.js")).body as string;
    expect(js).toContain('from "./intake-view.js"');
    expect(js).toContain("cell(originalFileName(item.fileName))");
    expect(js).toContain("cell(statusLabel(item.status))");
    const view = await h.call("GET", "/static/intake-view.js");
    expect(view.status).toBe(200);
    expect(view.headers["content-type"]).toContain("javascript");
  });
});
