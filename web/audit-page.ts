// The admins' audit-log page (/admin/audit): filters (person, case, action, date range), the entries in Swedish
// with local times and people's names, and the same selection as CSV for Excel (/admin/audit.csv: ";" separator,
// UTF-8 with BOM, CRLF).
import type { Principal } from "../shared/auth/principal.ts";
import type { AuditEntry } from "../shared/ports/audit-log.ts";
import type { AuditView } from "../shared/use-cases/audit-log-view.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout } from "./pages.ts";
import { type NameLookup, personName } from "./people.ts";

/** Swedish names of the audited actions. */
export const AUDIT_ACTION_TEXTS: Record<string, string> = {
  READ_CASE: "Öppnade ärendet",
  READ_SCAN: "Visade skanningen",
  READ_ORIGINAL: "Laddade ned originalfilen",
  CLAIM: "Tog ärendet",
  RELEASE: "Släppte ärendet",
  CORRECT_FIELDS: "Rättade fält",
  DECIDE_APPROVE: "Beslut: godkänn",
  DECIDE_RETURN: "Beslut: returnera",
  DECIDE_CLOSE: "Beslut: avsluta",
  DECIDE_REJECT: "Beslut: avslå",
  PROPOSE_APPROVE: "Föreslog godkännande (fyra ögon)",
  SECOND_APPROVE: "Godkände som andra handläggare",
  REJECT_PROPOSAL: "Avslog förslaget som andra handläggare",
  WITHDRAW_PROPOSAL: "Drog tillbaka sitt förslag",
  PHONE_VERIFICATION: "Registrerade telefonkontroll",
  CREATE_URGENT: "Skapade brådskande ärende",
  LINK_SCAN: "Kopplade blankett till brådskande ärende",
  CONFIRM_MANUAL_EXECUTION: "Bekräftade manuell åtgärd",
  SEARCH_PERSONNUMMER: "Sökte på personnummer",
  MAILROOM_UPLOAD: "Laddade upp skanning",
  READ_LETTER: "Öppnade brev",
  MARK_LETTER_POSTED: "Markerade brev som postat",
  PUBLISH_CAREGIVER_LIST: "Publicerade vårdgivarlistan",
  ROLLBACK_CAREGIVER_LIST: "Återställde vårdgivarlistan",
};

export function auditActionText(action: string): string {
  return AUDIT_ACTION_TEXTS[action] ?? action.toLowerCase().replaceAll("_", " ");
}

const TIME = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Stockholm",
  dateStyle: "short",
  timeStyle: "medium",
});
export function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : TIME.format(d);
}

/** The query string of the view's filters (for the CSV link). */
function filterQuery(f: AuditView["filter"]): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  return p.toString();
}

function row(e: AuditEntry, names: NameLookup | undefined): SafeHtml {
  return html`<tr>
    <td class="nowrap"><time datetime="${e.at}">${localTime(e.at)}</time></td>
    <td>${personName(e.user, names)}</td>
    <td>${e.caseId}</td>
    <td>${auditActionText(e.action)}</td>
    <td>${e.detail ?? ""}</td>
  </tr>`;
}

export function renderAuditLog(view: AuditView, user: Principal, names?: NameLookup): string {
  const f = view.filter;
  const actions = Object.entries(AUDIT_ACTION_TEXTS).sort(([, a], [, b]) => a.localeCompare(b, "sv"));
  const main = html`<main class="audit">
  <h1>Granskningslogg</h1>
  <form class="admin-filters" method="get" action="/admin/audit" aria-label="Filtrera loggen">
    <div><label for="a-user">Användar-id</label><input id="a-user" name="user" value="${f.user ?? ""}" maxlength="100" aria-describedby="a-user-hint"></div>
    <div><label for="a-case">Ärende</label><input id="a-case" name="caseId" value="${f.caseId ?? ""}" maxlength="300"></div>
    <div><label for="a-action">Händelse</label>
      <select id="a-action" name="action"><option value="">Alla</option>${actions.map(
        ([code, text]) => html`<option value="${code}" ${f.action === code ? html`selected` : ""}>${text}</option>`,
      )}</select></div>
    <div><label for="a-from">Från och med</label><input type="date" id="a-from" name="from" value="${f.from}"></div>
    <div><label for="a-to">Till och med</label><input type="date" id="a-to" name="to" value="${f.to}"></div>
    <button type="submit">Visa</button>
    <p class="hint" id="a-user-hint">Användar-id som i inloggningen, t.ex. anna. Datum och tider i svensk tid.</p>
  </form>
  <p><a id="audit-csv" href="/admin/audit.csv?${filterQuery(f)}" download>Exportera som CSV (Excel)</a></p>
  <h2 id="audit-heading">Händelser <span class="count" id="audit-count">(${view.entries.length}${view.truncated ? "+" : ""})</span></h2>
  ${
    view.entries.length === 0
      ? html`<p>Inga händelser för urvalet.</p>`
      : html`<table class="queue" id="audit-table" aria-labelledby="audit-heading">
    <thead><tr><th scope="col">Tid</th><th scope="col">Person</th><th scope="col">Ärende</th><th scope="col">Händelse</th><th scope="col">Detalj</th></tr></thead>
    <tbody>${view.entries.map((e) => row(e, names))}</tbody>
  </table>`
  }
</main>`;
  return layout("Granskningslogg", user, main, []);
}

function csvCell(v: string): string {
  return /[;"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** Excel's Swedish CSV: ";" between cells, CRLF, UTF-8 with BOM (so å, ä, ö open right). */
export function auditCsv(view: AuditView, names?: NameLookup): string {
  const rows = [["Tid", "Person", "Användar-id", "Ärende", "Händelse", "Detalj"]];
  for (const e of view.entries) {
    rows.push([
      localTime(e.at),
      personName(e.user, names),
      e.user,
      e.caseId,
      auditActionText(e.action),
      e.detail ?? "",
    ]);
  }
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(";")).join("\r\n")}\r\n`;
}
