// The admins' approved-caregivers page.
import type { Principal } from "../shared/auth/principal.ts";
import type { ApprovedCaregivers, CaregiverListChange } from "../shared/ports/person-registry.ts";
import { html } from "./html.ts";
import { layout } from "./pages.ts";
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
