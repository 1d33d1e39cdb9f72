// The staff directory's result on the case: SendMail mails the verified member's directory address for a field read
// one letter off (the same rule `lockdesk eval` counts with), and the case page shows the directory entry.
import { describe, expect, it } from "vitest";
import { getCaseDetail } from "../../../shared/use-cases/case-detail.ts";
import { doubtfulAddressFields, fieldFate, recipients } from "../../../shared/use-cases/send-mail.ts";
import { renderCase } from "../../../web/case-page.ts";
import { makeCase } from "./support.ts";

const ENTRY = {
  vgrId: "evali12",
  name: "Eva Lind",
  title: "Sjuksköterska",
  unit: "Vårdcentralen Centrum",
  caregiver: "Västra Götalandsregionen",
  email: "eva.lind@example.org",
  phone: "010-123 45 67",
  unitEmail: "",
  unitAddress: "Storgatan 1, 411 01 Göteborg",
};

function caseWithMisreadStaffAddress() {
  const record = makeCase({ formCode: "1177-VG" });
  record.fields["requester.email"] = { value: "eva.lmd@example.org", confidence: 0.3 };
  return record;
}

describe("SendMail with the staff directory", () => {
  it("without a directory result a doubtful staff address is a letter", () => {
    const record = caseWithMisreadStaffAddress();
    expect(fieldFate(record, "requester.email")).toEqual({ fate: "LETTER", address: "eva.lmd@example.org" });
    expect(doubtfulAddressFields(record, "RETURN_NOTICE")).toEqual(["requester.email"]);
  });

  it("the verified member's snapped directory address is mailed instead of the misread", () => {
    const record = caseWithMisreadStaffAddress();
    record.staff = {
      status: "VERIFIED",
      vgrId: "evali12",
      entry: ENTRY,
      addresses: { "requester.email": "eva.lind@example.org" },
      checkedAt: "2025-03-18T08:00:00.000Z",
    };
    expect(recipients(record, "RETURN_NOTICE")).toContain("eva.lind@example.org");
    expect(recipients(record, "RETURN_NOTICE")).not.toContain("eva.lmd@example.org");
    expect(doubtfulAddressFields(record, "RETURN_NOTICE")).toEqual([]);
    // A handler's correction still wins over the directory.
    record.corrections["requester.email"] = "eva.lind2@example.org";
    expect(fieldFate(record, "requester.email")).toMatchObject({ fate: "MAIL", address: "eva.lind2@example.org" });
  });

  it("the case page shows the directory entry and whether the staff member was verified", async () => {
    const record = caseWithMisreadStaffAddress();
    record.staff = { status: "NOT_VERIFIED", vgrId: "evali12", entry: ENTRY, addresses: {}, checkedAt: "x" };
    const detail = await getCaseDetail(
      { caseId: record.caseId, user: { userId: "anna", displayName: "Anna", groups: ["handler"] } },
      {
        cases: { get: async () => record, listBySubject: async () => [] } as never,
        audit: { append: async () => undefined } as never,
        clock: { now: () => new Date("2025-03-18T09:00:00Z") },
      },
    );
    expect(detail.case.staff?.entry?.name).toBe("Eva Lind");
    const page = renderCase(detail, { userId: "anna", displayName: "Anna", groups: ["handler"] });
    expect(page).toContain('data-staff-status="NOT_VERIFIED"');
    expect(page).toContain("Namn i katalogen: Eva Lind");
    expect(page).toContain("Enhet: Vårdcentralen Centrum");
  });
});
