// The mail room's upload and intake page. "Dagens inkomna" lists what ARRIVED today (Europe/Stockholm), whatever
// receipt date was entered; files of a type the scanners do not make are refused here with a Swedish reason.
import type { Principal } from "../shared/auth/principal.ts";
import { html } from "./html.ts";
import { layout } from "./pages.ts";

export function renderMailroom(user: Principal, today: string): string {
  const main = html`<main class="mailroom" data-today="${today}">
  <h1>Postöppning</h1>
  <form id="upload-form">
    <label for="receivedDate">Mottagningsdatum (datumstämpeln på kuvertet)</label>
    <input type="date" id="receivedDate" value="${today}" max="${today}" required>
    <div id="dropzone">
      Släpp skannade blanketter här (PNG, JPEG, TIFF, PDF) – eller <label for="files" class="link">välj filer</label>
      <input type="file" id="files" multiple accept=".png,.jpg,.jpeg,.tif,.tiff,.pdf,image/png,image/jpeg,image/tiff,application/pdf">
    </div>
  </form>
  <p id="upload-message" role="status" aria-live="polite"></p>
  <table id="uploads" class="queue" aria-label="Uppladdningar">
    <thead><tr><th scope="col">Fil</th><th scope="col">Uppladdning</th><th scope="col">Ärende</th><th scope="col">Status</th></tr></thead>
    <tbody></tbody>
  </table>
  <h2 id="intake-heading">Dagens inkomna <span class="count">(<time datetime="${today}">${today}</time>)</span></h2>
  <p class="hint">Det som har laddats upp i dag, oavsett vilket mottagningsdatum som angavs.</p>
  <table id="intake" class="queue" aria-labelledby="intake-heading"><thead><tr><th scope="col">Fil</th><th scope="col">Mottagningsdatum</th><th scope="col">Ärende</th><th scope="col">Status</th><th scope="col">Meddelande</th></tr></thead><tbody></tbody></table>
</main>`;
  return layout("Postöppning", user, main, ["mailroom.js"]);
}
