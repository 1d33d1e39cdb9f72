// The queue page's other lists: urgent actions waiting for their paper, and the cases the pipeline is still
// working on (so nothing that is not final is out of a handler's sight).
import type { QueueItem, ReviewQueue } from "../shared/use-cases/review-queue.ts";
import { html, type SafeHtml } from "./html.ts";
import { ACTION_TEXTS, reasonText, statusText } from "./texts.ts";

/** The queue's "Orsak" cell: a proposal names its proposer, a failure says so, otherwise the reasons. */
export function queueReasonCell(i: QueueItem): SafeHtml {
  if (i.status === "AWAITING_SECOND_APPROVAL") {
    return html`<span class="reason four-eyes">${statusText(i.status)}</span> (föreslaget av ${i.proposedBy ?? "?"})`;
  }
  if (i.status === "FAILED") return html`${reasonText("FAILED")}`;
  if (i.status === "AWAITING_MANUAL_EXECUTION") return html`${statusText(i.status)}`;
  const note = i.note ? html` <span class="note">${i.note}</span>` : "";
  return html`${i.reasons.map((r) => html`<span class="reason">${reasonText(r)}</span>`)}${note}`;
}

function smallTable(id: string, items: QueueItem[]): SafeHtml {
  return html`<table class="queue" id="${id}">
    <thead><tr><th>Ärende</th><th>Inkom</th><th>Åtgärd</th><th>Personnummer</th><th>Status</th></tr></thead>
    <tbody>${items.map(
      (i) => html`<tr>
      <td><a href="/cases/${encodeURIComponent(i.caseId)}">${i.caseId}</a></td>
      <td>${i.receivedDate}</td>
      <td>${i.action ? (ACTION_TEXTS[i.action] ?? i.action) : "–"}</td>
      <td class="pnr">${i.maskedPersonnummer || "–"}</td>
      <td>${statusText(i.status)}</td>
    </tr>`,
    )}</tbody>
  </table>`;
}

export function queueExtraLists(queue: ReviewQueue): SafeHtml {
  return html`<section aria-labelledby="follow-up-heading">
    <h2 id="follow-up-heading">Uppföljning: brådskande åtgärder utan blankett <span class="count">(${queue.followUp.length})</span></h2>
    ${queue.followUp.length === 0 ? html`<p>Inga.</p>` : smallTable("follow-up-list", queue.followUp)}
  </section>
  <section aria-labelledby="in-progress-heading">
    <h2 id="in-progress-heading">I flödet <span class="count">(${queue.inProgress.length})</span></h2>
    <p class="hint">Ärenden som systemet arbetar med. Ett ärende som ligger kvar här länge har fastnat.</p>
    ${queue.inProgress.length === 0 ? html`<p>Inga.</p>` : smallTable("in-progress-list", queue.inProgress)}
  </section>`;
}
