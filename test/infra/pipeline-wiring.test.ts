// Integration wiring between the stacks and the code they deploy: archive IAM against the archive key layout,
// per-function environment against what the handlers read, account modes, keepNames (Step Functions matches
// errors by class name), the native layers, and the optional reference table.
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CfnElement } from "aws-cdk-lib";
import { App, Stack } from "aws-cdk-lib";
import { Annotations as AssertAnnotations, Match, Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CDK_CONTEXT,
  type LockdeskConfig,
  loadConfig,
  PIPELINE_FUNCTIONS,
  type PipelineFunctionName,
  PREFIXES,
  referenceTableKeys,
  TABLES,
} from "../../infra/config.ts";
import {
  MissingLayerPackageError,
  NATIVES_HINT,
  nodeModulesLayer,
  planPackages,
} from "../../infra/constructs/lambda-layers.ts";
import { LockdeskChecks } from "../../infra/constructs/nag.ts";
import { SharpLayer } from "../../infra/constructs/sharp-layer.ts";
import { createLockdeskStacks, type LockdeskStacks } from "../../infra/stacks/lockdesk.ts";
import { lockedPackage, nativePackageDir } from "../../scripts/fetch-lambda-natives.mjs";
import { archivePrefix } from "../../shared/use-cases/archive-scan.ts";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
const NAMES = Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[];

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** Synthesizes the stacks; `bundle: false` skips esbuild (placeholder assets) for the extra configurations. */
function synth(context: Record<string, unknown>, bundle: boolean): { app: App; stacks: LockdeskStacks } {
  const app = new App({ context: { ...CDK_CONTEXT, ...(bundle ? {} : { "aws:cdk:bundling-stacks": [] }) } });
  const config: LockdeskConfig = loadConfig((key) => context[key]);
  return { app, stacks: createLockdeskStacks(app, config) };
}

class View {
  readonly pipeline: Template;
  constructor(readonly stacks: LockdeskStacks) {
    this.pipeline = Template.fromStack(stacks.pipeline);
  }
  statements(name: PipelineFunctionName): Statement[] {
    const role = this.stacks.pipeline.functions[name].role;
    const policy = this.pipeline.toJSON().Resources[logicalId(role.node.findChild("DefaultPolicy"))];
    return policy.Properties.PolicyDocument.Statement as Statement[];
  }
  /** action → the resources (JSON) granted for it. */
  grants(name: PipelineFunctionName): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const s of this.statements(name)) {
      const resources = (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => JSON.stringify(r));
      for (const a of Array.isArray(s.Action) ? s.Action : [s.Action])
        out.set(a, [...(out.get(a) ?? []), ...resources]);
    }
    return out;
  }
  env(name: PipelineFunctionName): Record<string, unknown> {
    const fn = this.stacks.pipeline.functions[name].fn;
    return this.pipeline.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
  }
}

let bundled: { app: App; view: View };
beforeAll(() => {
  const { app, stacks } = synth({}, true);
  bundled = { app, view: new View(stacks) };
});

describe("archive IAM matches what archive-scan and send-mail do", () => {
  it("archive keys are archive/<yyyy>/<caseId>/…, the prefix the grants use", () => {
    const prefix = archivePrefix({
      caseId: "c-1",
      receivedAt: "2025-03-17T08:00:00Z",
      receivedDate: "2025-03-17",
    } as never);
    expect(prefix.startsWith(PREFIXES.archive)).toBe(true);
    expect(prefix).toMatch(/^archive\/\d{4}\/c-1\/$/);
  });

  it("ArchiveScan: put + get (sha256 verify) on archive/* of the archive bucket; get + delete on incoming/* of the scans bucket", () => {
    const g = bundled.view.grants("ArchiveScan");
    for (const action of ["s3:PutObject", "s3:GetObject"]) {
      expect(
        g.get(action)?.some((r) => /Archive.*\/archive\/\*/.test(r)),
        action,
      ).toBe(true);
    }
    for (const action of ["s3:GetObject", "s3:DeleteObject"]) {
      expect(
        g.get(action)?.some((r) => /Scans.*\/incoming\/\*/.test(r)),
        action,
      ).toBe(true);
    }
    // Nothing outside those prefixes, and nothing that shortens the Object Lock retention.
    for (const [action, resources] of g) {
      if (!action.startsWith("s3:")) continue;
      for (const r of resources) expect(r, action).toMatch(/\/(archive|incoming)\/\*/);
    }
    expect(g.has("s3:PutObjectRetention")).toBe(false);
    expect(g.has("s3:BypassGovernanceRetention")).toBe(false);
    expect(g.get("s3:DeleteObject")?.every((r) => /Scans/.test(r))).toBe(true);
  });

  it("SendMail: put on archive/* (letters), read the registry extract (letter addresses) and incoming/* (the scan must be unchanged), no other S3 access", () => {
    const g = bundled.view.grants("SendMail");
    expect(g.get("s3:PutObject")).toHaveLength(1);
    expect(g.get("s3:PutObject")?.[0]).toMatch(/Archive.*\/archive\/\*/);
    const reads = g.get("s3:GetObject") ?? [];
    expect(reads).toHaveLength(2);
    expect(reads.some((r) => /Reference.*\/reference\/persons\.csv/.test(r))).toBe(true);
    expect(reads.some((r) => /Scans.*\/incoming\/\*/.test(r))).toBe(true);
    expect([...g.keys()].filter((a) => a.startsWith("s3:")).sort()).toEqual([
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:PutObject",
    ]);
  });

  it("ExecuteAction: reads incoming/* only (the scan must be unchanged before acting)", () => {
    const g = bundled.view.grants("ExecuteAction");
    expect(g.get("s3:GetObject")).toHaveLength(1);
    expect(g.get("s3:GetObject")?.[0]).toMatch(/Scans.*\/incoming\/\*/);
    expect([...g.keys()].filter((a) => a.startsWith("s3:")).sort()).toEqual(["s3:GetObject", "s3:GetObjectVersion"]);
  });
});

describe("per-function environment (what each handler reads)", () => {
  it("ArchiveScan gets ARCHIVE_BUCKET and ARCHIVE_RETENTION_DAYS (default 3650, from config)", () => {
    const env = bundled.view.env("ArchiveScan");
    expect(JSON.stringify(env.ARCHIVE_BUCKET)).toContain("Archive");
    expect(env.ARCHIVE_RETENTION_DAYS).toBe("3650");
    const { stacks } = synth({ "lockdesk:archiveRetentionDays": "2555" }, false);
    expect(new View(stacks).env("ArchiveScan").ARCHIVE_RETENTION_DAYS).toBe("2555");
  });

  it("ReadForm may start THE state machine (a batch's later documents) and nothing else may", () => {
    const arn = JSON.stringify(bundled.view.env("ReadForm").STATE_MACHINE_ARN);
    expect(arn).toContain("stateMachine:");
    expect(arn).toContain("-case");
    const start = bundled.view.grants("ReadForm").get("states:StartExecution");
    expect(start).toHaveLength(1);
    expect(start?.[0]).toContain("-case");
    for (const name of NAMES.filter((n) => n !== "ReadForm")) {
      expect(bundled.view.grants(name).has("states:StartExecution"), name).toBe(false);
    }
  });

  it("SendMail gets ARCHIVE_BUCKET, MAIL_FROM and SES_CONFIGURATION_SET (the mail stack's set)", () => {
    const env = bundled.view.env("SendMail");
    expect(env.MAIL_FROM).toBe("sparr-och-loggservice@lockdesk.example.se");
    expect(JSON.stringify(env.SES_CONFIGURATION_SET)).toContain("ConfigurationSet");
    expect(env.ARCHIVE_BUCKET).toBeDefined();
  });

  it("ValidateCase and ReadForm get the reference bucket and keys; SendMail the registry extract only; no other function", () => {
    // ReadForm reads with the caregiver list and the registry's names, as `lockdesk eval` measures the reader.
    for (const name of ["ValidateCase", "ReadForm"] as const) {
      expect(Object.keys(bundled.view.env(name))).toEqual(
        expect.arrayContaining(["REFERENCE_BUCKET", "PERSONS_KEY", "CAREGIVERS_KEY"]),
      );
    }
    const send = bundled.view.env("SendMail");
    expect(Object.keys(send)).toEqual(expect.arrayContaining(["REFERENCE_BUCKET", "PERSONS_KEY"]));
    expect(send.CAREGIVERS_KEY).toBeUndefined();
    for (const name of NAMES.filter((n) => !["ValidateCase", "SendMail", "ReadForm"].includes(n))) {
      expect(bundled.view.env(name).REFERENCE_BUCKET, name).toBeUndefined();
    }
  });

  it("mail, archive and account settings reach only the function that reads them", () => {
    const only: Record<string, PipelineFunctionName[]> = {
      MAIL_FROM: ["SendMail"],
      SES_CONFIGURATION_SET: ["SendMail"],
      ARCHIVE_RETENTION_DAYS: ["ArchiveScan"],
      ARCHIVE_BUCKET: ["SendMail", "ArchiveScan"],
      ACCOUNT_MODE: ["ExecuteAction"],
    };
    for (const [variable, owners] of Object.entries(only)) {
      for (const name of NAMES)
        expect(variable in bundled.view.env(name), `${name} ${variable}`).toBe(owners.includes(name));
    }
  });
});

describe("account modes (ExecuteAction)", () => {
  it("default MANUAL: ACCOUNT_MODE=MANUAL, no accounts table, no secret", () => {
    const env = bundled.view.env("ExecuteAction");
    expect(env.ACCOUNT_MODE).toBe("MANUAL");
    expect(env.ACCOUNTS_TABLE).toBeUndefined();
    const actions = [...bundled.view.grants("ExecuteAction").keys()];
    expect(actions).not.toContain("secretsmanager:GetSecretValue");
    expect(JSON.stringify(bundled.view.statements("ExecuteAction"))).not.toContain("Accounts");
  });

  it("SIMULATED: the accounts table (item access only), by name in ACCOUNTS_TABLE", () => {
    const view = new View(synth({ "lockdesk:accountMode": "SIMULATED" }, false).stacks);
    const env = view.env("ExecuteAction");
    expect(env.ACCOUNT_MODE).toBe("SIMULATED");
    expect(JSON.stringify(env.ACCOUNTS_TABLE)).toContain("Accounts");
    const onAccounts = view
      .statements("ExecuteAction")
      .filter((s) => JSON.stringify(s.Resource).includes("Accounts"))
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(onAccounts.sort()).toEqual(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]);
    for (const name of NAMES.filter((n) => n !== "ExecuteAction")) {
      expect(JSON.stringify(view.statements(name)).includes("Accounts"), name).toBe(false);
    }
  });

  it("HTTP: URL and secret id in the environment, GetSecretValue on that secret only", () => {
    const view = new View(
      synth(
        {
          "lockdesk:accountMode": "HTTP",
          "lockdesk:accountServiceUrl": "https://staff-tool.example.se/api",
          "lockdesk:accountServiceSecretId": "lockdesk/account-service",
        },
        false,
      ).stacks,
    );
    expect(view.env("ExecuteAction")).toMatchObject({
      ACCOUNT_MODE: "HTTP",
      ACCOUNT_SERVICE_URL: "https://staff-tool.example.se/api",
      ACCOUNT_SERVICE_SECRET_ID: "lockdesk/account-service",
    });
    const secret = view.grants("ExecuteAction").get("secretsmanager:GetSecretValue");
    expect(secret).toHaveLength(1);
    expect(secret?.[0]).toContain("secret:lockdesk/account-service-??????");
    for (const name of NAMES.filter((n) => n !== "ExecuteAction")) {
      expect(view.grants(name).has("secretsmanager:GetSecretValue"), name).toBe(false);
      expect(view.env(name).ACCOUNT_SERVICE_URL, name).toBeUndefined();
    }
    // A complete ARN is used as it is.
    const arn = "arn:aws:secretsmanager:eu-north-1:123456789012:secret:lockdesk/account-service-AbCdEf";
    const byArn = new View(
      synth(
        {
          "lockdesk:accountMode": "HTTP",
          "lockdesk:accountServiceUrl": "https://staff-tool.example.se/api",
          "lockdesk:accountServiceSecretId": arn,
        },
        false,
      ).stacks,
    );
    expect(byArn.grants("ExecuteAction").get("secretsmanager:GetSecretValue")).toEqual([JSON.stringify(arn)]);
  });

  it("HTTP without an https URL or a secret, or an unknown mode, fails at synth", () => {
    expect(() => loadConfig((k) => ({ "lockdesk:accountMode": "HTTP" })[k])).toThrow(/accountServiceUrl/);
    expect(() =>
      loadConfig((k) => ({ "lockdesk:accountMode": "HTTP", "lockdesk:accountServiceUrl": "https://x.example.se" })[k]),
    ).toThrow(/accountServiceSecretId/);
    expect(() =>
      loadConfig(
        (k) =>
          ({
            "lockdesk:accountMode": "HTTP",
            "lockdesk:accountServiceUrl": "http://x.example.se",
            "lockdesk:accountServiceSecretId": "s",
          })[k],
      ),
    ).toThrow(/https/);
    expect(() => loadConfig((k) => ({ "lockdesk:accountMode": "AUTO" })[k])).toThrow(/accountMode/);
  });
});

describe("person registry over HTTP (ValidateCase)", () => {
  const REGISTRY_VARS = [
    "PERSON_REGISTRY_URL",
    "PERSON_REGISTRY_SECRET_ID",
    "PERSON_REGISTRY_AUTH",
    "PERSON_REGISTRY_SECRET_JSON_KEY",
    "PERSON_REGISTRY_TIMEOUT_MS",
  ];

  it("unset (default): no registry variables and no secret grant on any function", () => {
    for (const name of NAMES) {
      const env = bundled.view.env(name);
      for (const v of REGISTRY_VARS) expect(v in env, `${name} ${v}`).toBe(false);
      expect(bundled.view.grants(name).has("secretsmanager:GetSecretValue"), name).toBe(false);
    }
  });

  it("set: URL and secret id on ValidateCase, ReadForm and SendMail only, GetSecretValue on exactly that secret; cdk-nag clean", () => {
    const synthesized = synth(
      {
        "lockdesk:personRegistryUrl": "https://folkbokforing.example.se/v1",
        "lockdesk:personRegistrySecretId": "lockdesk/person-registry",
      },
      false,
    );
    const view = new View(synthesized.stacks);
    // SendMail reads the registry too: a letter to the citizen gets the postal address from it.
    // ReadForm reads subject names against it (the reader `lockdesk eval` measures).
    const readers = ["ValidateCase", "SendMail", "ReadForm"] as const;
    for (const reader of readers) {
      const env = view.env(reader);
      expect(env).toMatchObject({
        PERSON_REGISTRY_URL: "https://folkbokforing.example.se/v1",
        PERSON_REGISTRY_SECRET_ID: "lockdesk/person-registry",
      });
      // Optional settings stay unset (the handler's defaults apply) unless configured.
      for (const v of ["PERSON_REGISTRY_AUTH", "PERSON_REGISTRY_SECRET_JSON_KEY", "PERSON_REGISTRY_TIMEOUT_MS"]) {
        expect(v in env, v).toBe(false);
      }
      const statements = view
        .statements(reader)
        .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a.startsWith("secretsmanager:")));
      expect(statements).toHaveLength(1);
      expect(statements[0]?.Action).toBe("secretsmanager:GetSecretValue");
      const secret = view.grants(reader).get("secretsmanager:GetSecretValue");
      expect(secret).toHaveLength(1);
      expect(secret?.[0]).toContain("secret:lockdesk/person-registry-??????");
    }
    for (const name of NAMES.filter((n) => !(readers as readonly string[]).includes(n))) {
      expect(view.grants(name).has("secretsmanager:GetSecretValue"), name).toBe(false);
      for (const v of REGISTRY_VARS) expect(v in view.env(name), `${name} ${v}`).toBe(false);
    }
    const report = new LockdeskChecks(synthesized.app).validateScope(synthesized.app);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(", ")}`,
    );
    expect(findings).toEqual([]);
  });

  it("set with an ARN and the optional settings: ARN used as it is, optional variables passed", () => {
    const arn = "arn:aws:secretsmanager:eu-north-1:123456789012:secret:lockdesk/person-registry-AbCdEf";
    const view = new View(
      synth(
        {
          "lockdesk:personRegistryUrl": "https://folkbokforing.example.se/v1",
          "lockdesk:personRegistrySecretId": arn,
          "lockdesk:personRegistryAuth": "api-key",
          "lockdesk:personRegistrySecretJsonKey": "apiKey",
          "lockdesk:personRegistryTimeoutMs": "5000",
        },
        false,
      ).stacks,
    );
    expect(view.env("ValidateCase")).toMatchObject({
      PERSON_REGISTRY_SECRET_ID: arn,
      PERSON_REGISTRY_AUTH: "api-key",
      PERSON_REGISTRY_SECRET_JSON_KEY: "apiKey",
      PERSON_REGISTRY_TIMEOUT_MS: "5000",
    });
    expect(view.grants("ValidateCase").get("secretsmanager:GetSecretValue")).toEqual([JSON.stringify(arn)]);
  });

  it("only one of the two, or a non-https URL, fails at synth with a clear message", () => {
    const cfg = (ctx: Record<string, string>) => () => loadConfig((k) => ctx[k]);
    expect(cfg({ "lockdesk:personRegistryUrl": "https://r.example.se" })).toThrow(/personRegistrySecretId/);
    expect(cfg({ "lockdesk:personRegistrySecretId": "s" })).toThrow(/personRegistryUrl \(https/);
    expect(
      cfg({ "lockdesk:personRegistryUrl": "http://r.example.se", "lockdesk:personRegistrySecretId": "s" }),
    ).toThrow(/https/);
    expect(
      cfg({
        "lockdesk:personRegistryUrl": "https://r.example.se",
        "lockdesk:personRegistrySecretId": "s",
        "lockdesk:personRegistryAuth": "basic",
      }),
    ).toThrow(/personRegistryAuth/);
  });

  it("the configured environment is one ValidateCase's env schema accepts", async () => {
    const { parseEnv } = await import("../../shared/config/env.ts");
    const view = new View(
      synth(
        {
          "lockdesk:personRegistryUrl": "https://folkbokforing.example.se/v1",
          "lockdesk:personRegistrySecretId": "lockdesk/person-registry",
          "lockdesk:personRegistryTimeoutMs": "5000",
        },
        false,
      ).stacks,
    );
    const env = view.env("ValidateCase");
    const plain: Record<string, string> = { CASES_TABLE: "cases" };
    for (const [k, v] of Object.entries(env)) if (typeof v === "string") plain[k] = v;
    const parsed = parseEnv(plain);
    expect(parsed.PERSON_REGISTRY_URL).toBe("https://folkbokforing.example.se/v1");
    expect(parsed.PERSON_REGISTRY_SECRET_ID).toBe("lockdesk/person-registry");
    expect(parsed.PERSON_REGISTRY_TIMEOUT_MS).toBe(5000);
  });
});

describe("bundles keep class names (Step Functions Retry/Catch match the error name)", () => {
  it("the archive-scan bundle names ArchiveVerificationError although it is minified", () => {
    const fn =
      bundled.view.pipeline.toJSON().Resources[logicalId(bundled.view.stacks.pipeline.functions.ArchiveScan.fn)];
    const key: string = fn.Properties.Code.S3Key;
    const dir = join(bundled.app.outdir, `asset.${key.replace(/\.zip$/, "")}`);
    const file = readdirSync(dir).find((f) => /^index\.m?js$/.test(f));
    expect(file).toBeDefined();
    const code = readFileSync(join(dir, file ?? ""), "utf8");
    expect(code).toContain('"ArchiveVerificationError"');
    expect(code).toContain('"ScanNotFoundError"');
  });
});

describe("native layers: assembled from node_modules at synth, required (never optional)", () => {
  it("ReadForm gets the sharp and reader layers of its architecture; the API shares its stack's one sharp layer", () => {
    const t = bundled.view.pipeline;
    t.resourceCountIs("AWS::Lambda::LayerVersion", 2);
    const fn = t.toJSON().Resources[logicalId(bundled.view.stacks.pipeline.functions.ReadForm.fn)];
    const refs = (fn.Properties.Layers as Array<{ Ref: string }>).map((l) => l.Ref).sort();
    expect(refs).toEqual([expect.stringMatching(/^ReaderLayer/), expect.stringMatching(/^SharpLayer/)]);
    t.hasResourceProperties("AWS::Lambda::LayerVersion", {
      CompatibleArchitectures: ["arm64"],
      CompatibleRuntimes: ["nodejs22.x"],
    });
    const api = Template.fromStack(bundled.view.stacks.api);
    api.resourceCountIs("AWS::Lambda::LayerVersion", 1);
    api.hasResourceProperties("AWS::Lambda::Function", { Layers: [{ Ref: Match.stringLikeRegexp("SharpLayer") }] });
    for (const stack of [bundled.view.stacks.pipeline, bundled.view.stacks.api]) {
      AssertAnnotations.fromStack(stack).hasNoWarning("*", Match.stringLikeRegexp("sharp"));
    }
  });

  it("one sharp layer per stack, shared; its architecture follows lockdesk:lambdaArch", () => {
    const stack = new Stack(new App({ context: { "lockdesk:lambdaArch": "x86_64" } }), "T");
    const a = SharpLayer.of(stack, { purpose: "test" });
    expect(SharpLayer.of(stack, { purpose: "test" })).toBe(a);
    expect(a.arch).toBe("x86_64");
    Template.fromStack(stack).hasResourceProperties("AWS::Lambda::LayerVersion", {
      CompatibleArchitectures: ["x86_64"],
    });
    expect(() =>
      SharpLayer.of(new Stack(new App({ context: { "lockdesk:lambdaArch": "mips" } }), "U"), {
        purpose: "test",
      }),
    ).toThrow(/arm64 or x86_64/);
  });

  it("a missing package fails synth with how to get it", () => {
    const stack = new Stack(new App(), "T");
    expect(() =>
      nodeModulesLayer(stack, "L", {
        arch: "arm64",
        description: "test",
        packages: [{ name: "@img/sharp-linux-arm64", dir: join(tmpdir(), "no-such-package") }],
        hint: NATIVES_HINT,
      }),
    ).toThrow(MissingLayerPackageError);
    expect(() => planPackages([{ name: "no-such-package-xyz" }], "run npm ci")).toThrow(
      /no-such-package-xyz is missing .*run npm ci/,
    );
  });

  it("npm ci fetched sharp's linux packages for both Lambda architectures, at the locked versions", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8"));
    expect(pkg.scripts.postinstall).toBe("node scripts/fetch-lambda-natives.mjs");
    for (const arch of ["arm64", "x64"]) {
      for (const name of [`@img/sharp-linux-${arch}`, `@img/sharp-libvips-linux-${arch}`]) {
        const dir = nativePackageDir(name, arch);
        const installed = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
        expect(installed.version, name).toBe(lockedPackage(name).version);
      }
    }
  });
});

describe("reference table (when TABLES.reference is configured)", () => {
  const keys = referenceTableKeys();
  it("referenceTableKeys follows TABLES", () => {
    expect(keys === undefined).toBe(!("reference" in TABLES));
  });

  it.runIf(keys !== undefined)(
    "pk/sk table, on demand, PITR, KMS; validate-case reads, the API reads and writes",
    () => {
      const { stacks } = bundled.view;
      const storage = Template.fromStack(stacks.storage);
      storage.hasResourceProperties("AWS::DynamoDB::Table", {
        KeySchema: [
          { AttributeName: keys?.pk, KeyType: "HASH" },
          { AttributeName: keys?.sk, KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: "KMS" },
      });
      expect(JSON.stringify(bundled.view.env("ValidateCase").REFERENCE_TABLE)).toContain("Reference");
      const validate = bundled.view
        .statements("ValidateCase")
        .filter(
          (s) => JSON.stringify(s.Resource).includes("Reference") && JSON.stringify(s.Resource).includes("Table"),
        );
      const validateActions = validate.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
      expect(validateActions.sort()).toEqual(["dynamodb:GetItem", "dynamodb:Query"]);
      const api = Template.fromStack(stacks.api).toJSON();
      const fnProps = api.Resources[logicalId(stacks.api.fn)].Properties;
      expect(JSON.stringify(fnProps.Environment.Variables.REFERENCE_TABLE)).toContain("Reference");
      const apiPolicy = api.Resources[logicalId(stacks.api.role.node.findChild("DefaultPolicy"))];
      const apiActions = (apiPolicy.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => JSON.stringify(s.Resource).includes("Reference") && JSON.stringify(s.Resource).includes("Table"))
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
      expect(apiActions).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]));
    },
  );
});
