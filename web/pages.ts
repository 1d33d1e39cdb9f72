// Server-rendered pages (Swedish). No inline scripts: behaviour lives in web/static/*.js, data reaches the
// scripts through data-* attributes. Everything from OCR or from people is escaped by `html`.
import type { Principal } from "../shared/auth/principal.ts";
import { REASON_CODES, RETURN_CODES } from "../shared/domain/forms.ts";
import type { ApprovedCaregivers, CaregiverListChange } from "../shared/ports/person-registry.ts";
import type { CaseDetail, FieldView } from "../shared/use-cases/case-detail.ts";
import type { ReviewQueue } from "../shared/use-cases/review-queue.ts";
import { fieldLabel } from "./field-labels.ts";
import { html, type SafeHtml } from "./html.ts";
import { ACTION_TEXTS, reasonText, statusText } from "./texts.ts";

function layout(title: string, user: Principal | null, main: SafeHtml, scripts: string[]): string {
  const nav = user
    ? html`<nav aria-label="Huvudmeny">
        ${user.groups.some((g) => g === "handler" || g === "admin") ? html`<a href="/queue">Kö</a>` : ""}
        ${user.groups.some((g) => g === "mailroom" || g === "admin") ? html`<a href="/mailroom">Postöppning</a>` : ""}
        ${user.groups.includes("admin") ? html`<a href="/admin/caregivers">Godkända vårdgivare</a>` : ""}
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

export function renderLogin(opts: { devLogin: boolean }): string {
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
    : html`<main class="narrow"><h1>Logga in</h1><p>Inloggning sker via regionens inloggningstjänst.</p></main>`;
  return layout("Logga in", null, main, ["login.js"]);
}

export function renderQueue(queue: ReviewQueue, user: Principal, reason: string | undefined): string {
  const filters = Object.entries(queue.counts).sort(([a], [b]) => a.localeCompare(b));
  const main = html`<main>
  <h1>Ärenden att granska <span class="count">(${queue.total})</span></h1>
  <nav class="filters" aria-label="Filtrera på orsak">
    <a href="/queue" ${reason === undefined ? html`aria-current="page"` : ""}>Alla (${queue.total})</a>
    ${filters.map(
      ([code, n]) =>
        html`<a href="/queue?reason=${encodeURIComponent(code)}" ${reason === code ? html`aria-current="page"` : ""}>${reasonText(code)} (${n})</a>`,
    )}
  </nav>
  ${
    queue.items.length === 0
      ? html`<p>Inga ärenden väntar.</p>`
      : html`<table class="queue">
    <thead><tr><th>Ärende</th><th>Inkom</th><th>Blankett</th><th>Åtgärd</th><th>Personnummer</th><th>Orsak</th><th>Handläggare</th></tr></thead>
    <tbody>
    ${queue.items.map(
      (i) => html`<tr>
      <td><a href="/cases/${encodeURIComponent(i.caseId)}">${i.caseId}</a>${i.manual ? html` <span class="tag">brådskande</span>` : ""}</td>
      <td>${i.receivedDate}</td>
      <td>${i.formCode ?? "–"}</td>
      <td>${i.action ? (ACTION_TEXTS[i.action] ?? i.action) : "–"}</td>
      <td class="pnr">${i.maskedPersonnummer || "–"}</td>
      <td>${i.status === "FAILED" ? reasonText("FAILED") : i.reasons.map((r) => html`<span class="reason">${reasonText(r)}</span>`)}</td>
      <td>${i.claimedBy ?? ""}</td>
    </tr>`,
    )}
    </tbody>
  </table>`
  }
</main>`;
  return layout("Kö", user, main, []);
}

function fieldInput(f: FieldView, index: number, editable: boolean): SafeHtml {
  const id = `f-${index}`;
  if (f.hidden) {
    // No input: a withheld value can neither be shown nor sent back as a correction.
    return html`<div class="field hidden-value" data-hidden-field="${f.name}">
    <span class="label">${fieldLabel(f.name)} <small>${f.name}</small></span>
    <span class="withheld">Dold – skyddad identitet</span>
  </div>`;
  }
  const box = f.box ? `${f.box.page},${f.box.x},${f.box.y},${f.box.w},${f.box.h}` : "";
  const conf = f.confidence === null ? "" : `${Math.round(f.confidence * 100)} %`;
  const low = f.confidence !== null && f.confidence < 0.8;
  const common = html`id="${id}" name="${f.name}" data-field="${f.name}" data-box="${box}" ${editable ? "" : html`disabled`}`;
  const input =
    typeof f.value === "boolean"
      ? html`<input type="checkbox" ${common} data-original="${String(f.value)}" ${f.value ? html`checked` : ""}>`
      : html`<input type="text" ${common} data-original="${f.value}" value="${f.value}" spellcheck="false">`;
  return html`<div class="field${low ? " low" : ""}${f.corrected ? " corrected" : ""}">
    <label for="${id}">${fieldLabel(f.name)} <small>${f.name}</small></label>
    ${input}
    <span class="conf" title="Säkerhet i tolkningen">${conf}</span>
    ${f.corrected ? html`<span class="was" title="Avläst värde">avläst: ${String(f.readValue ?? "")}</span>` : ""}
  </div>`;
}

/**
 * Manual mode: the steps the handler carries out in the 1177 staff tool, and the confirmation (case.js posts
 * POST /api/cases/:id/manual-execution with the page's case version).
 */
function manualExecution(checklist: ReadonlyArray<{ step: string; done: boolean }>): SafeHtml {
  return html`<section class="manual-execution" id="manual-execution" aria-labelledby="manual-execution-heading">
    <h2 id="manual-execution-heading">Manuell åtgärd i 1177-verktyget</h2>
    <p>Utför stegen i 1177-verktyget och bekräfta sedan här. Då skickas bekräftelsen och ärendet arkiveras.</p>
    ${
      checklist.length === 0
        ? html`<p>Ingen checklista finns för ärendet.</p>`
        : html`<ol class="checklist" id="manual-checklist">${checklist.map(
            (s) =>
              html`<li data-done="${s.done ? "1" : "0"}">${s.step}${s.done ? html` <span class="tag">klart</span>` : ""}</li>`,
          )}</ol>`
    }
    <button type="button" id="confirm-manual">Bekräfta utfört i 1177-verktyget</button>
  </section>`;
}

const STAFF_STATUS_TEXTS = {
  VERIFIED: "Bekräftad: VGR-id och namn stämmer med katalogen",
  NOT_VERIFIED: "Ej bekräftad: VGR-id:t finns inte i katalogen eller hör till någon annan",
  DOUBTFUL: "Osäker läsning av VGR-id eller namn: kontrollera mot blanketten",
} as const;

/** The vouching staff member as the staff directory knows them (only with a directory configured). */
function staffSection(staff: CaseDetail["case"]["staff"]): SafeHtml {
  if (!staff) return html``;
  const e = staff.entry;
  return html`<section aria-label="Personalkatalog" id="staff-directory">
    <h2>Personalkatalog (HSA)</h2>
    <p data-staff-status="${staff.status}">${STAFF_STATUS_TEXTS[staff.status]} (VGR-id ${staff.vgrId}).</p>
    ${
      e
        ? html`<ul><li>Namn i katalogen: ${e.name}</li><li>Befattning: ${e.title}</li><li>Enhet: ${e.unit}</li>
        <li>Vårdgivare: ${e.caregiver}</li><li>Telefon: ${e.phone}</li></ul>`
        : html`<p>VGR-id:t finns inte i katalogen.</p>`
    }
  </section>`;
}

export function renderCase(detail: CaseDetail, user: Principal): string {
  const c = detail.case;
  const editable =
    (c.status === "IN_REVIEW" || c.status === "FAILED") &&
    c.handlerDecision === undefined &&
    (c.claimedBy === undefined || c.claimedBy === `user:${user.userId}`);
  const returnable = REASON_CODES.filter((r) => RETURN_CODES.has(r));
  const reg = c.registry;
  const main = html`<main class="case" data-case-id="${c.caseId}" data-version="${c.version}" data-has-scan="${c.scan ? "1" : "0"}">
  <h1>Ärende ${c.caseId}</h1>
  ${
    detail.protectedIdentity
      ? html`<p class="banner protected" role="alert" id="protected-identity"><strong>Skyddad identitet.</strong> Adressuppgifter (e-post, telefon, ort) visas inte. Lämna inte ut uppgifter om personen.</p>`
      : ""
  }
  <p class="meta">
    <span>Status: <strong id="status">${statusText(c.status)}</strong></span>
    <span>Blankett: ${c.formCode ?? "okänd"}</span>
    <span>Åtgärd: ${c.action ? (ACTION_TEXTS[c.action] ?? c.action) : "–"}</span>
    <span>Inkom: ${c.receivedDate}</span>
    <span>Version: <span id="version">${c.version}</span></span>
    <span>Handläggare: <span id="claimed-by">${c.claimedBy ?? "ingen"}</span></span>
  </p>
  <ul class="reasons" aria-label="Orsaker">${c.reasons.map((r) => html`<li data-reason="${r}">${reasonText(r)}</li>`)}</ul>
  ${c.failure ? html`<p class="error">Fel i flödet: ${c.failure.error}</p>` : ""}
  <p id="message" role="status" aria-live="polite"></p>
  ${c.status === "AWAITING_MANUAL_EXECUTION" ? manualExecution(c.manualChecklist ?? []) : ""}
  <div class="workspace">
    <section class="viewer" aria-label="Skannad blankett">
      ${c.scan ? html`<div class="scan-wrap"><img id="scan" alt="Skannad blankett"><div id="highlight" hidden></div></div>` : html`<p>Ingen skanning (ärendet skapades för hand).</p>`}
    </section>
    <section class="fields" aria-label="Fält">
      <form id="fields-form">
        ${detail.fields.map((f, i) => fieldInput(f, i, editable))}
      </form>
      <div class="actions">
        <button type="button" id="claim" ${editable && c.claimedBy === undefined ? "" : html`hidden`}>Ta ärendet</button>
        <button type="button" id="release" ${c.claimedBy === `user:${user.userId}` ? "" : html`hidden`}>Släpp ärendet</button>
        <button type="button" id="save" ${editable ? "" : html`disabled`}>Spara rättelser</button>
        <button type="button" id="approve" ${editable ? "" : html`disabled`}><kbd>a</kbd> Godkänn</button>
        <button type="button" id="return" ${editable ? "" : html`disabled`}><kbd>r</kbd> Returnera</button>
        <button type="button" id="close" ${editable ? "" : html`disabled`}>Avsluta</button>
      </div>
      <fieldset id="return-reasons">
        <legend>Returorsaker</legend>
        ${returnable.map((r) => html`<label><input type="checkbox" name="returnReason" value="${r}" ${c.reasons.includes(r) ? html`checked` : ""}> ${reasonText(r)}</label>`)}
      </fieldset>
      <label for="note">Anteckning</label>
      <textarea id="note" rows="2"></textarea>
      <p class="hint">Tabb flyttar mellan fälten, Esc lämnar fältet. Utanför fälten: <kbd>a</kbd> godkänn, <kbd>r</kbd> returnera.</p>
    </section>
  </div>
  <section aria-label="Folkbokföring">
    <h2>Folkbokföring</h2>
    ${
      reg
        ? html`<ul><li>Hittad: ${reg.found ? "ja" : "nej"}</li>
        ${reg.nameMatches === undefined ? "" : html`<li>Namnet stämmer: ${reg.nameMatches ? "ja" : "nej"}</li>`}
        ${reg.protectedIdentity === undefined ? "" : html`<li>Skyddad identitet: ${reg.protectedIdentity ? "ja" : "nej"}</li>`}
        <li>Kontrollerad: ${reg.checkedAt}</li></ul>`
        : html`<p>Ingen kontroll gjord.</p>`
    }
  </section>
  ${staffSection(c.staff)}
  <section aria-label="Telefonverifiering">
    <h2>Telefonverifiering</h2>
    <ul>${(c.phoneVerifications ?? []).map((p) => html`<li>${p.at}: ${p.calledName}, ${p.phone} – ${p.outcome}</li>`)}</ul>
    <form id="phone-form" class="inline">
      <input name="calledName" placeholder="Namn på den du talade med" aria-label="Namn" ${editable ? "" : html`disabled`}>
      <input name="phone" placeholder="Telefon" aria-label="Telefon" ${editable ? "" : html`disabled`}>
      <select name="outcome" aria-label="Utfall" ${editable ? "" : html`disabled`}>
        <option value="VERIFIED">Verifierad</option><option value="NOT_VERIFIED">Ej verifierad</option><option value="NO_ANSWER">Inget svar</option>
      </select>
      <button type="submit" ${editable ? "" : html`disabled`}>Spara samtal</button>
    </form>
  </section>
  <section aria-label="Tidigare ärenden">
    <h2>Tidigare ärenden för personen</h2>
    ${
      detail.earlierCases.length === 0
        ? html`<p>Inga.</p>`
        : html`<ul>${detail.earlierCases.map((e) => html`<li><a href="/cases/${encodeURIComponent(e.caseId)}">${e.caseId}</a> ${e.receivedDate} ${e.formCode ?? ""} ${e.action ? (ACTION_TEXTS[e.action] ?? e.action) : ""} – ${statusText(e.status)}</li>`)}</ul>`
    }
  </section>
  <section aria-label="Historik">
    <h2>Historik</h2>
    <ol class="history">${c.history.map((h) => html`<li><time>${h.at}</time> ${h.by}: ${h.what}</li>`)}</ol>
  </section>
</main>`;
  return layout(
    detail.protectedIdentity ? `Ärende ${c.caseId} (skyddad identitet)` : `Ärende ${c.caseId}`,
    user,
    main,
    ["case.js"],
  );
}

export function renderMailroom(user: Principal, today: string): string {
  const main = html`<main class="mailroom" data-today="${today}">
  <h1>Postöppning</h1>
  <form id="upload-form">
    <label for="receivedDate">Ankomstdatum</label>
    <input type="date" id="receivedDate" value="${today}" required>
    <div id="dropzone" tabindex="0" role="button" aria-label="Släpp skannade filer här eller tryck Enter för att välja">
      Släpp skannade blanketter här (PNG, JPEG, TIFF, PDF) – eller <label for="files" class="link">välj filer</label>
      <input type="file" id="files" multiple accept=".png,.jpg,.jpeg,.tif,.tiff,.pdf,image/png,image/jpeg,image/tiff,application/pdf">
    </div>
  </form>
  <table id="uploads" class="queue">
    <thead><tr><th>Fil</th><th>Uppladdning</th><th>Ärende</th><th>Status</th></tr></thead>
    <tbody></tbody>
  </table>
  <h2>Dagens inkomna</h2>
  <table id="intake" class="queue"><thead><tr><th>Fil</th><th>Ärende</th><th>Status</th></tr></thead><tbody></tbody></table>
</main>`;
  return layout("Postöppning", user, main, ["mailroom.js"]);
}

export function renderErrorPage(status: number, message: string, user: Principal | null): string {
  return layout("Fel", user, html`<main class="narrow"><h1>${status}</h1><p>${message}</p></main>`, []);
}

/** Admin page: the current approved-caregivers list, a CSV upload and who changed the list when. */
export function renderCaregivers(
  current: ApprovedCaregivers | null,
  history: CaregiverListChange[],
  user: Principal,
): string {
  const main = html`<main class="caregivers">
  <h1>Godkända vårdgivare</h1>
  <section aria-label="Ladda upp ny lista">
    <h2>Ladda upp ny lista</h2>
    <p class="hint">CSV med kolumnerna <code>name,organisationNumber</code> (organisationsnummer NNNNNN-NNNN). Listan kontrolleras innan den börjar gälla.</p>
    <form id="caregivers-form">
      <label for="caregivers-file">CSV-fil</label>
      <input type="file" id="caregivers-file" accept=".csv,text/csv" required>
      <button type="submit">Publicera</button>
    </form>
    <p id="message" role="status" aria-live="polite"></p>
  </section>
  <section aria-label="Gällande lista">
    <h2>Gällande lista</h2>
    ${
      current
        ? html`<p>Version <code id="current-version">${current.version}</code>, ${current.names.length} vårdgivare.</p>
    <ul class="caregiver-names">${current.names.map((n) => html`<li>${n}</li>`)}</ul>`
        : html`<p id="current-version">Ingen lista har publicerats ännu.</p>`
    }
  </section>
  <section aria-label="Historik">
    <h2>Historik</h2>
    ${
      history.length === 0
        ? html`<p>Inga ändringar.</p>`
        : html`<table class="queue" id="caregiver-history">
    <thead><tr><th>Tid</th><th>Användare</th><th>Version</th><th>Föregående version</th><th>Antal</th></tr></thead>
    <tbody>${history.map(
      (h) =>
        html`<tr><td><time>${h.uploadedAt}</time></td><td>${h.uploadedBy}</td><td><code>${h.version}</code></td><td>${h.previousVersion ? html`<code>${h.previousVersion}</code>` : "–"}</td><td>${h.count}</td></tr>`,
    )}</tbody>
  </table>`
    }
  </section>
</main>`;
  return layout("Godkända vårdgivare", user, main, ["caregivers.js"]);
}
