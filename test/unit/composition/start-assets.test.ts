// `lockdesk start --assets DIR`: the Tasks run from a synthesized cloud assembly (see test/local/assets.test.ts).
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStartArgs, UsageError } from "../../../cli/start.ts";

describe("lockdesk start --assets", () => {
  it("is off by default and takes the folder, made absolute", () => {
    expect(parseStartArgs([], {}).assets).toBeUndefined();
    expect(parseStartArgs(["--assets", "cdk.out.x86"], {}).assets).toBe(resolve("cdk.out.x86"));
  });

  it("is in the usage and needs a value", () => {
    expect(() => parseStartArgs(["--help"], {})).toThrow(/--assets DIR/);
    expect(() => parseStartArgs(["--help"], {})).toThrow(UsageError);
    expect(() => parseStartArgs(["--assets"], {})).toThrow();
  });
});
