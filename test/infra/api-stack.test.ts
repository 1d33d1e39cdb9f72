// The API stack: Cognito (groups, MFA, passwords), the HTTP API (JWT on /api, pages without), stage access logs,
// the function's least privilege and its bundle (web/static shipped next to the handler). Synthesizes once.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CfnElement } from "aws-cdk-lib";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { CDK_CONTEXT, loadConfig } from "../../infra/config.ts";
import { LockdeskChecks } from "../../infra/constructs/nag.ts";
import { USER_GROUPS, WEB_STATIC_DIR_ON_LAMBDA, WEB_STATIC_SOURCE } from "../../infra/stacks/api-stack.ts";
import { createLockdeskStacks, type LockdeskStacks } from "../../infra/stacks/lockdesk.ts";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

let app: App;
let stacks: LockdeskStacks;
let api: Template;
const config = loadConfig(() => undefined);

beforeAll(() => {
  app = new App({ context: CDK_CONTEXT });
  stacks = createLockdeskStacks(app, config);
  api = Template.fromStack(stacks.api);
});

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
function statements(): Statement[] {
  const policyId = logicalId(stacks.api.role.node.findChild("DefaultPolicy"));
  return api.toJSON().Resources[policyId].Properties.PolicyDocument.Statement as Statement[];
}
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
/** Every action granted on a resource whose JSON matches `resource`. */
function actionsOn(resource: RegExp): string[] {
  return statements()
    .filter((s) =>
      (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).some((r) => resource.test(JSON.stringify(r))),
    )
    .flatMap(actionsOf)
    .sort();
}

describe("api stack: Cognito", () => {
  it("admin-created accounts only, MFA required (TOTP), strong passwords", () => {
    api.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
  });

  it("groups mailroom, handler and admin exist in the pool", () => {
    expect(USER_GROUPS).toEqual(["mailroom", "handler", "admin"]);
    for (const group of USER_GROUPS) {
      api.hasResourceProperties("AWS::Cognito::UserPoolGroup", {
        GroupName: group,
        UserPoolId: { Ref: logicalId(stacks.api.userPool) },
      });
    }
    api.resourceCountIs("AWS::Cognito::UserPoolGroup", 3);
  });

  it("a public web client: no secret, SRP only", () => {
    api.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
  });
});

describe("api stack: HTTP API", () => {
  it("a JWT authorizer against the pool, with the web client as audience", () => {
    api.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      IdentitySource: ["$request.header.Authorization"],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(stacks.api.userPoolClient) }],
        Issuer: {
          "Fn::Join": [
            "",
            [`https://cognito-idp.${config.region}.amazonaws.com/`, { Ref: logicalId(stacks.api.userPool) }],
          ],
        },
      },
    });
  });

  it("ANY /api/{proxy+} requires the JWT; GET /api/openapi.json, GET / and GET /{proxy+} (pages verify the cookie) do not", () => {
    const authorizers = api.findResources("AWS::ApiGatewayV2::Authorizer");
    const authorizerId = Object.keys(authorizers)[0];
    expect(authorizerId).toBeDefined();
    api.hasResourceProperties("AWS::ApiGatewayV2::Route", {
      RouteKey: "ANY /api/{proxy+}",
      AuthorizationType: "JWT",
      AuthorizerId: { Ref: authorizerId },
    });
    for (const routeKey of ["GET /api/openapi.json", "GET /", "GET /{proxy+}"]) {
      api.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: routeKey, AuthorizationType: "NONE" });
    }
    // No other public /api route: dev-login (local only; 404 on AWS) stays behind the authorizer.
    const routeKeys = Object.values(api.findResources("AWS::ApiGatewayV2::Route")).map((r) => r.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual(["ANY /api/{proxy+}", "GET /", "GET /api/openapi.json", "GET /{proxy+}"]);
    expect(routeKeys.some((k: string) => k.includes("dev-login"))).toBe(false);
    // Every route goes to the one API function.
    const integrations = api.findResources("AWS::ApiGatewayV2::Integration");
    expect(Object.values(integrations).map((i) => i.Properties.IntegrationUri)).toEqual([
      { "Fn::GetAtt": [logicalId(stacks.api.fn), "Arn"] },
    ]);
  });

  it("the $default stage writes JSON access logs (request id, route, status; no headers or bodies) to a retained log group", () => {
    api.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { "Fn::GetAtt": [logicalId(stacks.api.accessLogs), "Arn"] },
        Format: Match.stringLikeRegexp("\\$context\\.requestId.*\\$context\\.routeKey.*\\$context\\.status"),
      },
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: Match.anyValue() }),
    });
    const format: string = Object.values(api.findResources("AWS::ApiGatewayV2::Stage"))[0]?.Properties.AccessLogSettings
      .Format;
    expect(format).not.toMatch(/requestHeader|\$input|body/i);
    api.hasResource("AWS::Logs::LogGroup", {
      Properties: { RetentionInDays: config.accessLogRetentionDays },
      DeletionPolicy: "Retain",
    });
  });
});

describe("api stack: function", () => {
  it("Node 22 arm64, traced, with the environment the handler parses", () => {
    api.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      TracingConfig: { Mode: "Active" },
      Role: { "Fn::GetAtt": [logicalId(stacks.api.role), "Arn"] },
      Environment: {
        Variables: Match.objectLike({
          CASES_TABLE: Match.anyValue(),
          AUDIT_TABLE: Match.anyValue(),
          SCANS_BUCKET: Match.anyValue(),
          STATE_MACHINE_ARN: Match.anyValue(),
          COGNITO_USER_POOL_ID: { Ref: logicalId(stacks.api.userPool) },
          COGNITO_CLIENT_ID: { Ref: logicalId(stacks.api.userPoolClient) },
          LOCKDESK_WEB_STATIC_DIR: WEB_STATIC_DIR_ON_LAMBDA,
        }),
      },
    });
  });

  it("the bundle ships web/static at the directory LOCKDESK_WEB_STATIC_DIR names", () => {
    const fn = api.toJSON().Resources[logicalId(stacks.api.fn)];
    const assetDir = join(app.outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, "")}`);
    expect(existsSync(join(assetDir, "index.mjs"))).toBe(true);
    expect(WEB_STATIC_DIR_ON_LAMBDA).toBe("/var/task/static");
    const shipped = readdirSync(join(assetDir, "static")).sort();
    expect(shipped).toEqual(readdirSync(WEB_STATIC_SOURCE).sort());
    expect(shipped).toEqual(expect.arrayContaining(["common.js", "app.css"]));
  });

  it("cases table: item read/write, Query and Scan; GSIs byStatus and bySubject: Query only; never Delete", () => {
    expect(actionsOn(/ExportsOutputFnGetAttCases\w+Arn\w*"\}$/)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(/Cases.*\/index\/byStatus/)).toEqual(["dynamodb:Query"]);
    expect(actionsOn(/Cases.*\/index\/bySubject/)).toEqual(["dynamodb:Query"]);
  });

  it("audit table: append and read only (PutItem + Query; GSI byUser: Query)", () => {
    expect(actionsOn(/ExportsOutputFnGetAttAudit\w+Arn\w*"\}$/)).toEqual(["dynamodb:PutItem", "dynamodb:Query"]);
    expect(actionsOn(/Audit.*\/index\/byUser/)).toEqual(["dynamodb:Query"]);
  });

  it("scans: read and (presigned) put in incoming/* only; letters: read archive/*/letter-*.pdf only; StartExecution on the case state machine only", () => {
    expect(actionsOn(/Scans.*\/incoming\/\*/)).toEqual(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]);
    // The mail room prints the letters: read the letter PDFs, never the archived scans or summaries.
    expect(actionsOn(/Archive.*\/archive\/\*\/letter-\*\.pdf/)).toEqual(["s3:GetObject"]);
    const s3Resources = statements()
      .filter((s) => actionsOf(s).some((a) => a.startsWith("s3:")))
      .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    for (const r of s3Resources) {
      expect(JSON.stringify(r)).toMatch(/\/incoming\/\*|\/archive\/\*\/letter-\*\.pdf|\/reference\/persons\.csv/);
    }
    // The case page's registry facts: the registry extract, one object, read only.
    expect(actionsOn(/Reference.*\/reference\/persons\.csv/)).toEqual(["s3:GetObject"]);
    const start = statements().filter((s) => actionsOf(s).includes("states:StartExecution"));
    expect(start).toHaveLength(1);
    expect(JSON.stringify(start[0]?.Resource)).toMatch(/ExportsOutputRefCaseStateMachine/);
  });

  it("the registry the case page's facts come from: the extract's bucket and key in the environment", () => {
    api.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({ REFERENCE_BUCKET: Match.anyValue(), PERSONS_KEY: "reference/persons.csv" }),
      },
    });
  });

  it("no wildcard actions, no deletes, no managed policies", () => {
    const all = statements().flatMap(actionsOf);
    for (const a of all) expect(a).not.toMatch(/\*/);
    expect(all.filter((a) => /Delete|BatchWrite/.test(a))).toEqual([]);
    const role = api.toJSON().Resources[logicalId(stacks.api.role)];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe("api stack: cdk-nag (AwsSolutions)", () => {
  it("reports no unacknowledged errors or warnings", () => {
    const report = new LockdeskChecks(app).validateScope(app);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(", ")}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("every acknowledgment in the api stack carries a written reason", () => {
    const acknowledged: Array<[string, string]> = [];
    for (const c of stacks.api.node.findAll()) {
      for (const entry of c.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
          acknowledged.push([id, reason]);
      }
    }
    expect(acknowledged.map(([id]) => id.replace(/^Annotation::/, ""))).toEqual(
      expect.arrayContaining(["AwsSolutions-COG8", "AwsSolutions-APIG4", "AwsSolutions-L1"]),
    );
    for (const [id, reason] of acknowledged) expect(reason.trim().length, id).toBeGreaterThanOrEqual(20);
  });
});
