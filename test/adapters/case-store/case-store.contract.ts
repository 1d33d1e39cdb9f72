// The CaseStore contract: every adapter (MemoryCaseStore, DynamoCaseStore on dynalite) passes the same suite.
import { beforeEach, describe, expect, it } from "vitest";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import { CaseVersionConflictError } from "../../../shared/domain/errors.ts";
import type { CaseStore } from "../../../shared/ports/case-store.ts";
import { caseRecord, TEST_PNR } from "../../fixtures/pipeline-cases.ts";

export function caseStoreContract(name: string, factory: () => Promise<CaseStore>): void {
  describe(`CaseStore contract: ${name}`, () => {
    let store: CaseStore;
    beforeEach(async () => {
      store = await factory();
    });

    it("creates once: a second create with the same id writes nothing and returns false", async () => {
      const record = caseRecord();
      expect(await store.create(record)).toBe(true);
      expect(await store.create({ ...record, status: "FAILED" })).toBe(false);
      expect((await store.get(record.caseId))?.status).toBe("RECEIVED");
    });

    it("returns null for an unknown case", async () => {
      expect(await store.get("C-DOESNOTEXIST0000")).toBeNull();
    });

    it("round-trips a full record (dotted field names, nested boxes, optional parts)", async () => {
      const record = caseRecord({
        status: "READ",
        formCode: "1177-EGEN",
        formVersion: "v1",
        action: "LOCK",
        fields: {
          "citizen.personnummer": {
            value: TEST_PNR.adultA,
            confidence: 0.93,
            box: { page: 0, x: 1, y: 2, w: 3, h: 4 },
          },
          "action.lock": { value: true, confidence: 1 },
          "citizen.phone": { value: "", confidence: 0.5 },
        },
        corrections: { "citizen.surname": "Nordström" },
        subjectPersonnummer: TEST_PNR.adultA,
        registry: { found: true, protectedIdentity: false, nameMatches: true, checkedAt: "2025-03-18T08:01:00.000Z" },
        earlierCaseIds: [],
      });
      await store.create(record);
      expect(await store.get(record.caseId)).toEqual(record);
    });

    it("puts with optimistic locking on version", async () => {
      const record = caseRecord();
      await store.create(record);
      const next: CaseRecord = { ...record, version: 2, status: "READ" };
      await store.put(next);
      expect((await store.get(record.caseId))?.version).toBe(2);
      // A writer that read version 1 too now loses.
      await expect(store.put({ ...record, version: 2, status: "FAILED" })).rejects.toBeInstanceOf(
        CaseVersionConflictError,
      );
      // Skipping a version is a conflict as well.
      await expect(store.put({ ...next, version: 4 })).rejects.toBeInstanceOf(CaseVersionConflictError);
      expect((await store.get(record.caseId))?.status).toBe("READ");
    });

    it("refuses to put a case that was never created", async () => {
      await expect(store.put(caseRecord({ version: 2 }))).rejects.toBeInstanceOf(CaseVersionConflictError);
    });

    it("lists by status, oldest first, with a limit", async () => {
      const a = caseRecord({ status: "IN_REVIEW", receivedAt: "2025-03-18T10:00:00.000Z" });
      const b = caseRecord({ status: "IN_REVIEW", receivedAt: "2025-03-17T10:00:00.000Z" });
      const c = caseRecord({ status: "READ", receivedAt: "2025-03-16T10:00:00.000Z" });
      for (const r of [a, b, c]) await store.create(r);
      const review = (await store.listByStatus("IN_REVIEW")).filter((r) => [a.caseId, b.caseId].includes(r.caseId));
      expect(review.map((r) => r.caseId)).toEqual([b.caseId, a.caseId]);
      expect(await store.listByStatus("IN_REVIEW", 1)).toHaveLength(1);
      // A status change moves the case to the other queue.
      await store.put({ ...c, version: 2, status: "IN_REVIEW" });
      expect((await store.listByStatus("IN_REVIEW")).map((r) => r.caseId)).toContain(c.caseId);
      expect((await store.listByStatus("READ")).map((r) => r.caseId)).not.toContain(c.caseId);
    });

    it("lists by subject personnummer; cases without a subject are not listed", async () => {
      const first = caseRecord({ subjectPersonnummer: TEST_PNR.adultB, receivedAt: "2025-03-17T09:00:00.000Z" });
      const second = caseRecord({ subjectPersonnummer: TEST_PNR.adultB, receivedAt: "2025-03-18T09:00:00.000Z" });
      const other = caseRecord({ subjectPersonnummer: TEST_PNR.adultC });
      const none = caseRecord();
      for (const r of [second, first, other, none]) await store.create(r);
      expect((await store.listBySubject(TEST_PNR.adultB)).map((r) => r.caseId)).toEqual([first.caseId, second.caseId]);
      expect(await store.listBySubject(TEST_PNR.adultD)).toEqual([]);
    });

    it("lists all, newest first, with a limit", async () => {
      const old = caseRecord({ receivedAt: "2025-03-01T09:00:00.000Z" });
      const recent = caseRecord({ receivedAt: "2025-04-01T09:00:00.000Z" });
      await store.create(old);
      await store.create(recent);
      const all = (await store.listAll()).map((r) => r.caseId);
      expect(all.indexOf(recent.caseId)).toBeLessThan(all.indexOf(old.caseId));
      expect(await store.listAll(1)).toHaveLength(1);
    });

    it("claims a fingerprint once: concurrent claimants all learn one owner; claims are not cases", async () => {
      const results = await Promise.all(["C-A", "C-B", "C-C"].map((id) => store.claim("sha256:abc", id)));
      const owner = results[0];
      expect(["C-A", "C-B", "C-C"]).toContain(owner);
      expect(results).toEqual([owner, owner, owner]);
      // The owner claiming again (a retried task) keeps it; another fingerprint is independent.
      expect(await store.claim("sha256:abc", owner ?? "")).toBe(owner);
      expect(await store.claim("sha256:def", "C-B")).toBe("C-B");
      expect(await store.listAll()).toEqual([]);
    });

    it("passes a claim on only from the case named, and only once", async () => {
      expect(await store.claim("content:x", "C-OLD")).toBe("C-OLD");
      expect(await store.claim("content:x", "C-NEW", "C-OTHER")).toBe("C-OLD");
      const racers = await Promise.all(["C-N1", "C-N2"].map((id) => store.claim("content:x", id, "C-OLD")));
      const winner = await store.claim("content:x", "C-LATE");
      expect(["C-N1", "C-N2"]).toContain(winner);
      expect(racers.filter((r) => r === winner)).toHaveLength(2);
    });

    it("returns copies: changing a returned record does not change the store", async () => {
      const record = caseRecord();
      await store.create(record);
      const got = await store.get(record.caseId);
      if (!got) throw new Error("missing");
      got.reasons.push("PNR_INVALID");
      expect((await store.get(record.caseId))?.reasons).toEqual([]);
    });
  });
}
