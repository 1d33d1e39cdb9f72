// The PersonRegistry port's contract, run against every adapter (CSV, HTTP).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PersonRegistry } from "../../../shared/ports/person-registry.ts";

export interface RegistryUnderTest {
  registry: PersonRegistry;
  close?: () => Promise<void>;
}

/** `factory` builds an adapter serving test/fixtures/registry/persons.csv. */
export function personRegistryContract(name: string, factory: () => Promise<RegistryUnderTest>): void {
  describe(`PersonRegistry contract: ${name}`, () => {
    let sut: RegistryUnderTest;
    beforeAll(async () => {
      sut = await factory();
    });
    afterAll(async () => {
      await sut.close?.();
    });

    it("finds an adult with all given names, hyphenated names kept as one", async () => {
      expect(await sut.registry.findByPersonnummer("196705053723")).toEqual({
        personnummer: "196705053723",
        givenNames: ["Britt-Marie"],
        surname: "Söderström-Sjöberg",
        protectedIdentity: false,
        guardians: [],
      });
      const p = await sut.registry.findByPersonnummer("196309232962");
      expect(p?.givenNames).toEqual(["Therése", "Wilma", "Fatima"]);
    });

    it("reports protected identity", async () => {
      expect((await sut.registry.findByPersonnummer("194202138014"))?.protectedIdentity).toBe(true);
    });

    it("lists a child's registered guardians (one or two)", async () => {
      expect((await sut.registry.findByPersonnummer("202005112384"))?.guardians).toEqual([
        "198109222391",
        "198309119264",
      ]);
      expect((await sut.registry.findByPersonnummer("200707012399"))?.guardians).toEqual(["196502103614"]);
    });

    it("answers null for a valid number that is not registered", async () => {
      expect(await sut.registry.findByPersonnummer("196408233234")).toBeNull();
    });

    it("answers null for something that is not 12 digits", async () => {
      expect(await sut.registry.findByPersonnummer("19640823-3234")).toBeNull();
      expect(await sut.registry.findByPersonnummer("../persons")).toBeNull();
    });

    it("hands out copies: changing an answer does not change the registry", async () => {
      const a = await sut.registry.findByPersonnummer("198207142392");
      a?.givenNames.push("Mallory");
      const b = await sut.registry.findByPersonnummer("198207142392");
      expect(b?.givenNames).toEqual(["Johan"]);
    });
  });
}
