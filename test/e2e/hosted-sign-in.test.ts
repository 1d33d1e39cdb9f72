// Browser test of the sign-in on AWS (Cognito's hosted sign-in, OAuth code flow with PKCE) against a stand-in
// authorisation server: the login page sends the browser to /oauth2/authorize with an S256 challenge and a state,
// the server sends it back to /login/callback with a code, and the page exchanges the code with its verifier for the
// ID token the API verifies — then the queue opens. A wrong state, or a verifier that does not match the challenge,
// ends on the login page's error, without a token. When the hour-long token has run out, the refresh token renews it
// without a new sign-in. The stand-in signs with the API harness's key (dev login).
// Needs Debian Chromium at /usr/bin/chromium: without it the test is skipped with a message, and FAILS under CI.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../api/support/harness.ts";
import { requireBrowser, watchErrors } from "./support/browser.ts";
import { closeServer, listenLocal, startUi, type Ui } from "./support/ui.ts";

const skip = requireBrowser("hosted sign-in");
const CLIENT_ID = "web-client";

/** The authorisation server's view of one sign-in: which user, which challenge, where back to. */
interface Grant {
  user: string;
  challenge: string;
  redirectUri: string;
}

describe.skipIf(skip)("sign-in through the hosted sign-in (code flow with PKCE)", () => {
  let ui: Ui | undefined;
  let browser: BrowserContext;
  let idp: Server | undefined;
  let h: Harness;
  let base: string;
  /** Who the stand-in signs in next, and what it saw. */
  let signInAs = "anna";
  let tamperState = false;
  const grants = new Map<string, Grant>();
  const seen: Array<Record<string, string>> = [];
  /** Refresh tokens issued (token → user) and the refresh grants asked for. */
  const refreshes = new Map<string, string>();
  const refreshed: string[] = [];

  beforeAll(async () => {
    h = await createHarness();
    ui = await startUi(h.deps);
    ({ base, browser } = ui);
    idp = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://idp");
      if (req.method === "GET" && url.pathname === "/oauth2/authorize") {
        const q = Object.fromEntries(url.searchParams);
        seen.push(q);
        const code = randomBytes(12).toString("hex");
        grants.set(code, { user: signInAs, challenge: q.code_challenge ?? "", redirectUri: q.redirect_uri ?? "" });
        const back = new URL(q.redirect_uri ?? "");
        back.search = new URLSearchParams({ code, state: tamperState ? "forged" : (q.state ?? "") }).toString();
        res.writeHead(302, { location: back.toString() }).end();
        return;
      }
      if (req.method === "POST" && url.pathname === "/oauth2/token") {
        let body = "";
        req.on("data", (d: Buffer) => {
          body += d.toString();
        });
        req.on("end", async () => {
          const form = Object.fromEntries(new URLSearchParams(body));
          const cors = { "access-control-allow-origin": base, "content-type": "application/json" };
          if (form.grant_type === "refresh_token") {
            const user = form.client_id === CLIENT_ID ? refreshes.get(form.refresh_token ?? "") : undefined;
            refreshed.push(user ?? "refused");
            if (!user) {
              res.writeHead(400, cors).end(JSON.stringify({ error: "invalid_grant" }));
              return;
            }
            res
              .writeHead(200, cors)
              .end(JSON.stringify({ id_token: await h.devLogin.issue(user), token_type: "Bearer" }));
            return;
          }
          const grant = grants.get(form.code ?? "");
          grants.delete(form.code ?? "");
          const verified =
            grant &&
            form.grant_type === "authorization_code" &&
            form.client_id === CLIENT_ID &&
            form.redirect_uri === grant.redirectUri &&
            createHash("sha256")
              .update(form.code_verifier ?? "")
              .digest("base64url") === grant.challenge;
          if (!verified) {
            res.writeHead(400, cors).end(JSON.stringify({ error: "invalid_grant" }));
            return;
          }
          const token = await h.devLogin.issue(grant.user);
          const refresh = randomBytes(16).toString("hex");
          refreshes.set(refresh, grant.user);
          res
            .writeHead(200, cors)
            .end(
              JSON.stringify({ id_token: token, access_token: token, refresh_token: refresh, token_type: "Bearer" }),
            );
        });
        return;
      }
      res.writeHead(404).end();
    });
    const idpBase = await listenLocal(idp);
    h.deps.signIn = {
      authorizeUrl: `${idpBase}/oauth2/authorize`,
      tokenUrl: `${idpBase}/oauth2/token`,
      clientId: CLIENT_ID,
      redirectUri: `${base}/login/callback`,
    };
  });

  afterAll(async () => {
    await ui?.close();
    await closeServer(idp);
  });

  it("a handler signs in and lands on the queue; the request carried an S256 challenge and a state", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${base}/login`);
    expect(await page.locator("#login-form").count()).toBe(0); // no password form on AWS
    await page.click("#sso-login");
    await page.waitForURL(`${base}/queue`);
    const last = seen.at(-1) ?? {};
    expect(last).toMatchObject({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: `${base}/login/callback`,
      code_challenge_method: "S256",
      scope: "openid profile email",
    });
    expect(last.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(last.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.evaluate(() => sessionStorage.getItem("lockdesk_token"))).toMatch(/^ey/);
    expect(errors).toEqual([]);
  });

  it("the mail room lands on its own page", async () => {
    signInAs = "post";
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.click("#sso-login");
    await page.waitForURL(`${base}/mailroom`);
    signInAs = "anna";
  });

  it("a state that is not this tab's ends on an error, with no token", async () => {
    tamperState = true;
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.click("#sso-login");
    await page.waitForURL(/\/login/);
    await expect.poll(() => page.locator("#login-error").textContent()).toContain("ogiltigt svar");
    expect(await page.evaluate(() => sessionStorage.getItem("lockdesk_token"))).toBeNull();
    tamperState = false;
  });

  it("a code exchanged without this tab's verifier is refused by the server: an error, no token", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    // Another tab's sign-in: this tab has a state for it but the wrong verifier.
    await page.evaluate(() =>
      sessionStorage.setItem("lockdesk_pkce", JSON.stringify({ verifier: "not-the-one", state: "s" })),
    );
    const code = randomBytes(12).toString("hex");
    grants.set(code, { user: "anna", challenge: "x".repeat(43), redirectUri: `${base}/login/callback` });
    await page.goto(`${base}/login/callback?code=${code}&state=s`);
    await expect.poll(() => page.locator("#login-error").textContent()).toContain("kunde inte slutföras");
    expect(await page.evaluate(() => sessionStorage.getItem("lockdesk_token"))).toBeNull();
  });

  it("a token that has run out is renewed from the refresh token: the page opens again without a sign-in", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${base}/login`);
    await page.click("#sso-login");
    await page.waitForURL(`${base}/queue`);
    const signIns = seen.length;
    // The hour is up: the stored token is no longer accepted (a token signed by nobody the API knows).
    const stale = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbm5hIn0.c2lnbmF0dXJl";
    await page.evaluate((t) => {
      sessionStorage.setItem("lockdesk_token", t);
      // biome-ignore lint/suspicious/noDocumentCookie: the test plays the browser's stored session
      document.cookie = `lockdesk_token=${t}; Path=/; SameSite=Strict`;
    }, stale);
    await page.goto(`${base}/queue`); // the server answers the stale cookie with the login page
    await page.waitForURL(`${base}/queue`);
    expect(refreshed.at(-1)).toBe("anna");
    expect(seen.length).toBe(signIns); // no new sign-in
    const token = await page.evaluate(() => sessionStorage.getItem("lockdesk_token"));
    expect(token).not.toBe(stale);
    expect(token).toMatch(/^ey/);
    expect(errors.filter((e) => !e.includes("401"))).toEqual([]);
  });
});
