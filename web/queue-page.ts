// The handlers' queue page.
import type { Principal } from "../shared/auth/principal.ts";
import type { ReviewQueue } from "../shared/use-cases/review-queue.ts";
import { html } from "./html.ts";
import { layout } from "./pages.ts";
import { queueExtraLists, queueReasonCell } from "./queue-sections.ts";
import { ACTION_TEXTS, reasonText } from "./texts.ts";
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
      <td>${queueReasonCell(i)}</td>
      <td>${i.claimedBy ?? ""}</td>
    </tr>`,
    )}
    </tbody>
  </table>`
  }
  ${queueExtraLists(queue)}
</main>`;
  return layout("Kö", user, main, []);
}
