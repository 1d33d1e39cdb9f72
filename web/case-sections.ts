// Parts of the case page for the routine's guarantees: the four-eyes proposal (who proposed, why, and approve /
// reject for a different handler), the approvals on a decided case, and the follow-up of an urgent action.
import type { Principal } from "../shared/auth/principal.ts";
import { FORM_FIELDS, type FormField } from "../shared/domain/form-fields.ts";
import { FORM_CODES, FORM_TITLES, type FormCode } from "../shared/domain/forms.ts";
import { FOUR_EYES_PARKED, FOUR_EYES_TEXTS } from "../shared/domain/four-eyes.ts";
import type { CaseDetail } from "../shared/use-cases/case-detail.ts";
import { localTime, personName } from "./case-texts.ts";
import { fieldLabel } from "./field-labels.ts";
import { html, type SafeHtml } from "./html.ts";
import { reasonText } from "./texts.ts";

type Case = CaseDetail["case"];

/** AWAITING_SECOND_APPROVAL: the proposal; approve / reject for anyone but the proposer, withdraw for the proposer. */
export function fourEyesSection(c: Case, user: Principal, names: Readonly<Record<string, string>> = {}): SafeHtml {
  const who = (by: string) => personName(by, (id) => names[id]);
  const p = c.proposal;
  if (c.status === "AWAITING_SECOND_APPROVAL" && p) {
    const mine = p.by === `user:${user.userId}`;
    return html`<section class="four-eyes" id="four-eyes" aria-labelledby="four-eyes-heading" data-proposed-by="${p.by}">
    <h2 id="four-eyes-heading">Väntar på andra handläggare</h2>
    <p>Godkännande föreslaget av <strong id="proposed-by">${who(p.by)}</strong> <time datetime="${p.at}">${localTime(p.at)}</time>.</p>
    <ul class="why">${p.why.map((w) => html`<li>${FOUR_EYES_TEXTS[w]}</li>`)}</ul>
    ${p.overrides.length > 0 ? html`<p>Kontroller som förbigås: ${p.overrides.map((r) => html`<span class="reason">${reasonText(r)}</span> `)}</p>` : ""}
    ${p.note ? html`<p>Anteckning: ${p.note}</p>` : ""}
    ${
      mine
        ? html`<p class="hint" id="own-proposal">Du föreslog beslutet. En annan handläggare måste godkänna eller avslå det.</p>
      <div class="actions">
        <button type="button" id="withdraw-proposal">Dra tillbaka förslaget – ärendet går tillbaka till granskning</button>
      </div>`
        : html`<div class="actions">
        <button type="button" id="second-approve">Godkänn förslaget</button>
        <button type="button" id="second-reject">Avslå förslaget</button>
      </div>`
    }
  </section>`;
  }
  const parked = Object.values(FOUR_EYES_PARKED).find((t) => t === c.reviewReason);
  if (c.status === "IN_REVIEW" && parked) {
    return html`<p class="banner four-eyes" id="four-eyes-required" role="note"><strong>Två handläggare krävs.</strong> ${parked} Ditt godkännande blir ett förslag som en annan handläggare godkänner.</p>`;
  }
  const second = c.handlerDecision?.secondApprover;
  if (c.handlerDecision?.decision === "APPROVE" && second) {
    return html`<section class="four-eyes" id="four-eyes" aria-label="Godkännanden">
    <h2>Godkänt av två handläggare</h2>
    <p id="approvals">Föreslaget av ${who(c.handlerDecision.by)} <time datetime="${c.handlerDecision.at}">${localTime(c.handlerDecision.at)}</time>, godkänt av ${who(second.by)} <time datetime="${second.at}">${localTime(second.at)}</time>.</p>
  </section>`;
  }
  return html``;
}

/** An urgent protective action carried out on one handler's word: followed up until the paper form arrives. */
export function followUpBanner(c: Case): SafeHtml {
  if (!c.followUp) return html``;
  return html`<p class="banner follow-up" id="follow-up" role="note"><strong>Uppföljning:</strong> brådskande åtgärd utan blankett (sedan <time datetime="${c.followUp.since}">${localTime(c.followUp.since)}</time>). Koppla den inskannade blanketten till ärendet när den kommer.</p>`;
}

/** An unreadable scan: the reason in Swedish (and the reader's words) and the original file to download. */
export function unreadableSection(detail: CaseDetail): SafeHtml {
  const u = detail.unreadable;
  if (!u) return html``;
  return html`<section class="unreadable" id="unreadable" aria-labelledby="unreadable-heading">
    <h2 id="unreadable-heading">Filen kunde inte läsas</h2>
    <p id="unreadable-reason">${u.reason}</p>
    <p class="hint">Läsarens besked: <code>${u.cause}</code></p>
    <button type="button" id="download-original">Ladda ned originalfilen</button>
  </section>`;
}

const STAFF_STATUS_TEXTS = {
  VERIFIED: "Bekräftad: VGR-id och namn stämmer med katalogen",
  NOT_VERIFIED: "Ej bekräftad: VGR-id:t finns inte i katalogen eller hör till någon annan",
  DOUBTFUL: "Osäker läsning av VGR-id eller namn: kontrollera mot blanketten",
} as const;

/** The vouching staff member as the staff directory knows them (only with a directory configured). */
export function staffSection(staff: CaseDetail["case"]["staff"]): SafeHtml {
  if (!staff) return html``;
  const e = staff.entry;
  return html`<div id="fact-staff">
    <h3>Personalkatalog (HSA)</h3>
    <p data-staff-status="${staff.status}">${STAFF_STATUS_TEXTS[staff.status]} (VGR-id ${staff.vgrId}).</p>
    ${
      e
        ? html`<ul><li>Namn i katalogen: ${e.name}</li><li>Befattning: ${e.title}</li><li>Enhet: ${e.unit}</li>
        <li>Vårdgivare: ${e.caregiver}</li><li>Telefon: ${e.phone}</li></ul>`
        : html`<p>VGR-id:t finns inte i katalogen.</p>`
    }
  </div>`;
}

/**
 * A document the reader did not recognise: the handler chooses the form and types every field (labelled in
 * Swedish); case.js posts POST /api/cases/:id/form and the case is validated as usual.
 */
export function manualEntrySection(): SafeHtml {
  const fieldRow = (code: FormCode, f: FormField, i: number) => {
    const id = `me-${code}-${i}`;
    return f.type === "checkbox" || f.type === "signature"
      ? html`<div class="field check"><label for="${id}"><input type="checkbox" id="${id}" data-entry-field="${f.name}"> ${fieldLabel(f.name)}${f.type === "signature" ? " (underskriven)" : ""}</label></div>`
      : html`<div class="field"><label for="${id}">${fieldLabel(f.name)}</label><input type="text" id="${id}" data-entry-field="${f.name}" spellcheck="false" autocomplete="off"></div>`;
  };
  return html`<section class="manual-entry" id="manual-entry" aria-labelledby="manual-entry-heading">
    <h2 id="manual-entry-heading">Registrera blanketten för hand</h2>
    <p>Handlingen kändes inte igen. Om det är en av blanketterna: välj blankett, skriv av alla fält från pappret och registrera. Ärendet kontrolleras sedan som vanligt; upplåsning och hävd blockering kräver en andra handläggare.</p>
    <label for="entry-form">Blankett</label>
    <select id="entry-form">
      <option value="">Välj blankett</option>
      ${FORM_CODES.map((code) => html`<option value="${code}">${code} – ${FORM_TITLES[code]}</option>`)}
    </select>
    ${FORM_CODES.map(
      (code) => html`<fieldset class="entry-fields" data-entry-form="${code}" hidden>
      <legend>Fälten på ${code}</legend>
      ${FORM_FIELDS[code].map((f, i) => fieldRow(code, f, i))}
    </fieldset>`,
    )}
    <button type="button" id="entry-submit" disabled>Registrera blanketten och kontrollera ärendet</button>
  </section>`;
}
