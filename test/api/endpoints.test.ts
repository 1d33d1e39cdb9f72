// Behaviour of every endpoint on in-memory adapters (the authorization matrix is in its own file).
import { createHmac } from "node:crypto";
import { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { toApiRequest } from "../../functions/api/handler.ts";
import { S3UploadSigner, signingKey } from "../../functions/api/s3-upload-signer.ts";
import { createHarness, makeCase, PASSWORDS, PNR } from "./support/harness.ts";

const ID = "case-name-mismatch";

describe("mail room", () => {
  it("POST /api/uploads gives one presigned POST per file binding type, size and the receipt date", async () => {
    const h = await createHarness();
    h.clock.set("2025-03-25T09:00:00.000Z"); // the paper's stamp says the 24th: one day earlier
    const res = await h.call("POST", "/api/uploads", {
      token: h.tokens.mailroom,
      body: {
        receivedDate: "2025-03-24",
        files: [
          { fileName: "skanning 1.png", contentType: "image/png", size: 1234 },
          { fileName: "../../etc/passwd.pdf", contentType: "application/pdf" },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.json.uploads).toHaveLength(2);
    const [first, second] = res.json.uploads;
    expect(first.key).toMatch(/^incoming\/2025-03-24\/[0-9a-f-]{36}-skanning_1\.png$/);
    expect(second.key).toMatch(/^incoming\/2025-03-24\/[0-9a-f-]{36}-passwd\.pdf$/);
    expect(first.method).toBe("POST");
    expect(first.fields.key).toBe(first.key);
    const by = { "received-date": "2025-03-24", "received-date-by": "user:post" };
    expect(h.signer.calls.map((c) => c.metadata)).toEqual([by, by]);
    expect(h.signer.calls.map((c) => [c.contentType, c.minBytes, c.maxBytes])).toEqual([
      ["image/png", 1234, 1234],
      ["application/pdf", 1, 50 * 1024 * 1024],
    ]);
    expect(h.signer.calls[0]?.bucket).toBe("lockdesk-scans");
    // The earlier receipt date and who set it are in the audit log before any case exists.
    const audit = await h.audit.byUser("user:post");
    expect(audit.filter((e) => e.action === "SET_RECEIPT_DATE").map((e) => e.detail)).toEqual([
      "receipt date 2025-03-24 (arrival 2025-03-25)",
      "receipt date 2025-03-24 (arrival 2025-03-25)",
    ]);
  });

  it("POST /api/uploads refuses a receipt date in the future or more than 14 days back, in Swedish", async () => {
    const h = await createHarness();
    const files = [{ fileName: "a.png", contentType: "image/png" }];
    for (const [receivedDate, message] of [
      ["2025-03-25", /ligger i framtiden/],
      ["2025-03-09", /mer än 14 dagar gammalt: det tidigaste som går att ange är 2025-03-10/],
      ["1900-01-01", /mer än 14 dagar gammalt/],
    ] as const) {
      const res = await h.call("POST", "/api/uploads", { token: h.tokens.mailroom, body: { receivedDate, files } });
      expect(res.status, receivedDate).toBe(400);
      expect(res.json.message).toMatch(message);
    }
    expect(h.signer.calls).toEqual([]);
    const edge = await h.call("POST", "/api/uploads", {
      token: h.tokens.mailroom,
      body: { receivedDate: "2025-03-10", files },
    });
    expect(edge.status).toBe(201);
  });

  it("POST /api/uploads defaults the receipt date to today in Sweden and refuses malformed bodies with 400", async () => {
    const h = await createHarness();
    h.clock.set("2025-03-24T23:30:00.000Z"); // already the 25th in Stockholm
    const ok = await h.call("POST", "/api/uploads", {
      token: h.tokens.mailroom,
      body: { files: [{ fileName: "a.tif", contentType: "image/tiff" }] },
    });
    expect(ok.json.receivedDate).toBe("2025-03-25");
    for (const body of [
      { files: [] },
      { files: [{ fileName: "a.exe", contentType: "application/x-msdownload" }] },
      { receivedDate: "24/3", files: [{ fileName: "a.png", contentType: "image/png" }] },
      { files: [{ fileName: "a.png", contentType: "image/png" }], extra: 1 },
    ]) {
      const res = await h.call("POST", "/api/uploads", { token: h.tokens.mailroom, body });
      expect(res.status).toBe(400);
      expect(res.json.issues.length).toBeGreaterThan(0);
    }
    const notJson = await h.call("POST", "/api/uploads", { token: h.tokens.mailroom, rawBody: "{files:" });
    expect(notJson.status).toBe(400);
    expect(notJson.json.message).toMatch(/not valid JSON/);
  });

  it("S3UploadSigner: a SigV4 POST policy binding key, type, size range and metadata, for 15 minutes", async () => {
    const s3 = new S3Client({
      region: "eu-north-1",
      endpoint: "http://127.0.0.1:4569",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER", sessionToken: "tok" },
    });
    const now = new Date("2025-03-24T10:00:00.000Z");
    const post = await new S3UploadSigner(s3, () => now).presignPost({
      bucket: "b",
      key: "incoming/2025-03-24/x.png",
      contentType: "image/png",
      minBytes: 10,
      maxBytes: 10,
      metadata: { "received-date": "2025-03-24" },
      expiresIn: 900,
    });
    expect(post.url).toBe("http://127.0.0.1:4569/b/");
    expect(post.fields).toMatchObject({
      key: "incoming/2025-03-24/x.png",
      "Content-Type": "image/png",
      "x-amz-meta-received-date": "2025-03-24",
      "x-amz-algorithm": "AWS4-HMAC-SHA256",
      "x-amz-credential": "S3RVER/20250324/eu-north-1/s3/aws4_request",
      "x-amz-date": "20250324T100000Z",
      "x-amz-security-token": "tok",
    });
    const policy = JSON.parse(Buffer.from(post.fields.policy ?? "", "base64").toString("utf8"));
    expect(policy.expiration).toBe("2025-03-24T10:15:00.000Z");
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: "b" },
        { key: "incoming/2025-03-24/x.png" },
        { "Content-Type": "image/png" },
        ["content-length-range", 10, 10],
        { "x-amz-meta-received-date": "2025-03-24" },
      ]),
    );
    // The signature is HMAC-SHA256 of the encoded policy with the day's SigV4 key.
    const key = signingKey("S3RVER", "20250324", "eu-north-1", "s3");
    expect(post.fields["x-amz-signature"]).toBe(
      createHmac("sha256", key)
        .update(post.fields.policy ?? "")
        .digest("hex"),
    );
  });

  it("S3UploadSigner: a GET link of 60 s that has the bucket serve the original as an attachment under its name", async () => {
    const s3 = new S3Client({
      region: "eu-north-1",
      endpoint: "http://127.0.0.1:4569",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    const url = new URL(
      await new S3UploadSigner(s3).presignGet({
        bucket: "b",
        key: "incoming/2025-03-24/brev från kommunen.docx",
        fileName: "brev från kommunen.docx",
        expiresIn: 60,
      }),
    );
    expect(`${url.origin}${decodeURIComponent(url.pathname)}`).toBe(
      "http://127.0.0.1:4569/b/incoming/2025-03-24/brev från kommunen.docx",
    );
    expect(url.searchParams.get("X-Amz-Expires")).toBe("60");
    expect(url.searchParams.get("response-content-disposition")).toBe(
      `attachment; filename="brev fran kommunen.docx"; filename*=UTF-8''brev%20fr%C3%A5n%20kommunen.docx`,
    );
    expect(url.searchParams.get("response-content-type")).toBe("application/octet-stream");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("signingKey follows AWS's published SigV4 example", () => {
    // docs.aws.amazon.com, "Examples of how to derive a signing key for Signature Version 4".
    expect(signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam").toString("hex")).toBe(
      "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
    );
  });

  it("GET /api/intake lists the day's scans with file name, case id and status only", async () => {
    const h = await createHarness();
    const res = await h.call("GET", "/api/intake?date=2025-03-24", { token: h.tokens.mailroom });
    expect(res.status).toBe(200);
    expect(res.json.items.map((i: { caseId: string }) => i.caseId)).toEqual(["case-failed", ID]);
    for (const item of res.json.items) {
      // An unreadable scan (the failed one: an empty file) also says why, in Swedish, and asks for a new scan.
      const keys = [
        "caseId",
        "fileName",
        "key",
        "receivedAt",
        "receivedDate",
        "status",
        ...(item.caseId === "case-failed" ? ["problem"] : []),
      ];
      expect(Object.keys(item).sort()).toEqual(keys.sort());
    }
    expect(res.body).not.toContain(PNR.saga);
    expect(res.body).not.toContain("Saga");
    expect(res.json.counts).toEqual({ FAILED: 1, IN_REVIEW: 1 });
    expect((await h.call("GET", "/api/intake?date=igår", { token: h.tokens.mailroom })).status).toBe(400);
  });
});

describe("handlers", () => {
  it("GET /api/review-queue: urgent first, then by receipt date, counts per reason, masked personnummer, filter by reason", async () => {
    const h = await createHarness();
    const res = await h.call("GET", "/api/review-queue", { token: h.tokens.handler });
    expect(res.status).toBe(200);
    // The NAME_MISMATCH form (1177-VG) has "Brådskande" ticked: it goes first though it arrived last.
    expect(res.json.items.map((i: { caseId: string }) => i.caseId)).toEqual([ID, "case-phone", "case-failed"]);
    expect(res.json.items.map((i: { urgent: boolean }) => i.urgent)).toEqual([true, false, false]);
    expect(res.json.items.map((i: { waitingDays: number }) => i.waitingDays)).toEqual([0, 3, 0]);
    expect(res.json.counts).toEqual({ PHONE_VERIFICATION: 1, FAILED: 1, NAME_MISMATCH: 1 });
    expect(res.json.items[0].maskedPersonnummer).toBe("20030109-****");
    expect(res.body).not.toContain(PNR.saga);
    const filtered = await h.call("GET", "/api/review-queue?reason=NAME_MISMATCH", { token: h.tokens.handler });
    expect(filtered.json.items.map((i: { caseId: string }) => i.caseId)).toEqual([ID]);
    expect(filtered.json.total).toBe(3);
    expect((await h.call("GET", "/api/review-queue?reason=<x>", { token: h.tokens.handler })).status).toBe(400);
  });

  it("GET /api/cases/:id: fields with confidence and boxes, reasons, registry, earlier cases, history; audited", async () => {
    const h = await createHarness();
    const res = await h.call("GET", `/api/cases/${ID}`, { token: h.tokens.handler });
    expect(res.status).toBe(200);
    const surname = res.json.fields.find((f: { name: string }) => f.name === "citizen.surname");
    expect(surname).toMatchObject({ value: "Holm", readValue: "Holm", corrected: false, confidence: 0.97 });
    expect(surname.box).toMatchObject({ page: 0, x: expect.any(Number), w: expect.any(Number) });
    expect(res.json.case.reasons).toEqual(["NAME_MISMATCH"]);
    expect(res.json.case.registry).toMatchObject({ found: true, nameMatches: false });
    expect(res.json.earlierCases).toEqual([
      expect.objectContaining({ caseId: "case-earlier", status: "EXECUTED", receivedDate: "2025-01-10" }),
    ]);
    expect(res.json.case.history.length).toBeGreaterThan(0);
    expect(await h.audit.byCase(ID)).toEqual([
      { at: "2025-03-24T09:00:00.000Z", user: "user:anna", caseId: ID, action: "READ_CASE" },
    ]);
    expect((await h.call("GET", "/api/cases/nope", { token: h.tokens.handler })).status).toBe(404);
    expect((await h.call("GET", "/api/cases/a%20b", { token: h.tokens.handler })).status).toBe(404);
  });

  it("GET /api/cases/:id/scan returns page 1 as PNG and audits the read", async () => {
    const h = await createHarness();
    const res = await h.call("GET", `/api/cases/${ID}/scan`, { token: h.tokens.handler });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    const bytes = res.body as Uint8Array;
    expect([...bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect((await h.audit.byCase(ID)).map((e) => e.action)).toEqual(["READ_SCAN"]);
    const urgent = await h.call("POST", "/api/cases", {
      token: h.tokens.handler,
      body: { formCode: "1177-EGEN", action: "LOCK", fields: {}, note: "telefon" },
    });
    expect(
      (await h.call("GET", `/api/cases/${urgent.json.case.caseId}/scan`, { token: h.tokens.handler })).status,
    ).toBe(404);
  });

  it("PATCH /api/cases/:id/fields stores corrections beside the read value and updates the subject", async () => {
    const h = await createHarness();
    const res = await h.call("PATCH", `/api/cases/${ID}/fields`, {
      token: h.tokens.handler,
      body: { version: 3, corrections: { "citizen.surname": "Nilsson", "citizen.personnummer": "20030109-2383" } },
    });
    expect(res.status).toBe(200);
    expect(res.json.case.version).toBe(4);
    const stored = await h.cases.get(ID);
    expect(stored?.corrections).toEqual({ "citizen.surname": "Nilsson", "citizen.personnummer": PNR.saga });
    expect(stored?.fields["citizen.surname"]?.value).toBe("Holm");
    expect(stored?.history.at(-1)).toMatchObject({
      by: "user:anna",
      what: "fields corrected: citizen.personnummer, citizen.surname",
    });
    const audit = await h.audit.byCase(ID);
    expect(audit.at(-1)).toMatchObject({ action: "CORRECT_FIELDS", detail: "citizen.personnummer,citizen.surname" });
    expect(JSON.stringify(audit)).not.toContain("Nilsson");
    const detail = await h.call("GET", `/api/cases/${ID}`, { token: h.tokens.handler });
    expect(detail.json.fields.find((f: { name: string }) => f.name === "citizen.surname")).toMatchObject({
      value: "Nilsson",
      readValue: "Holm",
      corrected: true,
    });
    // Unknown field, wrong type, stale version, empty corrections.
    const bad = [
      [{ version: 4, corrections: { "citizen.shoeSize": "44" } }, 400],
      [{ version: 4, corrections: { "action.lock": "ja" } }, 400],
      [{ version: 4, corrections: {} }, 400],
      [{ version: 3, corrections: { "citizen.surname": "X" } }, 409],
    ] as const;
    for (const [body, status] of bad) {
      expect((await h.call("PATCH", `/api/cases/${ID}/fields`, { token: h.tokens.handler, body })).status).toBe(status);
    }
    expect((await h.cases.get(ID))?.version).toBe(4);
  });

  it("POST /api/cases/:id/decision APPROVE: status APPROVED, decision recorded and audited, resumer called", async () => {
    const h = await createHarness();
    // A LOCK whose only doubt is a low-confidence read: one handler may decide (no four eyes).
    const LOW = "case-low-confidence";
    await h.cases.create(makeCase({ caseId: LOW, reasons: ["LOW_CONFIDENCE"], subjectPersonnummer: PNR.saga }));
    expect((await h.call("POST", `/api/cases/${LOW}/claim`, { token: h.tokens.handler })).status).toBe(200);
    const res = await h.call("POST", `/api/cases/${LOW}/decision`, {
      token: h.tokens.handler,
      body: { decision: "APPROVE", version: 4, note: "Läst rätt" },
    });
    expect(res.status).toBe(200);
    const stored = await h.cases.get(LOW);
    expect(stored?.status).toBe("APPROVED");
    expect(stored?.claimedBy).toBeUndefined();
    expect(stored?.handlerDecision).toEqual({
      by: "user:anna",
      at: "2025-03-24T09:00:00.000Z",
      decision: "APPROVE",
      note: "Läst rätt",
    });
    expect(h.resumed).toEqual([LOW]);
    expect((await h.audit.byCase(LOW)).map((e) => e.action)).toEqual(["CLAIM", "DECIDE_APPROVE"]);
    // Decided cases leave the queue, and cannot be decided again.
    const queue = await h.call("GET", "/api/review-queue", { token: h.tokens.handler });
    expect(queue.json.items.map((i: { caseId: string }) => i.caseId)).not.toContain(LOW);
    const again = await h.call("POST", `/api/cases/${LOW}/decision`, {
      token: h.tokens.handler,
      body: { decision: "APPROVE", version: 5 },
    });
    expect(again.status).toBe(409);
    expect(again.json.error).toBe("InvalidCaseStateError");
  });

  it("POST /api/cases/:id/decision RETURN needs return reasons, CLOSE a note; malformed bodies are 400", async () => {
    const h = await createHarness();
    const call = (body: unknown) => h.call("POST", `/api/cases/${ID}/decision`, { token: h.tokens.handler, body });
    expect((await h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler })).status).toBe(200);
    expect((await call({ decision: "RETURN", version: 4 })).status).toBe(400);
    // Any contract code may be a return reason (REVIEW codes have texts a sender can act on); pipeline codes not.
    expect((await call({ decision: "RETURN", version: 4, returnReasons: ["LOW_CONFIDENCE"] })).status).toBe(400);
    expect((await call({ decision: "CLOSE", version: 4 })).status).toBe(400);
    expect((await call({ decision: "MAYBE", version: 4 })).status).toBe(400);
    expect((await call({ decision: "APPROVE" })).status).toBe(400);
    expect((await call({ decision: "APPROVE", version: "4" })).status).toBe(400);
    expect((await h.cases.get(ID))?.version).toBe(4);
    const ret = await call({
      decision: "RETURN",
      version: 4,
      returnReasons: ["CAREGIVER_NOT_APPROVED", "NOT_VIDIMATED"],
    });
    expect(ret.status).toBe(200);
    const stored = await h.cases.get(ID);
    expect(stored?.decision).toBe("RETURN");
    expect(stored?.reasons).toEqual(["NOT_VIDIMATED", "CAREGIVER_NOT_APPROVED"]);
    expect(h.resumed).toEqual([ID]);

    expect((await h.call("POST", "/api/cases/case-phone/claim", { token: h.tokens.handler })).status).toBe(200);
    const close = await h.call("POST", "/api/cases/case-phone/decision", {
      token: h.tokens.handler,
      body: { decision: "CLOSE", version: 4, note: "Dubblett" },
    });
    expect(close.status).toBe(200);
    expect((await h.cases.get("case-phone"))?.status).toBe("CLOSED");
    expect(h.resumed).toEqual([ID]);
  });

  it("POST /api/cases/:id/phone-verification records the call and audits only the outcome", async () => {
    const h = await createHarness();
    const res = await h.call("POST", "/api/cases/case-phone/phone-verification", {
      token: h.tokens.handler,
      body: { calledName: "Olof Söderberg", phone: "0500-42 96 73", outcome: "VERIFIED", version: 3 },
    });
    expect(res.status).toBe(200);
    const stored = await h.cases.get("case-phone");
    expect(stored?.phoneVerifications).toEqual([
      {
        at: "2025-03-24T09:00:00.000Z",
        by: "user:anna",
        calledName: "Olof Söderberg",
        phone: "0500-42 96 73",
        outcome: "VERIFIED",
      },
    ]);
    const audit = await h.audit.byCase("case-phone");
    expect(audit).toEqual([expect.objectContaining({ action: "PHONE_VERIFICATION", detail: "VERIFIED" })]);
    const bad = await h.call("POST", "/api/cases/case-phone/phone-verification", {
      token: h.tokens.handler,
      body: { calledName: "", phone: "abc", outcome: "MAYBE", version: 4 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.issues.map((i: { path: string }) => i.path).sort()).toEqual(["calledName", "outcome", "phone"]);
  });

  it("POST /api/cases/:id/manual-execution: waiting case in the queue with its checklist; confirm → APPROVED, audited, resumed", async () => {
    const h = await createHarness();
    const id = "case-manual";
    await h.cases.create(
      makeCase({
        caseId: id,
        status: "AWAITING_MANUAL_EXECUTION",
        decision: "EXECUTE",
        subjectPersonnummer: PNR.saga,
        execution: { result: "MANUAL_PENDING", at: "2025-03-24T08:00:00.000Z", details: {} },
        manualChecklist: [
          { step: "Lås invånarens inloggning till 1177 e-tjänster.", done: false },
          { step: `Bekräfta utförandet i lockdesk för ärende ${id}; då skickas bekräftelsen.`, done: false },
        ],
      }),
    );
    const queue = await h.call("GET", "/api/review-queue?reason=AWAITING_MANUAL_EXECUTION", {
      token: h.tokens.handler,
    });
    expect(queue.status).toBe(200);
    expect(queue.json.items.map((i: { caseId: string; status: string }) => [i.caseId, i.status])).toEqual([
      [id, "AWAITING_MANUAL_EXECUTION"],
    ]);
    const detail = await h.call("GET", `/api/cases/${id}`, { token: h.tokens.handler });
    expect(detail.json.case.manualChecklist).toHaveLength(2);

    const stale = await h.call("POST", `/api/cases/${id}/manual-execution`, {
      token: h.tokens.handler,
      body: { version: 2 },
    });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toBe("CaseVersionConflictError");
    const bad = await h.call("POST", `/api/cases/${id}/manual-execution`, { token: h.tokens.handler, body: {} });
    expect(bad.status).toBe(400);
    expect(h.resumed).toEqual([]);

    const res = await h.call("POST", `/api/cases/${id}/manual-execution`, {
      token: h.tokens.handler,
      body: { version: 3 },
    });
    expect(res.status).toBe(200);
    expect(res.json.case.status).toBe("APPROVED");
    const stored = await h.cases.get(id);
    expect(stored?.execution).toMatchObject({
      result: "LOCKED",
      details: { manual: "true", confirmedBy: "user:anna" },
    });
    expect(stored?.manualChecklist?.every((s) => s.done)).toBe(true);
    expect(h.resumed).toEqual([id]);
    expect((await h.audit.byCase(id)).map((e) => e.action)).toContain("CONFIRM_MANUAL_EXECUTION");
    // Out of the queue, and it cannot be confirmed twice.
    const after = await h.call("GET", "/api/review-queue", { token: h.tokens.handler });
    expect(after.json.items.map((i: { caseId: string }) => i.caseId)).not.toContain(id);
    const again = await h.call("POST", `/api/cases/${id}/manual-execution`, {
      token: h.tokens.handler,
      body: { version: 4 },
    });
    expect(again.status).toBe(409);
    expect(again.json.error).toBe("ActionNotAllowedError");
    expect(h.resumed).toEqual([id]);
  });

  it("POST /api/cases creates an urgent case by hand; POST /api/cases/:id/link links the later scan", async () => {
    const h = await createHarness();
    const res = await h.call("POST", "/api/cases", {
      token: h.tokens.handler,
      body: {
        formCode: "1177-VG",
        action: "LOCK",
        fields: { "citizen.personnummer": "200301012399", "citizen.givenName": "Test", "citizen.surname": "Testsson" },
        note: "Kontaktcenter ringde",
      },
    });
    expect(res.status).toBe(201);
    const urgent = res.json.case;
    expect(urgent).toMatchObject({
      status: "IN_REVIEW",
      manual: true,
      subjectPersonnummer: PNR.other,
      claimedBy: "user:anna",
    });
    expect(urgent.fields["action.lock"].value).toBe(true);
    expect(urgent.fields["action.unlock"].value).toBe(false);
    expect(urgent.caseId).toMatch(/^urgent-2025-03-24-/);
    const wrongAction = await h.call("POST", "/api/cases", {
      token: h.tokens.handler,
      body: { formCode: "1177-VH", action: "LOCK", fields: {}, note: "x" },
    });
    expect(wrongAction.status).toBe(400);

    const link = await h.call("POST", `/api/cases/${urgent.caseId}/link`, {
      token: h.tokens.handler,
      body: { scanCaseId: "case-phone" },
    });
    expect(link.status).toBe(200);
    expect((await h.cases.get(urgent.caseId))?.links).toEqual({ scanCaseId: "case-phone" });
    expect((await h.cases.get("case-phone"))?.links).toEqual({ urgentCaseId: urgent.caseId });
    const notUrgent = await h.call("POST", `/api/cases/${ID}/link`, {
      token: h.tokens.handler,
      body: { scanCaseId: "case-phone" },
    });
    expect(notUrgent.status).toBe(409);
    const missing = await h.call("POST", `/api/cases/${urgent.caseId}/link`, {
      token: h.tokens.handler,
      body: { scanCaseId: "nope" },
    });
    expect(missing.status).toBe(404);
  });

  it("POST claim/release: claim is idempotent for the holder and shows in the queue", async () => {
    const h = await createHarness();
    const a = await h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler });
    const b = await h.call("POST", `/api/cases/${ID}/claim`, { token: h.tokens.handler });
    expect(a.json.case.claimedBy).toBe("user:anna");
    expect(b.json.case.version).toBe(a.json.case.version);
    const queue = await h.call("GET", "/api/review-queue?reason=NAME_MISMATCH", { token: h.tokens.handler });
    expect(queue.json.items[0].claimedBy).toBe("user:anna");
    const released = await h.call("POST", `/api/cases/${ID}/release`, { token: h.tokens.handler });
    expect(released.json.case.claimedBy).toBeUndefined();
    expect((await h.audit.byCase(ID)).map((e) => e.action)).toEqual(["CLAIM", "RELEASE"]);
  });
});

describe("admin, auth and plumbing", () => {
  it("GET /api/audit by case and by user; needs exactly one of them", async () => {
    const h = await createHarness();
    await h.call("GET", `/api/cases/${ID}`, { token: h.tokens.handler });
    await h.call("GET", "/api/cases/case-phone", { token: h.tokens.handler2 });
    const byCase = await h.call("GET", `/api/audit?caseId=${ID}`, { token: h.tokens.admin });
    expect(byCase.json.entries).toEqual([expect.objectContaining({ user: "user:anna", action: "READ_CASE" })]);
    const byUser = await h.call("GET", "/api/audit?user=user:bertil", { token: h.tokens.admin });
    expect(byUser.json.entries).toEqual([expect.objectContaining({ caseId: "case-phone" })]);
    expect((await h.call("GET", "/api/audit", { token: h.tokens.admin })).status).toBe(400);
    expect((await h.call("GET", `/api/audit?caseId=${ID}&user=x`, { token: h.tokens.admin })).status).toBe(400);
  });

  it("POST /api/dev-login issues a token for the right password only", async () => {
    const h = await createHarness();
    const ok = await h.call("POST", "/api/dev-login", { body: { userId: "anna", password: PASSWORDS.anna } });
    expect(ok.status).toBe(200);
    expect(ok.json.user).toEqual({ userId: "anna", displayName: "Anna H", groups: ["handler"] });
    const me = await h.call("GET", "/api/me", { token: ok.json.token });
    expect(me.json.userId).toBe("anna");
    expect((await h.call("POST", "/api/dev-login", { body: { userId: "anna", password: "fel" } })).status).toBe(401);
    expect((await h.call("POST", "/api/dev-login", { body: { userId: "ingen", password: "x" } })).status).toBe(401);
    expect((await h.call("POST", "/api/dev-login", { body: { userId: "anna" } })).status).toBe(400);
    const { devLogin: _omit, ...awsLike } = h.deps;
    const { handleRequest } = await import("../../functions/api/router.ts");
    const off = await handleRequest(
      { method: "POST", path: "/api/dev-login", query: {}, headers: {}, body: "{}" },
      awsLike,
    );
    expect(off.status).toBe(404);
  });

  it("GET /api/openapi.json is generated from the zod schemas", async () => {
    const h = await createHarness();
    const res = await h.call("GET", "/api/openapi.json");
    expect(res.json.openapi).toBe("3.1.0");
    const decision = res.json.components.schemas.DecisionBody;
    expect(decision.properties.decision.enum).toEqual(["APPROVE", "RETURN", "CLOSE", "REJECT", "WITHDRAW"]);
    expect(decision.required).toEqual(["decision", "version"]);
    expect(res.json.paths["/api/cases/{id}/decision"].post.responses["409"]).toBeDefined();
  });

  it("unknown routes 404, wrong methods 405", async () => {
    const h = await createHarness();
    expect((await h.call("GET", "/api/nothing", { token: h.tokens.admin })).status).toBe(404);
    const wrong = await h.call("DELETE", `/api/cases/${ID}`, { token: h.tokens.admin });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe("GET");
  });

  it("maps an API Gateway HTTP API v2 event to the router's request", () => {
    const req = toApiRequest({
      version: "2.0",
      routeKey: "$default",
      rawPath: "/api/review-queue",
      rawQueryString: "reason=NAME_MISMATCH",
      headers: { Authorization: "Bearer abc" },
      cookies: ["a=1", "lockdesk_token=t"],
      isBase64Encoded: true,
      body: Buffer.from('{"x":1}').toString("base64"),
      requestContext: { http: { method: "POST" } },
    } as unknown as Parameters<typeof toApiRequest>[0]);
    expect(req).toEqual({
      method: "POST",
      path: "/api/review-queue",
      query: { reason: "NAME_MISMATCH" },
      headers: { authorization: "Bearer abc", cookie: "a=1; lockdesk_token=t" },
      body: '{"x":1}',
    });
  });
});

describe("pages", () => {
  it("the queue shows masked personnummer only; the case page escapes everything read by OCR", async () => {
    const h = await createHarness();
    await h.cases.create(
      makeCase({
        caseId: "case-xss",
        receivedAt: "2025-03-24T08:30:00.000Z",
        subjectPersonnummer: PNR.child,
        fields: {
          "citizen.surname": { value: '<script>alert(1)</script>"><img src=x onerror=alert(2)>', confidence: 0.4 },
        },
        reasons: ["LOW_CONFIDENCE"],
      }),
    );
    const cookie = `lockdesk_token=${h.tokens.handler}`;
    const queue = await h.call("GET", "/queue", { cookie });
    expect(queue.status).toBe(200);
    expect(queue.body).toContain("20030109-****");
    expect(queue.body).not.toContain(PNR.saga);
    expect(queue.body).not.toContain(PNR.child);
    expect(queue.headers["content-security-policy"]).toContain("script-src 'self'");
    const page = await h.call("GET", "/cases/case-xss", { cookie });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("<script>alert");
    expect(page.body).not.toContain("<img src=x");
    expect(page.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    expect(page.body).not.toMatch(/<script>(?!<\/script>)/); // no inline scripts at all
    expect((await h.audit.byCase("case-xss")).map((e) => e.action)).toEqual(["READ_CASE"]);
  });

  it("login page, static assets, root redirect", async () => {
    const h = await createHarness();
    const login = await h.call("GET", "/login");
    expect(login.body).toContain('id="login-form"');
    const js = await h.call("GET", "/static/case.js");
    expect(js.headers["content-type"]).toContain("javascript");
    expect((await h.call("GET", "/static/../../package.json")).status).toBe(404);
    expect((await h.call("GET", "/")).headers.location).toBe("/login");
    expect((await h.call("GET", "/", { cookie: `lockdesk_token=${h.tokens.mailroom}` })).headers.location).toBe(
      "/mailroom",
    );
  });
});
