// Server-rendered pages (Swedish): the frame every page shares (layout), the login and the error page. No inline
// scripts: behaviour lives in web/static/*.js, data reaches the scripts through data-* attributes. Everything from
// OCR or from people is escaped by `html`. Each page has its own module (queue-page, case-page, mailroom-page,
// admin-page, letters-page).
import type { HostedSignIn } from "../shared/auth/hosted-sign-in.ts";
import type { Principal } from "../shared/auth/principal.ts";
import { html, type SafeHtml } from "./html.ts";

export function layout(title: string, user: Principal | null, main: SafeHtml, scripts: string[]): string {
  const nav = user
    ? html`<nav aria-label="Huvudmeny">
        ${user.groups.some((g) => g === "handler" || g === "admin") ? html`<a href="/queue">Kö</a>` : ""}
        ${user.groups.some((g) => g === "mailroom" || g === "admin") ? html`<a href="/mailroom">Postöppning</a> <a href="/mailroom/letters">Brev att posta</a>` : ""}
        ${user.groups.includes("admin") ? html`<a href="/admin/caregivers">Godkända vårdgivare</a> <a href="/admin/audit">Granskningslogg</a>` : ""}
        <span class="user">${user.displayName}</span>
        <button type="button" id="logout">Logga ut</button>
      </nav>`
    : "";
  return html`<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Spärr- och loggservice</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<header><span class="brand">Spärr- och loggservice</span>${nav}</header>
${main}
<script type="module" src="/static/common.js"></script>
${scripts.map((s) => html`<script type="module" src="/static/${s}"></script>`)}
</body>
</html>
`.value;
}

export function renderLogin(opts: { devLogin: boolean; signIn?: HostedSignIn | undefined }): string {
  if (opts.signIn) {
    const s = opts.signIn;
    const main = html`<main class="narrow">
  <h1>Logga in</h1>
  <p>Du loggar in med ditt användarnamn, lösenord och engångskod från din autentiseringsapp.</p>
  <button type="button" id="sso-login" data-authorize="${s.authorizeUrl}" data-token="${s.tokenUrl}" data-client="${s.clientId}" data-redirect="${s.redirectUri}">Logga in</button>
  <p id="login-error" class="error" role="alert"></p>
</main>`;
    return layout("Logga in", null, main, ["login.js"]);
  }
  const main = opts.devLogin
    ? html`<main class="narrow">
  <h1>Logga in</h1>
  <p class="hint">Lokal utvecklingsinloggning. Användare finns i <code>config/users.json</code>.</p>
  <form id="login-form" autocomplete="off">
    <label for="userId">Användar-id</label>
    <input id="userId" name="userId" required autofocus>
    <label for="password">Lösenord</label>
    <input id="password" name="password" type="password" required>
    <button type="submit">Logga in</button>
    <p id="login-error" class="error" role="alert"></p>
  </form>
</main>`
    : html`<main class="narrow"><h1>Logga in</h1><p>Inloggningen är inte konfigurerad för den här installationen (lockdesk:webOrigin och lockdesk:authDomainPrefix). Kontakta förvaltningen.</p></main>`;
  return layout("Logga in", null, main, ["login.js"]);
}

/** Where the hosted sign-in sends the browser back: the page exchanges the code for the token (login.js). */
export function renderLoginCallback(signIn: HostedSignIn): string {
  const main = html`<main class="narrow" id="login-callback" data-token="${signIn.tokenUrl}" data-client="${signIn.clientId}" data-redirect="${signIn.redirectUri}">
  <h1>Loggar in …</h1>
  <p id="login-error" class="error" role="alert"></p>
  <p><a href="/login">Till inloggningen</a></p>
</main>`;
  return layout("Loggar in", null, main, ["login.js"]);
}

export function renderErrorPage(status: number, message: string, user: Principal | null): string {
  return layout("Fel", user, html`<main class="narrow"><h1>${status}</h1><p>${message}</p></main>`, []);
}

/** Admin page: the current approved-caregivers list, a CSV upload and who changed the list when. */
