// The staff directory settings (lockdesk:staffKey, lockdesk:staffDirectoryUrl/-SecretId): the variables
// shared/config/env.ts reads, on ValidateCase (the check) and ReadForm (reading against it) only, and a
// GetSecretValue grant on exactly the directory's secret.
// Synthesized without bundling (placeholder assets): only the wiring is asserted here.
import { App, type CfnElement, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { CDK_CONTEXT, loadConfig, PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../../infra/config.ts";
import { LockdeskChecks } from "../../infra/constructs/nag.ts";
import { createLockdeskStacks } from "../../infra/stacks/lockdesk.ts";

const NAMES = Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[];
const STAFF_VARS = ["STAFF_KEY", "STAFF_DIRECTORY_URL", "STAFF_DIRECTORY_SECRET_ID", "STAFF_DIRECTORY_AUTH"];

function synth(context: Record<string, string>) {
  const app = new App({ context: { ...CDK_CONTEXT, "aws:cdk:bundling-stacks": [] } });
  const stacks = createLockdeskStacks(
    app,
    loadConfig((key) => context[key]),
  );
  const template = Template.fromStack(stacks.pipeline).toJSON();
  const id = (c: { node: { defaultChild?: unknown } }) =>
    Stack.of(stacks.pipeline).getLogicalId(c.node.defaultChild as CfnElement);
  return {
    app,
    env: (name: PipelineFunctionName): Record<string, unknown> =>
      template.Resources[id(stacks.pipeline.functions[name].fn)].Properties.Environment.Variables,
    secretGrants: (name: PipelineFunctionName): unknown[] => {
      const role = stacks.pipeline.functions[name].role;
      const policy = template.Resources[id(role.node.findChild("DefaultPolicy") as never)];
      const statements = policy.Properties.PolicyDocument.Statement as Array<{
        Action: string | string[];
        Resource: unknown;
      }>;
      return statements
        .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes("secretsmanager:GetSecretValue"))
        .map((s) => s.Resource);
    },
  };
}

const USERS = ["ValidateCase", "ReadForm"] as const;

describe("staff directory wiring (ValidateCase, ReadForm)", () => {
  it("unset: no staff variables anywhere (today's rules)", () => {
    const s = synth({});
    for (const name of NAMES) for (const v of STAFF_VARS) expect(v in s.env(name), `${name} ${v}`).toBe(false);
  });

  it("lockdesk:staffKey: STAFF_KEY on ValidateCase and ReadForm (read under the reference/ prefix grant), no secret", () => {
    const s = synth({ "lockdesk:staffKey": "reference/staff.csv" });
    for (const name of USERS) {
      expect(s.env(name), name).toMatchObject({ STAFF_KEY: "reference/staff.csv" });
      expect(s.secretGrants(name), name).toEqual([]);
    }
    for (const name of NAMES.filter((n) => !(USERS as readonly string[]).includes(n))) {
      expect("STAFF_KEY" in s.env(name), name).toBe(false);
    }
  });

  it("lockdesk:staffDirectoryUrl + secret: URL, secret id and auth on ValidateCase and ReadForm, GetSecretValue on that secret only; cdk-nag clean", () => {
    const s = synth({
      "lockdesk:staffDirectoryUrl": "https://hsa.example.se/v1",
      "lockdesk:staffDirectorySecretId": "lockdesk/hsa",
      "lockdesk:staffDirectoryAuth": "api-key",
    });
    for (const name of USERS) {
      expect(s.env(name), name).toMatchObject({
        STAFF_DIRECTORY_URL: "https://hsa.example.se/v1",
        STAFF_DIRECTORY_SECRET_ID: "lockdesk/hsa",
        STAFF_DIRECTORY_AUTH: "api-key",
      });
      expect(JSON.stringify(s.secretGrants(name)), name).toContain("secret:lockdesk/hsa-??????");
    }
    for (const name of NAMES.filter((n) => !(USERS as readonly string[]).includes(n))) {
      expect(s.secretGrants(name), name).toEqual([]);
      for (const v of STAFF_VARS) expect(v in s.env(name), `${name} ${v}`).toBe(false);
    }
    const report = new LockdeskChecks(s.app).validateScope(s.app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it("only one of URL and secret, or a non-https URL, fails at synth with a clear message", () => {
    const cfg = (ctx: Record<string, string>) => () => loadConfig((k) => ctx[k]);
    expect(cfg({ "lockdesk:staffDirectoryUrl": "https://h.example.se" })).toThrow(/staffDirectorySecretId/);
    expect(cfg({ "lockdesk:staffDirectorySecretId": "s" })).toThrow(/set both or neither/);
    expect(
      cfg({ "lockdesk:staffDirectoryUrl": "http://h.example.se", "lockdesk:staffDirectorySecretId": "s" }),
    ).toThrow(/https/);
  });
});
