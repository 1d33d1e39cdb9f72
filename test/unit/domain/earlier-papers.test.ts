import { describe, expect, it } from "vitest";
import {
  contentFingerprint,
  type EarlierPaper,
  findDuplicate,
  findLaterCase,
  type PaperContent,
  parseWrittenDate,
} from "../../../shared/domain/earlier-papers.ts";

const PNR = "196408233234";

describe("parseWrittenDate", () => {
  it.each([
    ["2025-03-14", "2025-03-14"],
    ["2025.03.14", "2025-03-14"],
    ["2025/3/4", "2025-03-04"],
    ["14/3 2025", "2025-03-14"],
    ["14/3-2025", "2025-03-14"],
    ["4.3.2025", "2025-03-04"],
    ["Göteborg 2025-03-14", "2025-03-14"],
    ["20250314", "2025-03-14"],
  ])("reads %s as %s", (written, iso) => {
    expect(parseWrittenDate(written)).toBe(iso);
  });

  it.each(["", "igår", "2025-02-30", "31/4 2025", "14/3", "2025-13-01"])("has no date in %j", (written) => {
    expect(parseWrittenDate(written)).toBeNull();
  });
});

const paper = (over: Partial<PaperContent> = {}): PaperContent => ({
  formCode: "1177-EGEN",
  action: "LOCK",
  subject: PNR,
  voucherVgrId: "ANNSV12",
  voucherName: "Anna Svensson",
  voucherDate: "2025-03-14",
  ...over,
});

describe("contentFingerprint", () => {
  it("is the same for the same request however the date and ID are written", () => {
    expect(contentFingerprint(paper({ voucherDate: "14/3 2025", voucherVgrId: "annsv12 " }))).toBe(
      contentFingerprint(paper()),
    );
  });

  it("differs by action, subject, staff member and date; falls back to the staff name without a VGR-ID", () => {
    const base = contentFingerprint(paper());
    expect(contentFingerprint(paper({ action: "UNLOCK" }))).not.toBe(base);
    expect(contentFingerprint(paper({ subject: "193703149132" }))).not.toBe(base);
    expect(contentFingerprint(paper({ voucherVgrId: "BERTI34" }))).not.toBe(base);
    expect(contentFingerprint(paper({ voucherDate: "2025-03-15" }))).not.toBe(base);
    expect(contentFingerprint(paper({ voucherVgrId: "", voucherName: "ÅSA Berg-Lind" }))).toBe(
      contentFingerprint(paper({ voucherVgrId: "", voucherName: "asa berglind" })),
    );
  });

  it("is null when the paper lacks what identifies it", () => {
    expect(contentFingerprint(paper({ subject: "" }))).toBeNull();
    expect(contentFingerprint(paper({ action: null }))).toBeNull();
    expect(contentFingerprint(paper({ voucherVgrId: "", voucherName: "" }))).toBeNull();
    expect(contentFingerprint(paper({ voucherDate: "" }))).toBeNull();
  });
});

const earlier = (over: Partial<EarlierPaper> & { caseId: string }): EarlierPaper => ({
  receivedAt: "2025-03-18T08:00:00.000Z",
  status: "EXECUTED",
  action: "LOCK",
  vouchedOn: "2025-03-14",
  executed: true,
  ...over,
});

describe("findDuplicate", () => {
  const current = {
    caseId: "C-NOW",
    sha256: "aa",
    fingerprint: "fp",
    action: "LOCK" as const,
    vouchedOn: "2025-03-14",
  };

  it("names the earliest original with the same bytes or the same content", () => {
    const list = [
      earlier({ caseId: "C-2", receivedAt: "2025-03-18T09:00:00.000Z", sha256: "aa" }),
      earlier({ caseId: "C-1", receivedAt: "2025-03-18T08:00:00.000Z", sha256: "bb", fingerprint: "fp" }),
    ];
    expect(findDuplicate(current, list)).toBe("C-1");
    expect(findDuplicate(current, [earlier({ caseId: "C-3", sha256: "zz", fingerprint: "other" })])).toBeNull();
  });

  it("skips duplicates themselves and the case itself", () => {
    expect(findDuplicate(current, [earlier({ caseId: "C-NOW", sha256: "aa" })])).toBeNull();
    expect(findDuplicate(current, [earlier({ caseId: "C-D", sha256: "aa", duplicateOf: "C-X" })])).toBeNull();
  });

  it("a completed paper sent in again after a RETURN is not a content duplicate; the same bytes are", () => {
    expect(findDuplicate(current, [earlier({ caseId: "C-R", status: "RETURNED", fingerprint: "fp" })])).toBeNull();
    expect(findDuplicate(current, [earlier({ caseId: "C-R", status: "RETURNED", sha256: "aa" })])).toBe("C-R");
  });
});

describe("findLaterCase", () => {
  const lock = { caseId: "C-NOW", action: "LOCK" as const, vouchedOn: "2025-03-10" };

  it("names the executed opposite case vouched for on or after this paper's date", () => {
    const unlock = earlier({ caseId: "C-U", action: "UNLOCK", vouchedOn: "2025-03-12" });
    expect(findLaterCase(lock, [unlock])).toBe("C-U");
    expect(findLaterCase({ ...lock, vouchedOn: "2025-03-12" }, [unlock])).toBe("C-U");
    expect(findLaterCase({ ...lock, vouchedOn: "2025-03-13" }, [unlock])).toBeNull();
  });

  it("ignores cases not executed and cases with the same action; BLOCK pairs with UNBLOCK", () => {
    expect(
      findLaterCase(lock, [earlier({ caseId: "C-U", action: "UNLOCK", vouchedOn: "2025-03-12", executed: false })]),
    ).toBeNull();
    expect(findLaterCase(lock, [earlier({ caseId: "C-L", action: "LOCK", vouchedOn: "2025-03-12" })])).toBeNull();
    const unblock = earlier({ caseId: "C-UB", action: "UNBLOCK", vouchedOn: "2025-03-12" });
    expect(findLaterCase({ ...lock, action: "BLOCK" }, [unblock])).toBe("C-UB");
  });
});
