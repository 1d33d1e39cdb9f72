// The handlers' queue page: search over all cases, filters (reason, status, form, "Mina ärenden"), the queue in
// its order (urgent first, then receipt date) with waiting time, and the lists of cases not waiting for a person.
// web/static/queue.js refreshes the lists every 20 s in place (the handler keeps their place and focus).
import type { Principal } from "../shared/auth/principal.ts";
import { FORM_CODES } from "../shared/domain/forms.ts";
import type { QueueFilter, QueueItem, ReviewQueue } from "../shared/use-cases/review-queue.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout } from "./pages.ts";
import { type NameLookup, personName, rowNames } from "./people.ts";
import { queueExtraLists, queueReasonCell, urgentCaseSection, waitedText } from "./queue-sections.ts";
import { ACTION_TEXTS, reasonText, statusText } from "./texts.ts";

const QUEUE_STATUS_FILTERS = ["IN_REVIEW", "AWAITING_SECOND_APPROVAL", "AWAITING_MANUAL_EXECUTION", "FAILED"];

export interface QueueView {
  filter: QueueFilter;
  names?: NameLookup | undefined;
}

function option(value: string, label: string, selected: string | undefined): SafeHtml {
  return html`<option value="${value}" ${selected === value ? html`selected` : ""}>${label}</option>`;
}

function filterForm(queue: ReviewQueue, f: QueueView["filter"]): SafeHtml {
  const reasons = Object.entries(queue.counts).sort(([a], [b]) => reasonText(a).localeCompare(reasonText(b), "sv"));
  return html`<form class="queue-filters" method="get" action="/queue" aria-label="Filtrera kön">
    <div><label for="f-reason">Orsak</label>
    <select id="f-reason" name="reason">${option("", `Alla (${queue.total})`, f.reason ?? "")}${reasons.map(
      ([code, n]) => option(code, `${reasonText(code)} (${n})`, f.reason),
    )}</select></div>
    <div><label for="f-status">Status</label>
    <select id="f-status" name="status">${option("", "Alla", f.status ?? "")}${QUEUE_STATUS_FILTERS.map((s) =>
      option(s, statusText(s), f.status),
    )}</select></div>
    <div><label for="f-form">Blankett</label>
    <select id="f-form" name="form">${option("", "Alla", f.form ?? "")}${FORM_CODES.map((c) => option(c, c, f.form))}</select></div>
    <div class="check"><input type="checkbox" id="f-mine" name="mine" value="1" ${f.claimedBy ? html`checked` : ""}>
    <label for="f-mine">Mina ärenden</label></div>
    <button type="submit">Filtrera</button>
    <a href="/queue">Visa alla</a>
  </form>`;
}

/**
 * Search over all cases (web/static/queue.js sends it as POST /api/search and shows the results here). The input
 * has no name: the form never puts what was searched for (possibly a personnummer) into a URL.
 */
function searchForm(): SafeHtml {
  return html`<form class="queue-search" role="search" aria-label="Sök ärenden">
    <label for="q">Sök bland alla ärenden</label>
    <input id="q" minlength="2" maxlength="100" autocomplete="off" aria-describedby="q-hint">
    <button type="submit">Sök</button>
    <p class="hint" id="q-hint">Ärendenummer, filnamn eller hela personnumret (ÅÅÅÅMMDD-NNNN). En sökning på personnummer loggas.</p>
  </form>`;
}

function queueRow(i: QueueItem, directory: NameLookup | undefined): SafeHtml {
  const names = rowNames(i.people, directory);
  return html`<tr data-case="${i.caseId}" ${i.urgent ? html`class="urgent"` : ""}>
      <td data-label="Ärende"><a href="/cases/${encodeURIComponent(i.caseId)}">${i.caseId}</a>${i.urgent ? html` <span class="tag">Brådskande</span>` : ""}</td>
      <td data-label="Inkom" class="nowrap">${i.receivedDate}</td>
      <td data-label="Väntat" class="waited">${waitedText(i.waitingDays)}</td>
      <td data-label="Blankett" class="nowrap">${i.formCode ?? "–"}</td>
      <td data-label="Åtgärd">${i.action ? (ACTION_TEXTS[i.action] ?? i.action) : "–"}</td>
      <td data-label="Personnummer" class="pnr">${i.maskedPersonnummer || "–"}</td>
      <td data-label="Orsak">${queueReasonCell(i, names)}</td>
      <td data-label="Handläggare">${personName(i.claimedBy, names)}</td>
    </tr>`;
}

export function renderQueue(queue: ReviewQueue, user: Principal, view: QueueView): string {
  const { filter, names } = view;
  const filtered = filter.reason || filter.status || filter.form || filter.claimedBy;
  const main = html`<main class="queue-page" data-refresh-seconds="20">
  <h1>Ärenden att granska <span class="count">(${queue.total})</span></h1>
  ${searchForm()}
  ${filterForm(queue, filter)}
  <div id="queue-live">
  <h2 id="queue-heading">${filter.claimedBy ? "Mina ärenden" : "Kön"} <span class="count" id="queue-count">(${queue.items.length})</span></h2>
  ${
    queue.items.length === 0
      ? html`<p id="queue-empty">${filtered ? "Inga ärenden matchar filtret." : "Inga ärenden väntar."}</p>`
      : html`<table class="queue" id="queue-table" aria-labelledby="queue-heading">
    <thead><tr><th scope="col">Ärende</th><th scope="col">Inkom</th><th scope="col">Väntat</th><th scope="col">Blankett</th><th scope="col">Åtgärd</th><th scope="col">Personnummer</th><th scope="col">Orsak</th><th scope="col">Handläggare</th></tr></thead>
    <tbody>${queue.items.map((i) => queueRow(i, names))}</tbody>
  </table>`
  }
  ${queueExtraLists(queue)}
  </div>
  <p class="hint" id="queue-updated">Listan uppdateras automatiskt var 20:e sekund.</p>
  ${urgentCaseSection()}
</main>`;
  return layout("Kö", user, main, ["queue.js"]);
}
