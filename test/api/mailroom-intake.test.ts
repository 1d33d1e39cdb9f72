// Issue 14, mail room: "Dagens inkomna" is what ARRIVED today (Europe/Stockholm), not the entered receipt date;
// a file type the scanners do not make is refused by the API with a Swedish reason; every upload is audited.
import { describe, expect, it } from "vitest";
import { unsupportedFileReason } from "../../shared/use-cases/intake.ts";
import { unsupportedReason } from "../../web/static/intake-view.js";
import { BUCKET, createHarness, makeCase } from "./support/harness.ts";

describe("mail room intake and uploads", () => {
  it("lists today's arrivals (Swedish calendar) with their receipt date, not the cases with today's receipt date", async () => {
    const h = await createHarness(); // clock: 2025-03-24T09:00Z
    await h.cases.create(
      makeCase({
        caseId: "case-arrived-today-old-stamp",
        receivedAt: "2025-03-23T23:30:00.000Z", // 00:30 on 24 March in Stockholm
        receivedDate: "2025-03-20",
        scan: { bucket: BUCKET, key: "incoming/2025-03-20/a.png", fileName: "a.png" },
      }),
    );
    await h.cases.create(
      makeCase({
        caseId: "case-stamped-today-arrived-earlier",
        receivedAt: "2025-03-22T10:00:00.000Z",
        receivedDate: "2025-03-24",
        scan: { bucket: BUCKET, key: "incoming/2025-03-24/b.png", fileName: "b.png" },
      }),
    );
    const res = await h.call("GET", "/api/intake", { token: h.tokens.mailroom });
    expect(res.status).toBe(200);
    expect(res.json.date).toBe("2025-03-24");
    const ids = res.json.items.map((i: { caseId: string }) => i.caseId);
    expect(ids).toContain("case-arrived-today-old-stamp");
    expect(ids).not.toContain("case-stamped-today-arrived-earlier");
    const row = res.json.items.find((i: { caseId: string }) => i.caseId === "case-arrived-today-old-stamp");
    expect(row.receivedDate).toBe("2025-03-20");
  });

  it("refuses a .docx with a Swedish reason and issues no upload; audits each accepted upload", async () => {
    const h = await createHarness();
    const refused = await h.call("POST", "/api/uploads", {
      token: h.tokens.mailroom,
      body: {
        files: [
          {
            fileName: "brev.docx",
            contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          },
        ],
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.issues.map((i: { message: string }) => i.message)).toContain(
      "Filtypen stöds inte. Skanna blanketten som PNG, JPEG, TIFF eller PDF.",
    );
    // A .docx named as a PNG type is refused by its name as well.
    const disguised = await h.call("POST", "/api/uploads", {
      token: h.tokens.mailroom,
      body: { files: [{ fileName: "brev.docx", contentType: "image/png" }] },
    });
    expect(disguised.status).toBe(400);
    expect(h.signer.calls).toEqual([]);

    const ok = await h.call("POST", "/api/uploads", {
      token: h.tokens.mailroom,
      body: { receivedDate: "2025-03-21", files: [{ fileName: "skanning-1.pdf", contentType: "application/pdf" }] },
    });
    expect(ok.status).toBe(201);
    const audited = await h.audit.byUser("user:post");
    // The upload itself, and (an earlier date than the arrival was set) who set the receipt date.
    expect(audited.filter((e) => e.action === "SET_RECEIPT_DATE").map((e) => e.detail)).toEqual([
      "receipt date 2025-03-21 (arrival 2025-03-24)",
    ]);
    expect(audited.filter((e) => e.action === "MAILROOM_UPLOAD")).toEqual([
      {
        at: "2025-03-24T09:00:00.000Z",
        user: "user:post",
        caseId: ok.json.uploads[0].key,
        action: "MAILROOM_UPLOAD",
        detail: "mottagningsdatum 2025-03-21",
      },
    ]);
  });

  it("the page and the API give the same reason for a refused file", () => {
    for (const name of ["brev.docx", "BILD.JPG", "utan-filändelse", "skanning.tiff", "x.heic"]) {
      expect(unsupportedReason(name), name).toBe(unsupportedFileReason(name));
    }
    expect(unsupportedReason("brev.docx")).toBe(
      "Filtypen .docx stöds inte. Skanna blanketten som PNG, JPEG, TIFF eller PDF.",
    );
  });
});
