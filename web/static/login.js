// Login page. Locally: the dev login form (config/users.json). On AWS: Cognito's hosted sign-in, OAuth 2.0
// authorisation code flow with PKCE (RFC 7636) for a public client — the verifier and state stay in this tab's
// sessionStorage; /login/callback exchanges the code for the ID token the API verifies.
import { refreshToken, setRefresh, setToken } from "./common.js";

const form = document.getElementById("login-form");
const error = document.getElementById("login-error");
const PKCE = "lockdesk_pkce";

/** Where a signed-in user starts: handlers and admins at the queue, the mail room at its page. */
function landing(groups) {
  return groups.includes("handler") || groups.includes("admin") ? "/queue" : "/mailroom";
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const userId = form.elements.namedItem("userId").value.trim();
    const password = form.elements.namedItem("password").value;
    const res = await fetch("/api/dev-login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId, password }),
    });
    if (!res.ok) {
      error.textContent = "Fel användar-id eller lösenord.";
      return;
    }
    const { token, user } = await res.json();
    setToken(token);
    location.assign(landing(user.groups));
  });
}

const sso = document.getElementById("sso-login");
// Sent here because the hour-long token ran out: renew it from this tab's refresh token and go on, without a sign-in
// (at most once a minute: a renewed token the API still refuses must not send the browser round in circles).
const RENEWED = "lockdesk_renewed_at";
if (sso && Date.now() - Number(sessionStorage.getItem(RENEWED) ?? 0) > 60_000) {
  refreshToken().then((token) => {
    if (!token) return;
    sessionStorage.setItem(RENEWED, String(Date.now()));
    location.assign(landing(claimsOf(token)["cognito:groups"] ?? []));
  });
}
sso?.addEventListener("click", async () => {
  const verifier = randomString();
  const state = randomString();
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state }));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const url = new URL(sso.dataset.authorize);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: sso.dataset.client,
    redirect_uri: sso.dataset.redirect,
    scope: "openid profile email",
    state,
    code_challenge: base64url(digest),
    code_challenge_method: "S256",
  }).toString();
  location.assign(url.toString());
});

const callback = document.getElementById("login-callback");
if (callback) exchange(callback);

/** Back from the hosted sign-in: the code and this tab's PKCE verifier for the ID token. */
async function exchange(el) {
  const fail = (text) => {
    error.textContent = text;
  };
  const params = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem(PKCE) || "null");
  sessionStorage.removeItem(PKCE);
  if (params.get("error")) return fail("Inloggningen avbröts. Försök igen.");
  const code = params.get("code");
  if (!code || !saved || params.get("state") !== saved.state) {
    return fail("Inloggningen kunde inte slutföras (ogiltigt svar). Försök igen.");
  }
  const res = await fetch(el.dataset.token, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: el.dataset.client,
      code,
      redirect_uri: el.dataset.redirect,
      code_verifier: saved.verifier,
    }).toString(),
  }).catch(() => null);
  if (!res?.ok) return fail("Inloggningen kunde inte slutföras. Försök igen.");
  const { id_token: token, refresh_token: refresh } = await res.json();
  if (!token) return fail("Inloggningen kunde inte slutföras. Försök igen.");
  setToken(token);
  if (refresh) setRefresh({ tokenUrl: el.dataset.token, clientId: el.dataset.client, refreshToken: refresh });
  history.replaceState(null, "", "/login");
  // The groups the API will check are in the token; the page only picks where to start.
  location.assign(landing(claimsOf(token)["cognito:groups"] ?? []));
}

/** A JWT's claims (not verified here: the API verifies every request). */
function claimsOf(token) {
  return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
}
