import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  HttpStaffDirectory,
  type HttpStaffDirectoryOptions,
} from "../../../shared/adapters/http/http-staff-directory.ts";
import { StaffDirectoryResponseError, StaffDirectoryUnavailableError } from "../../../shared/domain/errors.ts";
import {
  type FakeStaffDirectoryServer,
  startFakeStaffDirectoryServer,
} from "../../support/fake-staff-directory-server.ts";
import { staffDirectoryContract } from "./staff-directory-contract.ts";

const STAFF_CSV = readFileSync(fileURLToPath(new URL("../../fixtures/registry/staff.csv", import.meta.url)), "utf8");

staffDirectoryContract("HttpStaffDirectory (fake server)", async () => {
  const server = await startFakeStaffDirectoryServer(STAFF_CSV, { requiredSecret: "s3cret" });
  return {
    directory: new HttpStaffDirectory({ baseUrl: server.url, secret: async () => "s3cret", cacheTtlMs: 0 }),
    close: server.close,
  };
});

describe("HttpStaffDirectory failure modes", () => {
  let server: FakeStaffDirectoryServer;
  beforeAll(async () => {
    server = await startFakeStaffDirectoryServer(STAFF_CSV);
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    Object.assign(server.knobs, { delayMs: 0, failNext: 0, alwaysFail: false, malformed: null, requiredSecret: null });
    server.requests.length = 0;
  });
  const make = (o: Partial<HttpStaffDirectoryOptions> = {}) =>
    new HttpStaffDirectory({ baseUrl: server.url, secret: async () => "token", cacheTtlMs: 0, ...o });

  it("a slow directory → StaffDirectoryUnavailableError after the timeout", async () => {
    server.knobs.delayMs = 500;
    const started = Date.now();
    const e = await make({ timeoutMs: 100 })
      .findByVgrId("evali12")
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StaffDirectoryUnavailableError);
    expect((e as Error).message).toContain("100 ms");
    expect(Date.now() - started).toBeLessThan(450);
  });

  it("a 500 → StaffDirectoryUnavailableError, and the next call succeeds", async () => {
    server.knobs.failNext = 1;
    const d = make();
    await expect(d.findByVgrId("evali12")).rejects.toBeInstanceOf(StaffDirectoryUnavailableError);
    expect((await d.findByVgrId("evali12"))?.name).toBe("Eva Lind");
  });

  it("an unreachable directory → StaffDirectoryUnavailableError", async () => {
    const closed = await startFakeStaffDirectoryServer(STAFF_CSV);
    const url = closed.url;
    await closed.close();
    await expect(
      new HttpStaffDirectory({ baseUrl: url, secret: async () => "t" }).findByVgrId("evali12"),
    ).rejects.toBeInstanceOf(StaffDirectoryUnavailableError);
  });

  it.each(["not-json", "wrong-shape", "other-id"] as const)(
    "a malformed body (%s) → StaffDirectoryResponseError without the member's data",
    async (kind) => {
      server.knobs.malformed = kind;
      const e = await make()
        .findByVgrId("evali12")
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StaffDirectoryResponseError);
      expect((e as Error).message).not.toMatch(/Eva|Lind|example\.org/);
    },
  );

  it("sends the bearer token or the API key; refreshes once after a 401, then gives up", async () => {
    server.knobs.requiredSecret = "new";
    const asked: boolean[] = [];
    const rotating = make({
      secret: async (o) => {
        asked.push(o?.refresh === true);
        return o?.refresh ? "new" : "old";
      },
    });
    expect((await rotating.findByVgrId("evali12"))?.name).toBe("Eva Lind");
    expect(asked).toEqual([false, true]);
    expect(await make({ secret: async () => "new", auth: "api-key" }).findByVgrId("evali12")).not.toBeNull();
    await expect(make({ secret: async () => "wrong" }).findByVgrId("evali12")).rejects.toBeInstanceOf(
      StaffDirectoryResponseError,
    );
  });

  it("caches answers for the TTL; never asks for something that is not an id", async () => {
    let now = 1_000;
    const d = make({ cacheTtlMs: 60_000, now: () => now });
    await d.findByVgrId("evali12");
    await d.findByVgrId("EVALI12");
    await d.findByVgrId("zzzzz99");
    await d.findByVgrId("zzzzz99");
    expect(server.requests).toEqual(["/staff/evali12", "/staff/zzzzz99"]);
    now += 61_000;
    await d.findByVgrId("evali12");
    expect(server.requests).toHaveLength(3);
    expect(await d.findByVgrId("../admin")).toBeNull();
    expect(server.requests).toHaveLength(3);
  });
});
