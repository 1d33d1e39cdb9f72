// Unreadable files stay visible (issue 11): a file the reader refuses is parked by the real ReadForm; the handler
// gets the reason (not a 500) and can download the original as it arrived; the mail room's intake list says why
// in Swedish and asks for a new scan; the case page shows the reason and the download.
import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "../../shared/use-cases/case-detail.ts";
import { BUCKET } from "./support/harness.ts";
import { UNREADABLE as U, withUnreadableCase } from "./support/unreadable.ts";

const ID = U.caseId;
const unreadable = () => withUnreadableCase();

describe("an unreadable scan", () => {
  it("the viewer answers 422 with the reason in Swedish, not 500", async () => {
    const h = await unreadable();
    const res = await h.call("GET", `/api/cases/${ID}/scan`, { token: h.tokens.handler });
    expect(res.status).toBe(422);
    expect(res.json.error).toBe("UnreadableScanError");
    expect(res.json.message).toBe(
      "Skanningen kan inte visas: Filen är inte en bild eller PDF (PNG, JPEG, TIFF eller PDF). Ladda ned originalfilen.",
    );
  });

  it("the original file is given as a one-minute link to the bucket under its own name, and the read is audited", async () => {
    const h = await unreadable();
    const res = await h.call("GET", `/api/cases/${ID}/original-link`, { token: h.tokens.handler });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      url: `http://127.0.0.1:4569/${BUCKET}/${U.key}?X-Amz-Signature=test`,
      fileName: "brev från kommunen.docx",
      expiresIn: 60,
    });
    expect(h.signer.links).toEqual([
      { bucket: BUCKET, key: U.key, fileName: "brev från kommunen.docx", expiresIn: 60 },
    ]);
    expect((await h.audit.byCase(ID)).map((e) => [e.action, e.user])).toEqual([["READ_ORIGINAL", "user:anna"]]);
    expect((await h.call("GET", `/api/cases/${ID}/original-link`, { token: h.tokens.mailroom })).status).toBe(403);
    // The bucket serves it as an attachment under this header (S3UploadSigner.presignGet).
    // A file name cannot break the header or smuggle a path.
    expect(attachmentDisposition('a"b;\r\nc/../x.pdf')).toBe(
      `attachment; filename="a_b_c..x.pdf"; filename*=UTF-8''a%22b%3Bc..x.pdf`,
    );
  });

  it("the case detail and page show why, with the download button", async () => {
    const h = await unreadable();
    const res = await h.call("GET", `/api/cases/${ID}`, { token: h.tokens.handler });
    expect(res.json.unreadable).toEqual({
      reason: "Filen är inte en bild eller PDF (PNG, JPEG, TIFF eller PDF).",
      cause: "file named .docx is not a PNG, JPEG, TIFF or PDF (unrecognised content)",
    });
    const page = await h.call("GET", `/cases/${ID}`, { cookie: `lockdesk_token=${h.tokens.handler}` });
    expect(page.body).toContain(
      '<p id="unreadable-reason">Filen är inte en bild eller PDF (PNG, JPEG, TIFF eller PDF).</p>',
    );
    expect(page.body).toContain('id="download-original"');
    // It waits in the handlers' queue.
    const queue = await h.call("GET", "/api/review-queue", { token: h.tokens.handler });
    const item = queue.json.items.find((i: { caseId: string }) => i.caseId === ID);
    expect(item.note).toBe("Filen kunde inte läsas: Filen är inte en bild eller PDF (PNG, JPEG, TIFF eller PDF).");
  });

  it("a scan object that is gone answers 404, not 500", async () => {
    const h = await unreadable();
    await h.scans.delete(BUCKET, U.key);
    for (const path of [`/api/cases/${ID}/scan`, `/api/cases/${ID}/original-link`]) {
      const res = await h.call("GET", path, { token: h.tokens.handler });
      expect([path, res.status, res.json.error]).toEqual([path, 404, "ScanNotFoundError"]);
    }
  });

  it("the mail room's intake list gives the reason in Swedish and asks for a new scan", async () => {
    const h = await unreadable();
    const res = await h.call("GET", "/api/intake?date=2025-03-24", { token: h.tokens.mailroom });
    const item = res.json.items.find((i: { caseId: string }) => i.caseId === ID);
    expect(item.problem).toBe(
      "Filen är inte en bild eller PDF (PNG, JPEG, TIFF eller PDF). Skanna blanketten igen och ladda upp den på nytt.",
    );
    const failed = res.json.items.find((i: { caseId: string }) => i.caseId === "case-failed");
    expect(failed.problem).toBe("Filen är tom. Skanna blanketten igen och ladda upp den på nytt.");
    const js = (await h.call("GET", "/static/mailroom.js")).body as string;
    expect(js).toContain("cell(item.problem");
  });
});
