// `lockdesk start --registry-http`: the flag (or LOCKDESK_REGISTRY_HTTP) selects the HTTP registry mode of the stack.
import { describe, expect, it } from "vitest";
import { parseStartArgs, UsageError } from "../../../shared/cli/start.ts";

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
