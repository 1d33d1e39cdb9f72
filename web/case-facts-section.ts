// The case page's "Underlag för beslutet": the deciding reasons first, each with the facts a handler decides on
// (the registry's name, the registered guardians, the doubtful fields and each reader's reading), the registry
// check, the staff directory's entry, and the person's earlier cases.
import type { CaseDetail } from "../shared/use-cases/case-detail.ts";
import type { CaseFacts } from "../shared/use-cases/case-facts.ts";
import { staffSection } from "./case-sections.ts";
import { localTime } from "./case-texts.ts";
import { fieldLabel } from "./field-labels.ts";
import { html, type SafeHtml } from "./html.ts";
import { ACTION_TEXTS, reasonText, statusText } from "./texts.ts";

type Case = CaseDetail["case"];

function written(detail: CaseDetail, name: string): string {
  const f = detail.fields.find((x) => x.name === name);
  return f && typeof f.value === "string" ? f.value : "";
}

function percent(c: number): string {
  return `${Math.round(c * 100)} %`;
}

function nameFacts(detail: CaseDetail, facts: CaseFacts): SafeHtml {
  const subject = detail.case.formCode === "1177-VH" ? "child" : "citizen";
  const onForm = [written(detail, `${subject}.givenName`), written(detail, `${subject}.surname`)].join(" ").trim();
  return html`<dl class="facts-list" id="fact-name">
    <dt>Namn i folkbokföringen</dt><dd id="registry-name">${facts.registryName ? `${facts.registryName.givenNames} ${facts.registryName.surname}` : "Okänt (folkbokföringen kunde inte läsas)"}</dd>
    <dt>Namn på blanketten</dt><dd>${onForm || "–"}</dd>
  </dl>`;
}

function guardianFacts(facts: CaseFacts): SafeHtml {
  if (facts.guardians.length === 0) return html`<p>Inga registrerade vårdnadshavare kunde läsas.</p>`;
  return html`<table class="facts-table" id="fact-guardians">
    <caption>Vårdnadshavare</caption>
    <thead><tr><th scope="col">Personnummer</th><th scope="col">I folkbokföringen</th><th scope="col">På blanketten</th></tr></thead>
    <tbody>${facts.guardians.map(
      (g) =>
        html`<tr class="${g.registered ? "" : "mismatch"}"><td>${g.personnummer}</td><td>${g.registered ? "Registrerad vårdnadshavare" : "Inte registrerad"}</td><td>${g.onForm ? `Vårdnadshavare ${g.onForm.slot}: ${g.onForm.name || "(inget namn)"}` : "Finns inte på blanketten"}</td></tr>`,
    )}</tbody>
  </table>`;
}

function doubtfulFacts(facts: CaseFacts): SafeHtml {
  if (facts.doubtful.length === 0) return html`<p>Inget osäkert fält kvar (rättat eller bekräftat).</p>`;
  return html`<table class="facts-table" id="fact-doubtful">
    <caption>Fält som avgjorde (osäker tolkning)</caption>
    <thead><tr><th scope="col">Fält</th><th scope="col">Avläst</th><th scope="col">Säkerhet</th><th scope="col">Andra läsarens tolkning</th></tr></thead>
    <tbody>${facts.doubtful.map(
      (d) =>
        html`<tr data-doubtful="${d.field}"><th scope="row">${fieldLabel(d.field)}</th><td>${typeof d.value === "boolean" ? (d.value ? "ikryssad" : "ej ikryssad") : d.value || "(tomt)"}</td><td>${percent(d.confidence)}</td><td>${d.alternatives.length > 0 ? d.alternatives.join(" / ") : "samma eller ingen"}</td></tr>`,
    )}</tbody>
  </table>`;
}

function registryLine(c: Case): SafeHtml {
  const reg = c.registry;
  if (!reg) return html`<p>Ingen kontroll mot folkbokföringen gjord.</p>`;
  return html`<p class="hint">Folkbokföringen: ${reg.found ? "personen finns" : "personen finns inte"}${reg.nameMatches === undefined ? "" : reg.nameMatches ? ", namnet stämmer" : ", namnet stämmer inte"}${reg.protectedIdentity ? ", skyddad identitet" : ""} (kontrollerad ${localTime(reg.checkedAt)}).</p>`;
}

/** The deciding reasons with their facts, first on the page. */
export function factsSection(detail: CaseDetail): SafeHtml {
  const c = detail.case;
  const f = detail.facts;
  const parts: SafeHtml[] = [];
  if (c.reasons.includes("NAME_MISMATCH") || (f.registryName && c.registry?.nameMatches === false)) {
    parts.push(nameFacts(detail, f));
  } else if (f.registryName) {
    parts.push(
      html`<dl class="facts-list"><dt>Namn i folkbokföringen</dt><dd id="registry-name">${f.registryName.givenNames} ${f.registryName.surname}</dd></dl>`,
    );
  }
  if (c.reasons.includes("GUARDIAN_MISMATCH") || f.guardians.length > 0) parts.push(guardianFacts(f));
  if (c.reasons.includes("LOW_CONFIDENCE") || f.doubtful.length > 0) parts.push(doubtfulFacts(f));
  return html`<section class="facts" id="facts" aria-labelledby="facts-heading">
    <h2 id="facts-heading">Underlag för beslutet</h2>
    ${
      c.reasons.length > 0
        ? html`<ul class="reasons" aria-label="Orsaker">${c.reasons.map((r) => html`<li data-reason="${r}"><strong>${reasonText(r)}</strong></li>`)}</ul>`
        : html`<p>Ingen orsakskod: ${c.reviewReason ? c.reviewReason : "kontrollerna gick igenom."}</p>`
    }
    ${parts}
    ${registryLine(c)}
    ${staffSection(c.staff)}
  </section>`;
}

/** Earlier cases of the same person: status, action, date and a link. */
export function earlierCasesSection(detail: CaseDetail): SafeHtml {
  return html`<section aria-labelledby="earlier-heading" id="earlier-cases">
    <h2 id="earlier-heading">Tidigare ärenden för personen</h2>
    ${
      detail.earlierCases.length === 0
        ? html`<p>Inga tidigare ärenden.</p>`
        : html`<table class="facts-table"><thead><tr><th scope="col">Ärende</th><th scope="col">Inkom</th><th scope="col">Blankett</th><th scope="col">Åtgärd</th><th scope="col">Status</th></tr></thead><tbody>${detail.earlierCases.map(
            (e) =>
              html`<tr><td><a href="/cases/${encodeURIComponent(e.caseId)}">${e.caseId}</a></td><td>${e.receivedDate}</td><td>${e.formCode ?? "okänd"}</td><td>${e.action ? (ACTION_TEXTS[e.action] ?? e.action) : "–"}</td><td>${statusText(e.status)}</td></tr>`,
          )}</tbody></table>`
    }
  </section>`;
}
