// The case page: the deciding reasons and their facts first, the scan (zoom, rotate, pan) beside the fields, the
// decision bar always in view (each button says what will happen), the return notice's reasons and message,
// phone calls, earlier cases and the history in Swedish (Stockholm time, people by name).
import { actorId, type Principal } from "../shared/auth/principal.ts";
import { handlerCanEdit } from "../shared/domain/case-record.ts";
import { REASON_CODES, RETURN_CODES } from "../shared/domain/forms.ts";
import { type FourEyesSettings, secondApproverReasons } from "../shared/domain/four-eyes.ts";
import type { CaseDetail, FieldView } from "../shared/use-cases/case-detail.ts";
import { earlierCasesSection, factsSection } from "./case-facts-section.ts";
import { followUpBanner, fourEyesSection, manualEntrySection, unreadableSection } from "./case-sections.ts";
import { historyText, localTime, PHONE_OUTCOMES, personName } from "./case-texts.ts";
import { fieldLabel } from "./field-labels.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout } from "./pages.ts";
import { ACTION_TEXTS, reasonText, statusText } from "./texts.ts";

export interface CasePageOptions {
  /** User id → display name ("anna" → "Anna Handläggare"). */
  names?: Readonly<Record<string, string>>;
  fourEyes?: FourEyesSettings | undefined;
}

function fieldInput(f: FieldView, index: number, editable: boolean): SafeHtml {
  const id = `f-${index}`;
  if (f.hidden) {
    // No input: a withheld value can neither be shown nor sent back as a correction.
    return html`<div class="field hidden-value" data-hidden-field="${f.name}">
    <span class="label">${fieldLabel(f.name)}</span>
    <span class="withheld">Dold – skyddad identitet</span>
  </div>`;
  }
  const box = f.box ? `${f.box.page},${f.box.x},${f.box.y},${f.box.w},${f.box.h}` : "";
  const conf = f.confidence === null ? "" : `${Math.round(f.confidence * 100)} %`;
  const low = f.confidence !== null && f.confidence < 0.8;
  const common = html`id="${id}" name="${f.name}" data-field="${f.name}" data-box="${box}" ${editable ? "" : html`disabled`}`;
  const status = html`<span class="conf" title="Säkerhet i tolkningen">${conf}</span>
    ${f.corrected ? html`<span class="was">avläst: ${typeof f.readValue === "boolean" ? (f.readValue ? "ikryssad" : "ej ikryssad") : String(f.readValue ?? "")}</span>` : ""}`;
  if (typeof f.value === "boolean") {
    // The box right beside its label (one click target).
    return html`<div class="field check${low ? " low" : ""}${f.corrected ? " corrected" : ""}">
    <label for="${id}"><input type="checkbox" ${common} data-original="${String(f.value)}" ${f.value ? html`checked` : ""}> ${fieldLabel(f.name)}</label>
    ${status}
  </div>`;
  }
  return html`<div class="field${low ? " low" : ""}${f.corrected ? " corrected" : ""}">
    <label for="${id}">${fieldLabel(f.name)}</label>
    <input type="text" ${common} data-original="${f.value}" value="${f.value}" spellcheck="false">
    ${status}
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

/** The form's sections, so that "Namn" and "Telefon" say whose they are. */
const SECTIONS: Record<string, string> = {
  action: "Åtgärd",
  urgent: "Åtgärd",
  citizen: "Invånare",
  child: "Barn",
  guardian1: "Vårdnadshavare 1",
  guardian2: "Vårdnadshavare 2",
  concernReported: "Vårdnadshavare",
  manager: "Verksamhetschef",
  requester: "Begärande hälso- och sjukvårdspersonal",
  verifier: "Vidimering",
};

function sectionOf(name: string): string {
  return SECTIONS[name.split(".")[0] ?? ""] ?? "Övrigt";
}

const CONSEQUENCE: Record<string, string> = {
  LOCK: "låsning utförs och bekräftelse skickas",
  UNLOCK: "upplåsning utförs och bekräftelse skickas",
  BLOCK: "blockering utförs och bekräftelse skickas",
  UNBLOCK: "blockeringen hävs och bekräftelse skickas",
};

/** What the approve button does, in its own words. */
function approveText(c: CaseDetail["case"], fourEyes: FourEyesSettings | undefined): string {
  if (secondApproverReasons(c, fourEyes).length > 0) {
    return "Föreslå godkännande – går till en andra handläggare";
  }
  return `Godkänn – ${c.action ? (CONSEQUENCE[c.action] ?? "åtgärden utförs") : "kontrolleras på nytt"}`;
}

function returnPanel(c: CaseDetail["case"], editable: boolean): SafeHtml {
  const own = REASON_CODES.filter((r) => RETURN_CODES.has(r));
  const others = REASON_CODES.filter((r) => !RETURN_CODES.has(r) && r !== "UNRECOGNIZED_DOCUMENT");
  const box = (r: string) =>
    html`<label class="check"><input type="checkbox" name="returnReason" value="${r}" ${c.reasons.includes(r as never) ? html`checked` : ""} ${editable ? "" : html`disabled`}> ${reasonText(r)}</label>`;
  return html`<section class="return-panel" aria-labelledby="return-heading">
    <h2 id="return-heading">Retur till avsändaren</h2>
    <fieldset id="return-reasons">
      <legend>Returorsaker (det returbeskedet förklarar)</legend>
      ${own.map(box)}
      <p class="hint">Andra orsaker som avsändaren kan rätta:</p>
      ${others.map(box)}
    </fieldset>
    <label for="notice-note">Meddelande till avsändaren (kommer med i returbeskedet)</label>
    <p class="warning" id="notice-note-warning">Skickas med vanlig e-post: skriv inga namn eller personnummer.</p>
    <textarea id="notice-note" rows="2" maxlength="1000" aria-describedby="notice-note-warning" ${editable ? "" : html`disabled`}></textarea>
  </section>`;
}

export function renderCase(detail: CaseDetail, user: Principal, opts: CasePageOptions = {}): string {
  const c = detail.case;
  const names = { ...(opts.names ?? {}), [user.userId]: user.displayName };
  const nameOf = (id: string): string | undefined => names[id];
  // Parked or failed and not waiting for a decision already taken (a RETURN on its way); a case parked again after
  // an approval that did not suffice is open again.
  const editable = handlerCanEdit(c, actorId(user));
  const unrecognized = c.formCode === null && c.reasons.includes("UNRECOGNIZED_DOCUMENT");
  const main = html`<main class="case" data-case-id="${c.caseId}" data-version="${c.version}" data-has-scan="${c.scan ? "1" : "0"}" data-user="user:${user.userId}" data-user-name="${user.displayName}" data-file-name="${c.scan?.fileName ?? ""}">
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
    <span>Handläggare: <span id="claimed-by" data-claimed-by="${c.claimedBy ?? ""}">${c.claimedBy ? personName(c.claimedBy, nameOf) : "ingen"}</span></span>
    <span class="hint">Version <span id="version">${c.version}</span></span>
  </p>
  ${c.failure ? html`<p class="error">Fel i flödet: ${c.failure.error}</p>` : ""}
  ${followUpBanner(c)}
  <p id="message" role="status" aria-live="polite"></p>
  ${factsSection(detail)}
  ${fourEyesSection(c, user, names)}
  ${unreadableSection(detail)}
  ${unrecognized && editable ? manualEntrySection() : ""}
  ${c.status === "AWAITING_MANUAL_EXECUTION" ? manualExecution(c.manualChecklist ?? []) : ""}
  <div class="workspace">
    <section class="viewer" aria-label="Skannad blankett">
      ${
        !c.scan
          ? html`<p>Ingen skanning (ärendet skapades för hand).</p>`
          : detail.unreadable
            ? html`<p id="no-image">Ingen bild: filen kunde inte läsas. Ladda ned originalfilen ovan.</p>`
            : html`<div class="viewer-tools" role="toolbar" aria-label="Visning av skanningen" data-upside-down="${c.scanLayout?.upsideDown ? "1" : "0"}" data-page-count="${detail.protectedIdentity ? 1 : (c.scanLayout?.pageCount ?? 1)}">
          ${
            !detail.protectedIdentity && (c.scanLayout?.pageCount ?? 1) > 1
              ? html`<button type="button" id="page-prev" aria-label="Föregående sida">‹</button>
          <span id="page-label" aria-live="polite">Sida 1 av ${c.scanLayout?.pageCount ?? 1}</span>
          <button type="button" id="page-next" aria-label="Nästa sida">›</button>`
              : ""
          }
          <button type="button" id="zoom-out" aria-label="Zooma ut">−</button>
          <span id="zoom-level" aria-live="polite">100 %</span>
          <button type="button" id="zoom-in" aria-label="Zooma in">+</button>
          <button type="button" id="rotate" aria-label="Vrid 90 grader medurs">Vrid ↻</button>
          <button type="button" id="fit">Anpassa</button>
        </div>
        <div class="scan-pane" id="scan-pane" tabindex="0" aria-label="Skanningen – dra för att panorera"><div class="scan-wrap" id="scan-wrap"><img id="scan" alt="Skannad blankett"><div id="highlight" hidden></div></div></div>`
      }
    </section>
    <section class="fields" aria-label="Fält">
      <form id="fields-form">
        ${detail.fields.map((f, i) => {
          const section = sectionOf(f.name);
          const heading =
            section !== sectionOf(detail.fields[i - 1]?.name ?? "")
              ? html`<h3 class="field-section">${section}</h3>`
              : "";
          return html`${heading}${fieldInput(f, i, editable)}`;
        })}
      </form>
      ${returnPanel(c, editable)}
      <label for="note">Intern anteckning (syns bara för handläggare)</label>
      <textarea id="note" rows="2" ${editable ? "" : html`disabled`}></textarea>
    </section>
  </div>
  <section aria-labelledby="phone-heading">
    <h2 id="phone-heading">Telefonverifiering</h2>
    <ul id="phone-list">${(c.phoneVerifications ?? []).map((p) => html`<li><time datetime="${p.at}">${localTime(p.at)}</time>: ${p.calledName}, ${p.phone} – ${PHONE_OUTCOMES[p.outcome] ?? p.outcome} (${personName(p.by, nameOf)})</li>`)}</ul>
    <form id="phone-form" class="labelled">
      <div><label for="phone-name">Namn på den du talade med</label>
      <input id="phone-name" name="calledName" autocomplete="off" ${editable ? "" : html`disabled`}></div>
      <div><label for="phone-number">Telefonnummer</label>
      <input id="phone-number" name="phone" autocomplete="off" ${editable ? "" : html`disabled`}></div>
      <div><label for="phone-outcome">Utfall</label>
      <select id="phone-outcome" name="outcome" ${editable ? "" : html`disabled`}>
        <option value="VERIFIED">Verifierad</option><option value="NOT_VERIFIED">Ej verifierad</option><option value="NO_ANSWER">Inget svar</option>
      </select></div>
      <button type="submit" ${editable ? "" : html`disabled`}>Spara samtal</button>
    </form>
  </section>
  ${earlierCasesSection(detail)}
  <section aria-labelledby="history-heading">
    <h2 id="history-heading">Historik</h2>
    <ol class="history">${c.history.map((h) => html`<li><time datetime="${h.at}">${localTime(h.at)}</time> ${personName(h.by, nameOf)}: ${historyText(h.what)}</li>`)}</ol>
  </section>
  <div class="decision-bar" id="decision-bar" role="region" aria-label="Beslut">
    <button type="button" id="claim" ${editable && c.claimedBy === undefined ? "" : html`hidden`}>Ta ärendet</button>
    <button type="button" id="release" ${c.claimedBy === `user:${user.userId}` ? "" : html`hidden`}>Släpp ärendet</button>
    <button type="button" id="save" ${editable ? "" : html`disabled`}>Spara rättelser</button>
    <button type="button" id="approve" class="primary" ${editable && !unrecognized ? "" : html`disabled`}>${approveText(c, opts.fourEyes)}</button>
    <button type="button" id="return" ${editable ? "" : html`disabled`}>Returnera – returbesked med valda orsaker skickas</button>
    <button type="button" id="close" ${editable ? "" : html`disabled`}>Avsluta – inget utförs eller skickas</button>
    <label class="check shortcuts"><input type="checkbox" id="shortcuts-on"> Kortkommandon (Alt+G, Alt+R)</label>
  </div>
</main>`;
  return layout(
    detail.protectedIdentity ? `Ärende ${c.caseId} (skyddad identitet)` : `Ärende ${c.caseId}`,
    user,
    main,
    ["case.js"],
  );
}
