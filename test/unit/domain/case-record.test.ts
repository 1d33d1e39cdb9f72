import { describe, expect, it } from "vitest";
import { newCase } from "../../../shared/domain/case.ts";
import {
  claimAllows,
  effectivePersonnummer,
  effectiveText,
  handlerCanEdit,
  inEditableState,
  namesInHistory,
  subjectField,
  transition,
  writtenGuardians,
} from "../../../shared/domain/case-record.ts";

const AT = "2025-03-18T09:00:00.000Z";
const LATER = "2025-03-18T10:00:00.000Z";

function inReview() {
  return newCase({
    caseId: "c-1",
    status: "IN_REVIEW",
    receivedAt: AT,
    receivedDate: "2025-03-18",
    at: AT,
    by: "RegisterCase",
    what: "registered",
  });
}

describe("transition", () => {
  it("bumps the version, sets updatedAt and leaves the input untouched", () => {
    const record = inReview();
    const next = transition(
      record,
      { reasons: ["PNR_INVALID"] },
      { at: new Date(LATER), by: "ValidateCase", what: "x" },
    );
    expect(next.version).toBe(2);
    expect(next.updatedAt).toBe(LATER);
    expect(next.reasons).toEqual(["PNR_INVALID"]);
    expect(record.version).toBe(1);
    expect(record.history).toHaveLength(1);
    expect(record.reasons).toEqual([]);
  });

  it("one text: one entry, prefixed with the status change", () => {
    const next = transition(inReview(), { status: "APPROVED" }, { at: LATER, by: "user:anna", what: "decision" });
    expect(next.history.slice(1)).toEqual([
      { at: LATER, by: "user:anna", what: "status IN_REVIEW → APPROVED: decision" },
    ]);
    const empty = transition(inReview(), { status: "APPROVED" }, { at: LATER, by: "s", what: "" });
    expect(empty.history[1]?.what).toBe("status IN_REVIEW → APPROVED");
    const same = transition(inReview(), {}, { at: LATER, by: "s", what: "looked at" });
    expect(same.history[1]?.what).toBe("looked at");
  });

  it("a list: the status change as an entry of its own, then one entry per text", () => {
    const next = transition(inReview(), { status: "EXECUTING" }, { at: LATER, by: "ExecuteAction", what: ["a", "b"] });
    expect(next.history.slice(1).map((h) => h.what)).toEqual(["status IN_REVIEW → EXECUTING", "a", "b"]);
    const none = transition(inReview(), {}, { at: LATER, by: "SendMail", what: [] });
    expect(none.history).toHaveLength(1);
    expect(none.version).toBe(2);
  });

  it("mentionStatus false: the text as given although the status changes", () => {
    const next = transition(
      inReview(),
      { status: "CLOSED" },
      { at: LATER, by: "user:anna", what: "decision CLOSE", mentionStatus: false },
    );
    expect(next.status).toBe("CLOSED");
    expect(next.history[1]?.what).toBe("decision CLOSE");
  });

  it("a person's display name goes on their entries; namesInHistory gives the latest name per user", () => {
    const first = transition(inReview(), {}, { at: AT, by: "user:anna", what: "claimed", name: "Anna H" });
    const second = transition(
      first,
      { status: "APPROVED" },
      { at: LATER, by: "user:anna", what: ["x"], name: "Anna Handläggare" },
    );
    expect(first.history.at(-1)).toEqual({
      at: AT,
      by: "user:anna",
      what: "claimed",
      name: "Anna H",
    });
    expect(second.history.slice(-2).map((h) => h.name)).toEqual(["Anna Handläggare", "Anna Handläggare"]);
    // A pipeline step is no person: no name; nor an entry written in another's name inside a list.
    const step = transition(
      second,
      {},
      { at: LATER, by: "ReadForm", what: ["read", { by: "user:bertil", what: "called" }] },
    );
    expect(step.history.slice(-2).every((h) => h.name === undefined)).toBe(true);
    expect(namesInHistory(step.history)).toEqual({ anna: "Anna Handläggare" });
  });

  it("a function edits a private copy (the way to remove a field); the caseId cannot change", () => {
    const claimed = { ...inReview(), claimedBy: "user:anna" };
    const next = transition(
      claimed,
      (d) => {
        delete d.claimedBy;
        d.caseId = "other";
        d.reasons.push("PNR_INVALID");
      },
      { at: LATER, by: "user:anna", what: "released" },
    );
    expect("claimedBy" in next).toBe(false);
    expect(next.caseId).toBe("c-1");
    expect(claimed.claimedBy).toBe("user:anna");
    expect(claimed.reasons).toEqual([]);
  });
});

describe("effective values", () => {
  const record = {
    ...inReview(),
    fields: {
      "citizen.personnummer": { value: "18900101-9802", confidence: 0.9 },
      "guardian1.personnummer": { value: "18900101 9802", confidence: 0.9 },
      "guardian2.personnummer": { value: " ", confidence: 0.9 },
      "citizen.surname": { value: " Tolvansson ", confidence: 0.9 },
      checked: { value: true, confidence: 0.9 },
    },
    corrections: { "citizen.surname": "Tolvan" },
  };

  it("a correction wins over the reading; text is trimmed; a box is no text", () => {
    expect(effectiveText(record, "citizen.surname")).toBe("Tolvan");
    expect(effectiveText(record, "checked")).toBe("");
    expect(effectiveText(record, "missing")).toBe("");
    expect(effectivePersonnummer(record, "citizen.personnummer")).toBe("189001019802");
  });

  it("guardians: only those written", () => {
    expect(writtenGuardians(record)).toEqual([{ slot: "guardian1", personnummer: "189001019802" }]);
  });

  it("the subject field follows the form's roles", () => {
    expect(subjectField("1177-VH")).toBe("child.personnummer");
    expect(subjectField("1177-VG")).toBe("citizen.personnummer");
    expect(subjectField("1177-EGEN")).toBe("citizen.personnummer");
  });
});

describe("handlerCanEdit", () => {
  const anna = "user:anna";
  it("in review or failed, unclaimed or claimed by the handler", () => {
    expect(handlerCanEdit({ status: "IN_REVIEW" }, anna)).toBe(true);
    expect(handlerCanEdit({ status: "FAILED", claimedBy: anna }, anna)).toBe(true);
    expect(handlerCanEdit({ status: "IN_REVIEW", claimedBy: "user:bo" }, anna)).toBe(false);
    expect(claimAllows({ claimedBy: "user:bo" }, anna)).toBe(false);
  });

  it("not once a RETURN is decided, nor in any other status; an approval that did not suffice is open again", () => {
    const returned = { by: "user:bo", at: AT, decision: "RETURN" as const };
    const approved = { by: "user:bo", at: AT, decision: "APPROVE" as const };
    expect(handlerCanEdit({ status: "IN_REVIEW", handlerDecision: returned }, anna)).toBe(false);
    expect(handlerCanEdit({ status: "IN_REVIEW", handlerDecision: approved }, anna)).toBe(true);
    for (const status of [
      "APPROVED",
      "EXECUTING",
      "EXECUTED",
      "RETURNED",
      "CLOSED",
      "AWAITING_SECOND_APPROVAL",
    ] as const) {
      expect(inEditableState({ status })).toBe(false);
    }
  });
});

describe("transition: an entry in another name", () => {
  it("a handler's confirmation inside a pipeline change keeps its own by", () => {
    const next = transition(
      { ...inReview(), status: "AWAITING_MANUAL_EXECUTION" },
      { status: "APPROVED" },
      { at: LATER, by: "ExecuteAction", what: [{ by: "user:anna", what: "manual execution of LOCK confirmed" }] },
    );
    expect(next.history.slice(1)).toEqual([
      { at: LATER, by: "ExecuteAction", what: "status AWAITING_MANUAL_EXECUTION → APPROVED" },
      { at: LATER, by: "user:anna", what: "manual execution of LOCK confirmed" },
    ]);
  });
});
