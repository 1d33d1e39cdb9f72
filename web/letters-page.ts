// The mail room's letters page: letters waiting to be printed and posted (no personal data in the list: the letter
// itself holds the address), each opened as PDF and marked posted; and the letters posted today.
import type { Principal } from "../shared/auth/principal.ts";
import type { LetterListItem, PostedLetter } from "../shared/use-cases/mailroom-letters.ts";
import { postedText } from "../shared/use-cases/mailroom-letters.ts";
import { html } from "./html.ts";
import { layout } from "./pages.ts";

export const LETTER_KIND_TEXTS: Record<LetterListItem["kind"], string> = {
  CONFIRMATION: "Bekräftelse",
  RETURN_NOTICE: "Retur för komplettering",
};

export const LETTER_RECIPIENT_TEXTS: Record<LetterListItem["recipient"], string> = {
  CITIZEN: "Invånare",
  STAFF: "Personalens enhet",
};

export function letterPdfPath(i: Pick<LetterListItem, "caseId" | "letterId">): string {
  return `/mailroom/letters/${encodeURIComponent(i.caseId)}/${i.letterId}.pdf`;
}

export function renderLetters(
  list: { waiting: LetterListItem[]; postedToday: PostedLetter[] },
  user: Principal,
): string {
  const main = html`<main class="letters">
  <h1>Brev att posta <span class="count">(${list.waiting.length})</span></h1>
  <p class="hint">Skriv ut brevet, vik det och lägg det i ett fönsterkuvert (C5 eller C4): adressen syns i fönstret. Markera sedan brevet som postat.</p>
  <p id="letters-error" class="error" role="alert"></p>
  ${
    list.waiting.length === 0
      ? html`<p id="no-letters">Inga brev väntar.</p>`
      : html`<table id="letters" class="queue">
    <thead><tr><th>Ärende</th><th>Brev</th><th>Datum</th><th>Mottagare</th><th>Adress</th><th>Utskrift</th><th>Postat</th></tr></thead>
    <tbody>
    ${list.waiting.map(
      (i) => html`<tr data-case="${i.caseId}" data-letter="${i.letterId}">
      <td>${i.caseId}</td>
      <td>${LETTER_KIND_TEXTS[i.kind]}${i.formCode ? html` (${i.formCode})` : ""}</td>
      <td>${i.date}</td>
      <td>${LETTER_RECIPIENT_TEXTS[i.recipient]}</td>
      <td>${i.addressMissing ? html`<span class="tag warning">Adress saknas</span>` : "I brevet"}</td>
      <td><a href="${letterPdfPath(i)}" target="_blank" rel="noopener">Öppna PDF</a></td>
      <td><button type="button" class="mark-posted">Markera som postat</button></td>
    </tr>`,
    )}
    </tbody>
  </table>`
  }
  <h2>Postade i dag</h2>
  ${
    list.postedToday.length === 0
      ? html`<p>Inga ännu.</p>`
      : html`<table id="posted" class="queue">
    <thead><tr><th>Ärende</th><th>Brev</th><th>Mottagare</th><th>Postat</th></tr></thead>
    <tbody>
    ${list.postedToday.map(
      (i) => html`<tr>
      <td>${i.caseId}</td>
      <td>${LETTER_KIND_TEXTS[i.kind]}</td>
      <td>${LETTER_RECIPIENT_TEXTS[i.recipient]}</td>
      <td>${postedText(i.posted)}</td>
    </tr>`,
    )}
    </tbody>
  </table>`
  }
</main>`;
  return layout("Brev att posta", user, main, ["letters.js"]);
}
