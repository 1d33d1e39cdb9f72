// The admins' approved-caregivers page: the current list with organisation numbers, an upload that is previewed
// (added, removed, changed) and published only on an explicit confirmation, and a history that says what each
// change did, with rollback to an earlier version. Behaviour: web/static/caregivers.js.
import type { Principal } from "../shared/auth/principal.ts";
import type { CaregiverDiff } from "../shared/domain/caregiver-csv.ts";
import type { CaregiverHistoryItem, caregiverOverview } from "../shared/use-cases/caregiver-publishing.ts";
import { localTime } from "./audit-page.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout } from "./pages.ts";
import { type NameLookup, personName } from "./people.ts";

type Overview = Awaited<ReturnType<typeof caregiverOverview>>;

const org = (o: string) => o || "(saknas)";

/** "Tillagd: X (556…); Borttagen: …; Ändrad: A (…) → B (…)" as a list. */
export function diffList(d: CaregiverDiff): SafeHtml {
  const items = [
    ...d.added.map((r) => html`<li class="diff-added">Tillagd: ${r.name} (${org(r.organisationNumber)})</li>`),
    ...d.removed.map((r) => html`<li class="diff-removed">Borttagen: ${r.name} (${org(r.organisationNumber)})</li>`),
    ...d.changed.map(
      (c) =>
        html`<li class="diff-changed">Ändrad: ${c.before.name} (${org(c.before.organisationNumber)}) → ${c.after.name} (${org(c.after.organisationNumber)})</li>`,
    ),
  ];
  return items.length === 0 ? html`<p>Inga ändringar.</p>` : html`<ul class="diff">${items}</ul>`;
}

function historyRow(h: CaregiverHistoryItem, current: string | null, names: NameLookup | undefined): SafeHtml {
  const restorable = h.version !== current;
  return html`<tr data-version="${h.version}">
    <td class="nowrap"><time datetime="${h.uploadedAt}">${localTime(h.uploadedAt)}</time></td>
    <td>${personName(h.uploadedBy, names)}</td>
    <td>${h.rollback ? html`<p><strong>Återställning till en tidigare version.</strong></p>` : ""}${diffList(h.diff)}</td>
    <td>${h.count}</td>
    <td>${
      restorable
        ? html`<button type="button" class="rollback" data-version="${h.version}">Återställ till denna version</button>
      <button type="button" class="rollback-confirm" data-version="${h.version}" hidden>Bekräfta återställning</button>`
        : html`Gäller nu`
    }</td>
  </tr>`;
}

export function renderCaregivers(overview: Overview, user: Principal, names?: NameLookup): string {
  const { current, history } = overview;
  const main = html`<main class="caregivers" data-current-version="${current.version ?? ""}">
  <h1>Godkända vårdgivare</h1>
  <section aria-labelledby="upload-heading">
    <h2 id="upload-heading">Ladda upp ny lista</h2>
    <p class="hint" id="csv-hint">CSV med kolumnerna namn och organisationsnummer (NNNNNN-NNNN). Komma- eller
      semikolonavgränsad (Excel: "CSV (semikolonavgränsad)"), UTF-8 eller Windows-1252. Du ser skillnaden mot
      den gällande listan innan något publiceras.</p>
    <form id="caregivers-form">
      <label for="caregivers-file">CSV-fil</label>
      <input type="file" id="caregivers-file" accept=".csv,text/csv" required aria-describedby="csv-hint">
      <button type="submit">Förhandsgranska</button>
    </form>
    <p id="message" role="status" aria-live="polite"></p>
    <section id="preview" aria-labelledby="preview-heading" hidden>
      <h3 id="preview-heading">Förhandsgranskning</h3>
      <p id="preview-summary"></p>
      <div id="preview-diff"></div>
      <button type="button" id="publish-confirm">Bekräfta och publicera</button>
      <button type="button" id="publish-cancel">Avbryt</button>
    </section>
  </section>
  <section aria-labelledby="current-heading">
    <h2 id="current-heading">Gällande lista</h2>
    ${
      current.version
        ? html`<p>${current.rows.length} vårdgivare, version <code id="current-version">${current.version}</code>.</p>
    <table class="queue" id="caregiver-list"><thead><tr><th scope="col">Namn</th><th scope="col">Organisationsnummer</th></tr></thead>
    <tbody>${current.rows.map((r) => html`<tr><td>${r.name}</td><td class="nowrap">${org(r.organisationNumber)}</td></tr>`)}</tbody></table>`
        : html`<p id="current-version">Ingen lista har publicerats ännu.</p>`
    }
  </section>
  <section aria-labelledby="history-heading">
    <h2 id="history-heading">Historik</h2>
    ${
      history.length === 0
        ? html`<p>Inga ändringar.</p>`
        : html`<table class="queue" id="caregiver-history">
    <thead><tr><th scope="col">Tid</th><th scope="col">Person</th><th scope="col">Ändring</th><th scope="col">Antal</th><th scope="col">Åtgärd</th></tr></thead>
    <tbody>${history.map((h) => historyRow(h, current.version, names))}</tbody>
  </table>`
    }
  </section>
</main>`;
  return layout("Godkända vårdgivare", user, main, ["caregivers.js"]);
}
