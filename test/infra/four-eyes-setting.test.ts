// The region's four-eyes setting: CDK context lockdesk:fourEyesAllUnlocks → FOUR_EYES_ALL_UNLOCKS on the functions
// that decide (ValidateCase and the API), and into the code's settings (shared/config/env.ts).
import type { CfnElement } from "aws-cdk-lib";
import { App, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { CDK_CONTEXT, loadConfig, PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../../infra/config.ts";
import { createLockdeskStacks } from "../../infra/stacks/lockdesk.ts";
import { parseEnv } from "../../shared/config/env.ts";

function envs(context: Record<string, unknown>) {
  const app = new App({ context: { ...CDK_CONTEXT, "aws:cdk:bundling-stacks": [] } });
  const stacks = createLockdeskStacks(
    app,
    loadConfig((key) => context[key]),
  );
  const vars = (stack: Stack, fn: IConstructWithChild) =>
    Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as CfnElement)].Properties
      .Environment.Variables as Record<string, string>;
  const pipeline = Object.fromEntries(
    (Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]).map((n) => [
      n,
      vars(stacks.pipeline, stacks.pipeline.functions[n].fn),
    ]),
  );
  return { pipeline, api: vars(stacks.api, stacks.api.fn) };
}
type IConstructWithChild = { node: { defaultChild?: unknown } };

describe("lockdesk:fourEyesAllUnlocks", () => {
  it("off by default: no variable anywhere", () => {
    expect(loadConfig(() => undefined).fourEyesAllUnlocks).toBe(false);
    const e = envs({});
    for (const [name, vars] of Object.entries({ ...e.pipeline, api: e.api })) {
      expect([name, "FOUR_EYES_ALL_UNLOCKS" in vars]).toEqual([name, false]);
    }
  });

  it("on: ValidateCase and the API get FOUR_EYES_ALL_UNLOCKS=true, the other functions nothing", () => {
    for (const value of [true, "true"]) {
      const e = envs({ "lockdesk:fourEyesAllUnlocks": value });
      expect(e.pipeline.ValidateCase?.FOUR_EYES_ALL_UNLOCKS).toBe("true");
      expect(e.api.FOUR_EYES_ALL_UNLOCKS).toBe("true");
      const others = Object.entries(e.pipeline).filter(
        ([n, v]) => n !== "ValidateCase" && "FOUR_EYES_ALL_UNLOCKS" in v,
      );
      expect(others).toEqual([]);
    }
  });

  it("the functions parse it into the four-eyes setting", () => {
    const base = { CASES_TABLE: "t" };
    expect(parseEnv({ ...base, FOUR_EYES_ALL_UNLOCKS: "true" }).FOUR_EYES_ALL_UNLOCKS).toBe(true);
    expect(parseEnv({ ...base, FOUR_EYES_ALL_UNLOCKS: "" }).FOUR_EYES_ALL_UNLOCKS).toBe(false);
    expect(parseEnv(base).FOUR_EYES_ALL_UNLOCKS).toBe(false);
    expect(() => parseEnv({ ...base, FOUR_EYES_ALL_UNLOCKS: "ja" })).toThrow(/FOUR_EYES_ALL_UNLOCKS/);
  });
});
