// The queue page's parts: the "Orsak" cell, the waiting time, the lists of cases not waiting for a person
// (urgent actions waiting for their paper, with "Koppla blankett", and the pipeline's cases), and the form for an
// urgent case taken by phone.
import type { QueueItem, ReviewQueue } from "../shared/use-cases/review-queue.ts";
import { html, type SafeHtml } from "./html.ts";
import { type NameLookup, personName } from "./people.ts";
import { ACTION_TEXTS, reasonText, statusText } from "./texts.ts";

/** "i dag", "väntat 1 dag", "väntat 3 dagar". */
export function waitedText(days: number | null): string {
  if (days === null) return "–";
  if (days === 0) return "i dag";
  return days === 1 ? "väntat 1 dag" : `väntat ${days} dagar`;
}

/** The queue's "Orsak" cell: a proposal names its proposer, a failure says so, otherwise the reasons. */
export function queueReasonCell(i: QueueItem, names?: NameLookup): SafeHtml {
  if (i.status === "AWAITING_SECOND_APPROVAL") {
    return html`<span class="reason four-eyes">${statusText(i.status)}</span> (föreslaget av ${i.proposedBy ? personName(i.proposedBy, names) : "?"})`;
  }
  if (i.status === "FAILED") return html`${reasonText("FAILED")}`;
  if (i.status === "AWAITING_MANUAL_EXECUTION") return html`${statusText(i.status)}`;
  const note = i.note ? html` <span class="note">${i.note}</span>` : "";
  return html`${i.reasons.map((r) => html`<span class="reason">${reasonText(r)}</span>`)}${note}`;
}

function smallTable(id: string, items: QueueItem[], link: boolean): SafeHtml {
  return html`<table class="queue" id="${id}">
    <thead><tr><th scope="col">Ärende</th><th scope="col">Inkom</th><th scope="col">Åtgärd</th><th scope="col">Personnummer</th><th scope="col">Status</th>${link ? html`<th scope="col">Koppla till brådskande ärende</th>` : ""}</tr></thead>
    <tbody>${items.map(
      (i) => html`<tr data-case="${i.caseId}">
      <td data-label="Ärende"><a href="/cases/${encodeURIComponent(i.caseId)}">${i.caseId}</a></td>
      <td data-label="Inkom" class="nowrap">${i.receivedDate}</td>
      <td data-label="Åtgärd">${i.action ? (ACTION_TEXTS[i.action] ?? i.action) : "–"}</td>
      <td data-label="Personnummer" class="pnr">${i.maskedPersonnummer || "–"}</td>
      <td data-label="Status">${statusText(i.status)}</td>
      ${link ? linkCell(i) : ""}
    </tr>`,
    )}</tbody>
  </table>`;
}

/** The paper form of an urgent phone case arrived as a scanned case: link the two (POST /api/cases/:id/link). */
function linkCell(i: QueueItem): SafeHtml {
  const id = `link-${i.caseId.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return html`<td data-label="Koppla"><form class="link-form" data-case="${i.caseId}">
    <label for="${id}">Den skannade blankettens ärendenummer</label>
    <input id="${id}" name="scanCaseId" required maxlength="128">
    <button type="submit">Koppla till brådskande ärende</button>
    <span class="link-message" role="status"></span>
  </form></td>`;
}

export function queueExtraLists(queue: ReviewQueue): SafeHtml {
  return html`<section aria-labelledby="follow-up-heading">
    <h2 id="follow-up-heading">Uppföljning: brådskande åtgärder utan blankett <span class="count">(${queue.followUp.length})</span></h2>
    ${queue.followUp.length === 0 ? html`<p>Inga.</p>` : smallTable("follow-up-list", queue.followUp, true)}
  </section>
  <section aria-labelledby="in-progress-heading">
    <h2 id="in-progress-heading">I flödet <span class="count">(${queue.inProgress.length})</span></h2>
    <p class="hint">Ärenden som systemet arbetar med. Ett ärende som ligger kvar här länge har fastnat.</p>
    ${queue.inProgress.length === 0 ? html`<p>Inga.</p>` : smallTable("in-progress-list", queue.inProgress, false)}
  </section>`;
}

/** What the phone call asks for: the form it stands in for and the action (value "FORM|ACTION"). */
export const URGENT_KINDS: ReadonlyArray<{ value: string; label: string }> = [
  { value: "1177-EGEN|LOCK", label: "Låsning av invånarens inloggning (1177-EGEN)" },
  { value: "1177-EGEN|UNLOCK", label: "Upplåsning av invånarens inloggning (1177-EGEN)" },
  { value: "1177-VG|LOCK", label: "Låsning via vårdgivare (1177-VG)" },
  { value: "1177-VG|UNLOCK", label: "Upplåsning via vårdgivare (1177-VG)" },
  { value: "1177-VH|BLOCK", label: "Blockering av vårdnadshavares åtkomst (1177-VH)" },
  { value: "1177-VH|UNBLOCK", label: "Häva blockering av vårdnadshavares åtkomst (1177-VH)" },
];

export function urgentCaseSection(): SafeHtml {
  return html`<section aria-labelledby="urgent-heading" class="urgent-case">
    <h2 id="urgent-heading">Nytt brådskande ärende (telefon)</h2>
    <p class="hint">Låsning och blockering kan utföras på en handläggares beslut och följs upp tills blanketten kommer.
      Upplåsning och hävd blockering utan blankett kräver att en andra handläggare godkänner (fyra ögon).</p>
    <form id="urgent-form">
      <label for="urgent-kind">Vad gäller samtalet?</label>
      <select id="urgent-kind" name="kind" required>${URGENT_KINDS.map((k) => html`<option value="${k.value}">${k.label}</option>`)}</select>
      <label for="urgent-pnr">Personnummer för den som ärendet gäller (ÅÅÅÅMMDD-NNNN)</label>
      <input id="urgent-pnr" name="personnummer" required inputmode="numeric" maxlength="13" autocomplete="off">
      <label for="urgent-caller">Vem ringde (namn och roll)</label>
      <input id="urgent-caller" name="caller" required maxlength="200" autocomplete="off">
      <label for="urgent-what">Vad efterfrågades per telefon</label>
      <textarea id="urgent-what" name="what" required maxlength="1500" rows="3"></textarea>
      <button type="submit">Skapa brådskande ärende</button>
      <p id="urgent-message" role="status" aria-live="polite"></p>
    </form>
  </section>`;
}
