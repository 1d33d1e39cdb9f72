// The StaffDirectory port's contract, run against every adapter (CSV, HTTP).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffDirectory } from "../../../shared/ports/staff-directory.ts";

export interface DirectoryUnderTest {
  directory: StaffDirectory;
  close?: () => Promise<void>;
}

/** `factory` builds an adapter serving test/fixtures/registry/staff.csv. */
export function staffDirectoryContract(name: string, factory: () => Promise<DirectoryUnderTest>): void {
  describe(`StaffDirectory contract: ${name}`, () => {
    let sut: DirectoryUnderTest;
    beforeAll(async () => {
      sut = await factory();
    });
    afterAll(async () => {
      await sut.close?.();
    });

    it("finds a member by VGR-ID with every column", async () => {
      expect(await sut.directory.findByVgrId("evali12")).toEqual({
        vgrId: "evali12",
        name: "Eva Lind",
        title: "Sjuksköterska",
        unit: "Vårdcentralen Centrum",
        caregiver: "Västra Götalandsregionen",
        email: "eva.lind@example.org",
        phone: "010-123 45 67",
        unitEmail: "vc.centrum@example.org",
        unitAddress: "Storgatan 1, 411 01 Göteborg",
      });
    });

    it("keeps an empty unit mailbox empty and diacritics in names", async () => {
      const m = await sut.directory.findByVgrId("marlo413");
      expect(m).toMatchObject({ name: "Märit Löfgren", unitEmail: "", email: "marit.lofgren@brackelakarpraktik.se" });
    });

    it("compares the id case-insensitively, spaces ignored", async () => {
      expect((await sut.directory.findByVgrId("EVALI12"))?.name).toBe("Eva Lind");
      expect((await sut.directory.findByVgrId(" eva li12 "))?.name).toBe("Eva Lind");
    });

    it("tells near-identical colleagues apart by id", async () => {
      expect((await sut.directory.findByVgrId("alvbe47"))?.email).toBe("alva.berglund@vgregion.se");
      expect((await sut.directory.findByVgrId("alvbe529"))?.email).toBe("alva.berglund9@vgregion.se");
    });

    it("answers null for an id nobody has, and for something that is not an id", async () => {
      expect(await sut.directory.findByVgrId("zzzzz99")).toBeNull();
      expect(await sut.directory.findByVgrId(".")).toBeNull();
      expect(await sut.directory.findByVgrId("")).toBeNull();
    });

    it("hands out copies: changing an answer does not change the directory", async () => {
      const a = await sut.directory.findByVgrId("evali12");
      if (a) a.email = "mallory@example.org";
      expect((await sut.directory.findByVgrId("evali12"))?.email).toBe("eva.lind@example.org");
    });
  });
}
