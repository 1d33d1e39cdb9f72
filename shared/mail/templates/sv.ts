// Swedish mail and letter texts, version-controlled: change the texts here and bump TEMPLATE_VERSION
// (it is recorded on the case history with every mail, so one can tell which wording a recipient got).
// sv-3: no name and no personnummer of the subject in e-mail (HSLF-FS 2016:40, 3 kap.); letters name the subject.
import type { Action, ReasonCode } from "../../domain/forms.ts";
import type { AccountResult } from "../../ports/account-service.ts";

export const TEMPLATE_VERSION = "sv-3";

export const SIGNATURE = "Spärr- och loggservice, 1177 e-tjänster\nVästra Götalandsregionen";

/** Subject line and the sentence saying what was done, per account result. */
export const CONFIRMATION_TEXTS: Record<Exclude<AccountResult, "MANUAL_PENDING">, { subject: string; done: string }> = {
  LOCKED: {
    subject: "Bekräftelse: inloggningen till 1177 e-tjänster har låsts – ärende {{caseId}}",
    done: "Inloggningen till 1177 e-tjänster har låsts. Invånaren kan inte logga in förrän låsningen hävs på begäran.",
  },
  ALREADY_LOCKED: {
    subject: "Bekräftelse: inloggningen till 1177 e-tjänster är låst – ärende {{caseId}}",
    done: "Inloggningen till 1177 e-tjänster var redan låst och förblir låst.",
  },
  UNLOCKED: {
    subject: "Bekräftelse: låsningen av inloggningen till 1177 e-tjänster har hävts – ärende {{caseId}}",
    done: "Låsningen av inloggningen till 1177 e-tjänster har hävts. Invånaren kan logga in igen.",
  },
  ALREADY_UNLOCKED: {
    subject: "Bekräftelse: inloggningen till 1177 e-tjänster är inte låst – ärende {{caseId}}",
    done: "Inloggningen till 1177 e-tjänster var inte låst; ingen ändring behövdes.",
  },
  BLOCKED: {
    subject: "Bekräftelse: vårdnadshavares åtkomst till barnets journal på 1177 har blockerats – ärende {{caseId}}",
    done: "Vårdnadshavarens åtkomst till barnets journal och e-tjänster på 1177 har blockerats.",
  },
  ALREADY_BLOCKED: {
    subject: "Bekräftelse: vårdnadshavares åtkomst till barnets journal på 1177 är blockerad – ärende {{caseId}}",
    done: "Vårdnadshavarens åtkomst till barnets journal och e-tjänster på 1177 var redan blockerad och förblir blockerad.",
  },
  UNBLOCKED: {
    subject: "Bekräftelse: blockeringen av vårdnadshavares åtkomst på 1177 har hävts – ärende {{caseId}}",
    done: "Blockeringen av vårdnadshavarens åtkomst till barnets journal och e-tjänster på 1177 har hävts.",
  },
  ALREADY_UNBLOCKED: {
    subject: "Bekräftelse: vårdnadshavares åtkomst på 1177 är inte blockerad – ärende {{caseId}}",
    done: "Vårdnadshavarens åtkomst var inte blockerad; ingen ändring behövdes.",
  },
};

export const RETURN_SUBJECT = "Retur för komplettering: blankett {{formCode}} – ärende {{caseId}}";

/** Each reason in plain Swedish, as the sender must read it to complete the form. */
export const REASON_TEXTS: Record<ReasonCode, string> = {
  NOT_VIDIMATED: "Blanketten är inte vidimerad: den vidimerande personalens namn eller underskrift saknas.",
  ACTION_MISSING: "Det framgår inte vad som begärs: kryssa i exakt en av rutorna för åtgärd.",
  CITIZEN_SIGNATURE_MISSING: "Invånarens underskrift saknas.",
  AGE_NOT_ELIGIBLE:
    "Blanketten gäller inte för personens ålder: blanketten för invånare gäller från 13 år, blanketten för blockering av vårdnadshavare gäller barn 0–12 år. Använd rätt blankett.",
  THREAT_CHECK_MISSING:
    "Vid brytande av låsning ska verksamhetschefen ha kontrollerat hotbilden hos socialförvaltningen, kryssat i rutan, skrivit sitt namn och skrivit under.",
  CAREGIVER_NOT_APPROVED:
    "Vårdgivaren som angetts är inte godkänd att vidimera denna blankett. Kontakta Spärr- och loggservice.",
  PNR_INVALID:
    "Ett personnummer på blanketten är ofullständigt eller felaktigt. Skriv alla tolv siffror (ÅÅÅÅMMDD-NNNN) tydligt, en siffra per ruta.",
  PERSON_NOT_FOUND:
    "Personnumret på blanketten finns inte i folkbokföringen. Kontrollera personnumret mot id-handlingen och skicka in en ny blankett.",
  NAME_MISMATCH:
    "Namnet på blanketten stämmer inte med personnumret. Skriv för- och efternamn som i folkbokföringen och kontrollera personnumret.",
  PHONE_VERIFICATION: "VGR-ID saknas. Fyll i den vidimerande personalens VGR-ID och skicka in blanketten igen.",
  PROTECTED_IDENTITY: "Ärendet kräver särskild handläggning.",
  GUARDIAN_MISMATCH:
    "En angiven vårdnadshavare är inte registrerad som barnets vårdnadshavare. Kontrollera vårdnadshavarnas personnummer.",
  STAFF_NOT_VERIFIED:
    "Den vidimerande personalen kunde inte bekräftas i personalkatalogen; vi kontaktar er per telefon.",
  DUPLICATE_SCAN: "Blanketten har redan kommit in och behandlats i ett tidigare ärende.",
  LATER_CASE_EXISTS: "Det finns ett senare ärende för samma person som gäller den motsatta åtgärden.",
  UNRECOGNIZED_DOCUMENT: "Dokumentet är inte någon av blanketterna för Spärr- och loggservice.",
  LOW_CONFIDENCE:
    "Delar av blanketten gick inte att läsa säkert. Skriv tydligt med blockbokstäver och skicka in en ny blankett.",
  PRIOR_OPEN_CASE: "Det finns redan ett pågående ärende.",
  REGISTRY_UNAVAILABLE: "Uppgifterna kunde inte kontrolleras just nu.",
  CHILD_PROTECTED_NO_BLOCK_NEEDED: "Ingen blockering behövs; en handläggare kontaktar er.",
};

/** The requested action in the form's own words (1177-VG calls unlocking "Bryta låsning"). */
export const ACTION_LABELS: Record<Action, string> = {
  LOCK: "Låsning",
  UNLOCK: "Upplåsning",
  BLOCK: "Blockering av vårdnadshavares åtkomst",
  UNBLOCK: "Häva blockering av vårdnadshavares åtkomst",
};
export const VG_UNLOCK_LABEL = "Bryta låsning";
export const ACTION_MISSING_LABEL = "framgår inte av blanketten";

/**
 * Ordinary e-mail carries no patient data (HSLF-FS 2016:40, 3 kap.): no name and no personnummer of the subject.
 * The reader matches the case reference and the dates to their own copy of the form.
 */
export const MAIL_MATCH_NOTE =
  "Av sekretesskäl står inga namn eller personnummer i e-post. Jämför blankett, åtgärd och datum med er egen kopia av blanketten.";

export const MAIL_REPLY_NOTE =
  "Svara inte på detta meddelande; kontakta Spärr- och loggservice och uppge ärendenumret om något är fel.";
export const LETTER_REPLY_NOTE = "Kontakta Spärr- och loggservice och uppge ärendenumret om något är fel.";

/** A letter names the subject; the note only asks the reader to compare. */
export const LETTER_MATCH_NOTE = "Jämför blankett, åtgärd och datum med er egen kopia av blanketten.";

/** Letters are posted, not e-mailed: they name whom the case is about (see shared/mail/render.ts). */
export const LETTER_SUBJECT_ROW = "{{subjectLabel}}: {{subjectLine}}";

export const CONFIRMATION_HTML = `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; color: #1a1a1a">
<p>Hej,</p>
<p>{{done}}</p>
<table style="border-collapse: collapse">
<tr><td style="padding: 2px 12px 2px 0"><strong>Ärende</strong></td><td>{{caseId}}</td></tr>
<tr><td style="padding: 2px 12px 2px 0"><strong>Blankett</strong></td><td>{{formCode}} – {{formTitle}}</td></tr>
<tr><td style="padding: 2px 12px 2px 0"><strong>Åtgärd</strong></td><td>{{action}}</td></tr>
{{{scopeHtml}}}<tr><td style="padding: 2px 12px 2px 0"><strong>Blanketten kom in</strong></td><td>{{receivedDate}}</td></tr>
<tr><td style="padding: 2px 12px 2px 0"><strong>Utfört</strong></td><td>{{date}}</td></tr>
</table>
<p>{{matchNote}}</p>
<p>{{replyNote}}</p>
<p>Med vänlig hälsning<br>Spärr- och loggservice, 1177 e-tjänster<br>Västra Götalandsregionen</p>
</body></html>
`;

export const CONFIRMATION_TEXT = `Hej,

{{done}}

Ärende: {{caseId}}
Blankett: {{formCode}} – {{formTitle}}
Åtgärd: {{action}}
{{{scopeText}}}Blanketten kom in: {{receivedDate}}
Utfört: {{date}}

{{matchNote}}

{{replyNote}}

Med vänlig hälsning
${SIGNATURE}
`;

export const RETURN_HTML = `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; color: #1a1a1a">
<p>Hej,</p>
<p>Blanketten {{formCode}} som kom in {{receivedDate}} kan inte handläggas och returneras för komplettering.</p>
<table style="border-collapse: collapse">
<tr><td style="padding: 2px 12px 2px 0"><strong>Ärende</strong></td><td>{{caseId}}</td></tr>
<tr><td style="padding: 2px 12px 2px 0"><strong>Blankett</strong></td><td>{{formCode}} – {{formTitle}}</td></tr>
<tr><td style="padding: 2px 12px 2px 0"><strong>Begärd åtgärd</strong></td><td>{{action}}</td></tr>
{{{scopeHtml}}}</table>
<p>Det här behöver rättas:</p>
{{{reasonsHtml}}}
{{{noteHtml}}}<p>Skicka in en ny, komplett blankett. {{matchNote}} Ange ärendenummer {{caseId}} om ni kontaktar oss.</p>
<p>Med vänlig hälsning<br>Spärr- och loggservice, 1177 e-tjänster<br>Västra Götalandsregionen</p>
</body></html>
`;

export const RETURN_TEXT = `Hej,

Blanketten {{formCode}} som kom in {{receivedDate}} kan inte handläggas och returneras för komplettering.

Ärende: {{caseId}}
Blankett: {{formCode}} – {{formTitle}}
Begärd åtgärd: {{action}}
{{{scopeText}}}
Det här behöver rättas:

{{{reasonsText}}}
{{{noteText}}}
Skicka in en ny, komplett blankett. {{matchNote}} Ange ärendenummer {{caseId}} om ni kontaktar oss.

Med vänlig hälsning
${SIGNATURE}
`;

/** Protected identity: nothing about the person or the request, only the case id. */
export const NEUTRAL_SUBJECT = "Meddelande från Spärr- och loggservice – ärende {{caseId}}";

export const NEUTRAL_TEXT = `Hej,

{{body}}

Med vänlig hälsning
${SIGNATURE}
`;

export const NEUTRAL_HTML = `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; color: #1a1a1a">
<p>Hej,</p>
<p>{{body}}</p>
<p>Med vänlig hälsning<br>Spärr- och loggservice, 1177 e-tjänster<br>Västra Götalandsregionen</p>
</body></html>
`;

export const NEUTRAL_CONFIRMATION_BODY =
  "Ärende {{caseId}} har handlagts. Av sekretesskäl står inga uppgifter om ärendet i detta meddelande. Kontakta Spärr- och loggservice och uppge ärendenumret om ni har frågor.";
export const NEUTRAL_RETURN_BODY =
  "Ärende {{caseId}} behöver kompletteras. Av sekretesskäl står inga uppgifter om ärendet i detta meddelande. Kontakta Spärr- och loggservice och uppge ärendenumret, så får ni veta vad som behöver kompletteras.";
