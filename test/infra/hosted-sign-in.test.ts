// Sign-in on AWS (lockdesk:webOrigin + lockdesk:authDomainPrefix): the user pool's hosted sign-in domain, the web
// client's code flow back to <webOrigin>/login/callback (no implicit flow), and the variables the API handler reads
// to render the login page. Synthesized without bundling (placeholder assets): only the wiring is asserted here.
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { CDK_CONTEXT, loadConfig } from "../../infra/config.ts";
import { createLockdeskStacks } from "../../infra/stacks/lockdesk.ts";

function apiTemplate(context: Record<string, string>) {
  const app = new App({ context: { ...CDK_CONTEXT, "aws:cdk:bundling-stacks": [] } });
  return Template.fromStack(
    createLockdeskStacks(
      app,
      loadConfig((key) => context[key]),
    ).api,
  );
}
const apiFunction = (t: Template) =>
  Object.values(t.findResources("AWS::Lambda::Function")).find(
    (r) =>
      (r as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables
        ?.COGNITO_CLIENT_ID,
  ) as { Properties: { Environment: { Variables: Record<string, unknown> } } };

describe("hosted sign-in", () => {
  it("unset: no sign-in domain, no OAuth flow on the client, no sign-in variables", () => {
    const t = apiTemplate({});
    t.resourceCountIs("AWS::Cognito::UserPoolDomain", 0);
    const client = Object.values(t.findResources("AWS::Cognito::UserPoolClient"))[0] as {
      Properties: Record<string, unknown>;
    };
    expect(client.Properties.AllowedOAuthFlows ?? []).toEqual([]);
    expect(client.Properties.AllowedOAuthFlowsUserPoolClient ?? false).toBe(false);
    const env = apiFunction(t).Properties.Environment.Variables;
    expect("AUTH_DOMAIN" in env || "WEB_ORIGIN" in env).toBe(false);
  });

  it("set: the domain, the code flow back to /login/callback only, and AUTH_DOMAIN + WEB_ORIGIN on the API", () => {
    const t = apiTemplate({
      "lockdesk:webOrigin": "https://lockdesk.vgregion.se",
      "lockdesk:authDomainPrefix": "lockdesk-vgr",
    });
    t.hasResourceProperties("AWS::Cognito::UserPoolDomain", { Domain: "lockdesk-vgr" });
    t.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: Match.arrayWith(["openid", "profile", "email"]),
      CallbackURLs: ["https://lockdesk.vgregion.se/login/callback"],
      LogoutURLs: ["https://lockdesk.vgregion.se/login"],
      SupportedIdentityProviders: ["COGNITO"],
    });
    const env = apiFunction(t).Properties.Environment.Variables;
    expect(env.WEB_ORIGIN).toBe("https://lockdesk.vgregion.se");
    expect(JSON.stringify(env.AUTH_DOMAIN)).toContain(".auth.");
  });

  it("only one of the two, a URL with a path or plain http, or a prefix Cognito refuses: a clear error at synth", () => {
    const cfg = (ctx: Record<string, string>) => () => loadConfig((k) => ctx[k]);
    expect(cfg({ "lockdesk:webOrigin": "https://a.example.se" })).toThrow(/set both or neither/);
    expect(cfg({ "lockdesk:authDomainPrefix": "lockdesk" })).toThrow(/set both or neither/);
    for (const origin of ["http://a.example.se", "https://a.example.se/lockdesk"]) {
      expect(cfg({ "lockdesk:webOrigin": origin, "lockdesk:authDomainPrefix": "lockdesk" })).toThrow(
        /https origin without a path/,
      );
    }
    for (const prefix of ["Lockdesk", "my-cognito-login", "-x"]) {
      expect(cfg({ "lockdesk:webOrigin": "https://a.example.se", "lockdesk:authDomainPrefix": prefix })).toThrow(
        /authDomainPrefix/,
      );
    }
  });
});
