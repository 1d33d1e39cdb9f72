// `lockdesk start --registry-http`: the flag (or LOCKDESK_REGISTRY_HTTP) selects the HTTP registry mode of the stack.
import { describe, expect, it } from "vitest";
import { parseStartArgs, UsageError } from "../../../cli/start.ts";

describe("lockdesk start: registry mode", () => {
  it("is the CSV registry by default and HTTP with --registry-http or LOCKDESK_REGISTRY_HTTP=1", () => {
    expect(parseStartArgs([], {}).registryHttp).toBe(false);
    expect(parseStartArgs(["--registry-http"], {}).registryHttp).toBe(true);
    expect(parseStartArgs([], { LOCKDESK_REGISTRY_HTTP: "1" }).registryHttp).toBe(true);
    expect(parseStartArgs([], { LOCKDESK_REGISTRY_HTTP: "0" }).registryHttp).toBe(false);
  });

  it("documents the flag in the usage and rejects a value given to it", () => {
    expect(() => parseStartArgs(["--help"], {})).toThrow(/--registry-http/);
    expect(() => parseStartArgs(["--help"], {})).toThrow(UsageError);
    expect(() => parseStartArgs(["--registry-http=yes"], {})).toThrow();
  });
});

describe("lockdesk start --staff", () => {
  const endpoints = {
    dynamodb: "http://127.0.0.1:1",
    s3: "http://127.0.0.1:2",
    ses: "http://127.0.0.1:3",
    sesUi: "http://127.0.0.1:3",
    sesStore: "http://127.0.0.1:3/store",
    region: "eu-north-1",
  };
  const base = { repoRoot: ".", dataDir: "d", inbox: null, persons: "p.csv", caregivers: "c.csv" };

  it("no directory by default; --staff or LOCKDESK_STAFF names the CSV, which ValidateCase gets as STAFF_KEY", async () => {
    const { localEnvironment } = await import("../../../local/stack.ts");
    const staffCsv = new URL("../../fixtures/registry/staff.csv", import.meta.url).pathname;
    expect(parseStartArgs([], {}).staff).toBeUndefined();
    expect(parseStartArgs(["--staff", staffCsv], {}).staff).toBe(staffCsv);
    expect(parseStartArgs([], { LOCKDESK_STAFF: staffCsv }).staff).toBe(staffCsv);
    expect(localEnvironment(endpoints, base).STAFF_KEY).toBeUndefined();
    expect(localEnvironment(endpoints, { ...base, staff: staffCsv }).STAFF_KEY).toBe("reference/staff.csv");
  });

  it("a missing file is a usage error naming the flag", () => {
    expect(() => parseStartArgs(["--staff", "/nonexistent/staff.csv"], {})).toThrow(/--staff: no such file/);
    expect(() => parseStartArgs(["--help"], {})).toThrow(/--staff/);
  });
});
