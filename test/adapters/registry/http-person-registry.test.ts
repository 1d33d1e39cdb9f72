import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  HttpPersonRegistry,
  type HttpPersonRegistryOptions,
} from "../../../shared/adapters/http/http-person-registry.ts";
import {
  PersonRegistryAuthError,
  PersonRegistryResponseError,
  PersonRegistryUnavailableError,
} from "../../../shared/domain/errors.ts";
import { type FakeRegistryServer, startFakeRegistryServer } from "../../support/fake-registry-server.ts";
import { personRegistryAddressContract, personRegistryContract } from "./person-registry-contract.ts";

const PERSONS_CSV = readFileSync(
  fileURLToPath(new URL("../../fixtures/registry/persons.csv", import.meta.url)),
  "utf8",
);
const ADULT = "198207142392";

personRegistryContract("HttpPersonRegistry (fake server)", async () => {
  const server = await startFakeRegistryServer(PERSONS_CSV, { requiredSecret: "s3cret" });
  return {
    registry: new HttpPersonRegistry({ baseUrl: server.url, secret: async () => "s3cret", cacheTtlMs: 0 }),
    close: server.close,
  };
});

const PERSONS_WITH_ADDRESSES_CSV = readFileSync(
  fileURLToPath(new URL("../../fixtures/registry/persons-with-addresses.csv", import.meta.url)),
  "utf8",
);

async function httpRegistry(csv: string) {
  const server = await startFakeRegistryServer(csv);
  return {
    registry: new HttpPersonRegistry({ baseUrl: server.url, secret: async () => "s3cret", cacheTtlMs: 0 }),
    close: server.close,
  };
}

personRegistryAddressContract(
  "HttpPersonRegistry (fake server)",
  () => httpRegistry(PERSONS_WITH_ADDRESSES_CSV),
  () => httpRegistry(PERSONS_CSV),
);

describe("HttpPersonRegistry failure modes", () => {
  let server: FakeRegistryServer;
  beforeAll(async () => {
    server = await startFakeRegistryServer(PERSONS_CSV);
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    Object.assign(server.knobs, { delayMs: 0, failNext: 0, alwaysFail: false, malformed: null, requiredSecret: null });
    server.requests.length = 0;
  });
  const make = (o: Partial<HttpPersonRegistryOptions> = {}) =>
    new HttpPersonRegistry({ baseUrl: server.url, secret: async () => "token", cacheTtlMs: 0, ...o });

  it("a slow registry → PersonRegistryUnavailableError after the configured timeout", async () => {
    server.knobs.delayMs = 500;
    const started = Date.now();
    const e = await make({ timeoutMs: 100 })
      .findByPersonnummer(ADULT)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PersonRegistryUnavailableError);
    expect((e as Error).message).toContain("100 ms");
    expect(Date.now() - started).toBeLessThan(450);
  });

  it("a 500 → PersonRegistryUnavailableError, and the next call succeeds", async () => {
    server.knobs.failNext = 1;
    const r = make();
    await expect(r.findByPersonnummer(ADULT)).rejects.toBeInstanceOf(PersonRegistryUnavailableError);
    expect((await r.findByPersonnummer(ADULT))?.surname).toBe("Andersson");
  });

  it("an unreachable registry → PersonRegistryUnavailableError", async () => {
    const closed = await startFakeRegistryServer(PERSONS_CSV);
    const url = closed.url;
    await closed.close();
    const r = new HttpPersonRegistry({ baseUrl: url, secret: async () => "t" });
    await expect(r.findByPersonnummer(ADULT)).rejects.toBeInstanceOf(PersonRegistryUnavailableError);
  });

  it.each(["not-json", "wrong-shape", "other-person"] as const)(
    "a malformed body (%s) → PersonRegistryResponseError without personal data",
    async (kind) => {
      server.knobs.malformed = kind;
      const e = await make()
        .findByPersonnummer(ADULT)
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PersonRegistryResponseError);
      expect((e as Error).name).toBe("PersonRegistryResponseError");
      expect((e as Error).message).not.toMatch(/Johan|Andersson|\d{12}/);
    },
  );

  it("sends the bearer token, or the API key in its header", async () => {
    server.knobs.requiredSecret = "k3y";
    expect(await make({ secret: async () => "k3y" }).findByPersonnummer(ADULT)).not.toBeNull();
    expect(await make({ secret: async () => "k3y", auth: "api-key" }).findByPersonnummer(ADULT)).not.toBeNull();
  });

  it("after a 401 refreshes the secret once, then gives up with PersonRegistryAuthError", async () => {
    server.knobs.requiredSecret = "new";
    const asked: boolean[] = [];
    const rotating = make({
      secret: async (o) => {
        asked.push(o?.refresh === true);
        return o?.refresh ? "new" : "old";
      },
    });
    expect((await rotating.findByPersonnummer(ADULT))?.givenNames).toEqual(["Johan"]);
    expect(asked).toEqual([false, true]);
    await expect(make({ secret: async () => "wrong" }).findByPersonnummer(ADULT)).rejects.toBeInstanceOf(
      PersonRegistryAuthError,
    );
  });

  it("caches answers (found and not found) for the TTL, bounded in size", async () => {
    let now = 1_000;
    const r = make({ cacheTtlMs: 60_000, cacheMaxEntries: 2, now: () => now });
    await r.findByPersonnummer(ADULT);
    await r.findByPersonnummer(ADULT);
    await r.findByPersonnummer("196408233234"); // not registered
    await r.findByPersonnummer("196408233234");
    expect(server.requests).toHaveLength(2);
    now += 61_000; // expired
    await r.findByPersonnummer(ADULT);
    expect(server.requests).toHaveLength(3);
    // A third number evicts the oldest entry (196408233234).
    await r.findByPersonnummer("194202138014");
    await r.findByPersonnummer("196408233234");
    expect(server.requests).toHaveLength(5);
  });

  it("never asks the server for something that is not 12 digits", async () => {
    expect(await make().findByPersonnummer("../admin")).toBeNull();
    expect(server.requests).toHaveLength(0);
  });
});
