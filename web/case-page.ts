// The case page: the scan beside the fields, the reasons, the decision.
import { actorId, type Principal } from "../shared/auth/principal.ts";
import { handlerCanEdit } from "../shared/domain/case-record.ts";
import { REASON_CODES, RETURN_CODES } from "../shared/domain/forms.ts";
import type { CaseDetail, FieldView } from "../shared/use-cases/case-detail.ts";
import { followUpBanner, fourEyesSection, staffSection, unreadableSection } from "./case-sections.ts";
import { fieldLabel } from "./field-labels.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout } from "./pages.ts";
import { ACTION_TEXTS, reasonText, statusText } from "./texts.ts";

function fieldInput(f: FieldView, index: number, editable: boolean): SafeHtml {
  const id = `f-${index}`;
  if (f.hidden) {
    // No input: a withheld value can neither be shown nor sent back as a correction.
    return html`<div class="field hidden-value" data-hidden-field="${f.name}">
    <span class="label">${fieldLabel(f.name)} <small>${f.name}</small></span>
    <span class="withheld">Dold – skyddad identitet</span>
  </div>`;
  }
  const box = f.box ? `${f.box.page},${f.box.x},${f.box.y},${f.box.w},${f.box.h}` : "";
  const conf = f.confidence === null ? "" : `${Math.round(f.confidence * 100)} %`;
  const low = f.confidence !== null && f.confidence < 0.8;
  const common = html`id="${id}" name="${f.name}" data-field="${f.name}" data-box="${box}" ${editable ? "" : html`disabled`}`;
  const input =
    typeof f.value === "boolean"
      ? html`<input type="checkbox" ${common} data-original="${String(f.value)}" ${f.value ? html`checked` : ""}>`
      : html`<input type="text" ${common} data-original="${f.value}" value="${f.value}" spellcheck="false">`;
  return html`<div class="field${low ? " low" : ""}${f.corrected ? " corrected" : ""}">
    <label for="${id}">${fieldLabel(f.name)} <small>${f.name}</small></label>
    ${input}
    <span class="conf" title="Säkerhet i tolkningen">${conf}</span>
    ${f.corrected ? html`<span class="was" title="Avläst värde">avläst: ${String(f.readValue ?? "")}</span>` : ""}
  </div>`;
}

/**
 * Manual mode: the steps the handler carries out in the 1177 staff tool, and the confirmation (case.js posts
 * POST /api/cases/:id/manual-execution with the page's case version).
 */
function manualExecution(checklist: ReadonlyArray<{ step: string; done: boolean }>): SafeHtml {
  return html`<section class="manual-execution" id="manual-execution" aria-labelledby="manual-execution-heading">
    <h2 id="manual-execution-heading">Manuell åtgärd i 1177-verktyget</h2>
    <p>Utför stegen i 1177-verktyget och bekräfta sedan här. Då skickas bekräftelsen och ärendet arkiveras.</p>
    ${
      checklist.length === 0
        ? html`<p>Ingen checklista finns för ärendet.</p>`
        : html`<ol class="checklist" id="manual-checklist">${checklist.map(
            (s) =>
              html`<li data-done="${s.done ? "1" : "0"}">${s.step}${s.done ? html` <span class="tag">klart</span>` : ""}</li>`,
          )}</ol>`
    }
    <button type="button" id="confirm-manual">Bekräfta utfört i 1177-verktyget</button>
  </section>`;
}

export function renderCase(detail: CaseDetail, user: Principal): string {
  const c = detail.case;
  // Parked or failed and not waiting for a decision already taken (a RETURN on its way); a case parked again after
  // an approval that did not suffice is open again.
  const editable = handlerCanEdit(c, actorId(user));
  const returnable = REASON_CODES.filter((r) => RETURN_CODES.has(r));
  const reg = c.registry;
  const main = html`<main class="case" data-case-id="${c.caseId}" data-version="${c.version}" data-has-scan="${c.scan ? "1" : "0"}" data-user="user:${user.userId}" data-file-name="${c.scan?.fileName ?? ""}">
  <h1>Ärende ${c.caseId}</h1>
  ${
    detail.protectedIdentity
      ? html`<p class="banner protected" role="alert" id="protected-identity"><strong>Skyddad identitet.</strong> Adressuppgifter (e-post, telefon, ort) visas inte. Lämna inte ut uppgifter om personen.</p>`
      : ""
  }
  <p class="meta">
    <span>Status: <strong id="status">${statusText(c.status)}</strong></span>
    <span>Blankett: ${c.formCode ?? "okänd"}</span>
    <span>Åtgärd: ${c.action ? (ACTION_TEXTS[c.action] ?? c.action) : "–"}</span>
    <span>Inkom: ${c.receivedDate}</span>
    <span>Version: <span id="version">${c.version}</span></span>
    <span>Handläggare: <span id="claimed-by">${c.claimedBy ?? "ingen"}</span></span>
  </p>
  <ul class="reasons" aria-label="Orsaker">${c.reasons.map((r) => html`<li data-reason="${r}">${reasonText(r)}</li>`)}</ul>
  ${c.failure ? html`<p class="error">Fel i flödet: ${c.failure.error}</p>` : ""}
  ${followUpBanner(c)}
  <p id="message" role="status" aria-live="polite"></p>
  ${fourEyesSection(c, user)}
  ${unreadableSection(detail)}
  ${c.status === "AWAITING_MANUAL_EXECUTION" ? manualExecution(c.manualChecklist ?? []) : ""}
  <div class="workspace">
    <section class="viewer" aria-label="Skannad blankett">
      ${
        !c.scan
          ? html`<p>Ingen skanning (ärendet skapades för hand).</p>`
          : detail.unreadable
            ? html`<p id="no-image">Ingen bild: filen kunde inte läsas. Ladda ned originalfilen ovan.</p>`
            : html`<div class="scan-wrap"><img id="scan" alt="Skannad blankett"><div id="highlight" hidden></div></div>`
      }
    </section>
    <section class="fields" aria-label="Fält">
      <form id="fields-form">
        ${detail.fields.map((f, i) => fieldInput(f, i, editable))}
      </form>
      <div class="actions">
        <button type="button" id="claim" ${editable && c.claimedBy === undefined ? "" : html`hidden`}>Ta ärendet</button>
        <button type="button" id="release" ${c.claimedBy === `user:${user.userId}` ? "" : html`hidden`}>Släpp ärendet</button>
        <button type="button" id="save" ${editable ? "" : html`disabled`}>Spara rättelser</button>
        <button type="button" id="approve" ${editable ? "" : html`disabled`}><kbd>a</kbd> Godkänn</button>
        <button type="button" id="return" ${editable ? "" : html`disabled`}><kbd>r</kbd> Returnera</button>
        <button type="button" id="close" ${editable ? "" : html`disabled`}>Avsluta</button>
      </div>
      <fieldset id="return-reasons">
        <legend>Returorsaker</legend>
        ${returnable.map((r) => html`<label><input type="checkbox" name="returnReason" value="${r}" ${c.reasons.includes(r) ? html`checked` : ""}> ${reasonText(r)}</label>`)}
      </fieldset>
      <label for="note">Anteckning</label>
      <textarea id="note" rows="2"></textarea>
      <p class="hint">Tabb flyttar mellan fälten, Esc lämnar fältet. Utanför fälten: <kbd>a</kbd> godkänn, <kbd>r</kbd> returnera.</p>
    </section>
  </div>
  <section aria-label="Folkbokföring">
    <h2>Folkbokföring</h2>
    ${
      reg
        ? html`<ul><li>Hittad: ${reg.found ? "ja" : "nej"}</li>
        ${reg.nameMatches === undefined ? "" : html`<li>Namnet stämmer: ${reg.nameMatches ? "ja" : "nej"}</li>`}
        ${reg.protectedIdentity === undefined ? "" : html`<li>Skyddad identitet: ${reg.protectedIdentity ? "ja" : "nej"}</li>`}
        <li>Kontrollerad: ${reg.checkedAt}</li></ul>`
        : html`<p>Ingen kontroll gjord.</p>`
    }
  </section>
  ${staffSection(c.staff)}
  <section aria-label="Telefonverifiering">
    <h2>Telefonverifiering</h2>
    <ul>${(c.phoneVerifications ?? []).map((p) => html`<li>${p.at}: ${p.calledName}, ${p.phone} – ${p.outcome}</li>`)}</ul>
    <form id="phone-form" class="inline">
      <input name="calledName" placeholder="Namn på den du talade med" aria-label="Namn" ${editable ? "" : html`disabled`}>
      <input name="phone" placeholder="Telefon" aria-label="Telefon" ${editable ? "" : html`disabled`}>
      <select name="outcome" aria-label="Utfall" ${editable ? "" : html`disabled`}>
        <option value="VERIFIED">Verifierad</option><option value="NOT_VERIFIED">Ej verifierad</option><option value="NO_ANSWER">Inget svar</option>
      </select>
      <button type="submit" ${editable ? "" : html`disabled`}>Spara samtal</button>
    </form>
  </section>
  <section aria-label="Tidigare ärenden">
    <h2>Tidigare ärenden för personen</h2>
    ${
      detail.earlierCases.length === 0
        ? html`<p>Inga.</p>`
        : html`<ul>${detail.earlierCases.map((e) => html`<li><a href="/cases/${encodeURIComponent(e.caseId)}">${e.caseId}</a> ${e.receivedDate} ${e.formCode ?? ""} ${e.action ? (ACTION_TEXTS[e.action] ?? e.action) : ""} – ${statusText(e.status)}</li>`)}</ul>`
    }
  </section>
  <section aria-label="Historik">
    <h2>Historik</h2>
    <ol class="history">${c.history.map((h) => html`<li><time>${h.at}</time> ${h.by}: ${h.what}</li>`)}</ol>
  </section>
</main>`;
  return layout(
    detail.protectedIdentity ? `Ärende ${c.caseId} (skyddad identitet)` : `Ärende ${c.caseId}`,
    user,
    main,
    ["case.js"],
  );
}
