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

/**
 * The optional postal address (registry columns `address,postalCode,city`, HTTP `postalAddress`). `factory`
 * builds an adapter serving test/fixtures/registry/persons-with-addresses.csv; `withoutAddresses` one serving
 * test/fixtures/registry/persons.csv (a registry without the columns).
 */
export function personRegistryAddressContract(
  name: string,
  factory: () => Promise<RegistryUnderTest>,
  withoutAddresses: () => Promise<RegistryUnderTest>,
): void {
  describe(`PersonRegistry contract, postal address: ${name}`, () => {
    let sut: RegistryUnderTest;
    let bare: RegistryUnderTest;
    beforeAll(async () => {
      sut = await factory();
      bare = await withoutAddresses();
    });
    afterAll(async () => {
      await sut.close?.();
      await bare.close?.();
    });

    it("gives the folkbokföringsadress of a person", async () => {
      expect((await sut.registry.findByPersonnummer("197508069163"))?.postalAddress).toEqual({
        address: "Nygatan 31",
        postalCode: "534 81",
        city: "Lidköping",
      });
    });

    it("gives the tax agency's forwarding address for a protected identity", async () => {
      const p = await sut.registry.findByPersonnummer("194202138014");
      expect(p?.protectedIdentity).toBe(true);
      expect(p?.postalAddress).toEqual({
        address: "Skatteverket Särskild postförmedling, Box 2820",
        postalCode: "403 20",
        city: "Göteborg",
      });
    });

    it("a registry without addresses answers without postalAddress", async () => {
      const p = await bare.registry.findByPersonnummer("197508069163");
      expect(p?.surname).toBe("Karlsson");
      expect(p && "postalAddress" in p).toBe(false);
    });

    it("hands out copies of the address too", async () => {
      const a = await sut.registry.findByPersonnummer("197508069163");
      if (a?.postalAddress) a.postalAddress.city = "Mallory";
      expect((await sut.registry.findByPersonnummer("197508069163"))?.postalAddress?.city).toBe("Lidköping");
    });
  });
}
