// The mail room's upload and intake page.
import type { Principal } from "../shared/auth/principal.ts";
import { html } from "./html.ts";
import { layout } from "./pages.ts";
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
  <table id="intake" class="queue"><thead><tr><th>Fil</th><th>Ärende</th><th>Status</th><th>Meddelande</th></tr></thead><tbody></tbody></table>
</main>`;
  return layout("Postöppning", user, main, ["mailroom.js"]);
}
