// The mails the dev samples must produce, written here literally from the contract's templates (sv-3: no name and
// no personnummer in e-mail): nothing is rendered by the code under test. Only what a sample's truth says varies
// (form, action, account result, guardians, reasons, receipt date), plus the case id and the day SendMail ran.
import type { Action, FormCode } from "../../shared/domain/forms.ts";

export type ConfirmedResult =
  | "LOCKED"
  | "ALREADY_LOCKED"
  | "UNLOCKED"
  | "ALREADY_UNLOCKED"
  | "BLOCKED"
  | "ALREADY_BLOCKED"
  | "UNBLOCKED"
  | "ALREADY_UNBLOCKED";

export interface LiteralMail {
  subject: string;
  text: string;
  html: string;
}

const FORM_TITLE: Record<FormCode, string> = {
  "1177-EGEN": "Begäran om låsning eller upplåsning av inloggning till 1177 e-tjänster – på invånarens egen begäran",
  "1177-VG":
    "Låsning eller brytande av låsning av invånares inloggning till 1177 e-tjänster, 13 år och äldre – på vårdgivarens begäran",
  "1177-VH": "Blockering av vårdnadshavares åtkomst till barns journal och e-tjänster på 1177 (barn 0–12 år)",
};

function actionText(formCode: FormCode, action: Action | null): string {
  if (action === null) return "framgår inte av blanketten";
  if (formCode === "1177-VG" && action === "UNLOCK") return "Bryta låsning";
  return {
    LOCK: "Låsning",
    UNLOCK: "Upplåsning",
    BLOCK: "Blockering av vårdnadshavares åtkomst",
    UNBLOCK: "Häva blockering av vårdnadshavares åtkomst",
  }[action];
}

const CONFIRMED: Record<ConfirmedResult, { subject: string; done: string }> = {
  LOCKED: {
    subject: "Bekräftelse: inloggningen till 1177 e-tjänster har låsts",
    done: "Inloggningen till 1177 e-tjänster har låsts. Invånaren kan inte logga in förrän låsningen hävs på begäran.",
  },
  ALREADY_LOCKED: {
    subject: "Bekräftelse: inloggningen till 1177 e-tjänster är låst",
    done: "Inloggningen till 1177 e-tjänster var redan låst och förblir låst.",
  },
  UNLOCKED: {
    subject: "Bekräftelse: låsningen av inloggningen till 1177 e-tjänster har hävts",
    done: "Låsningen av inloggningen till 1177 e-tjänster har hävts. Invånaren kan logga in igen.",
  },
  ALREADY_UNLOCKED: {
    subject: "Bekräftelse: inloggningen till 1177 e-tjänster är inte låst",
    done: "Inloggningen till 1177 e-tjänster var inte låst; ingen ändring behövdes.",
  },
  BLOCKED: {
    subject: "Bekräftelse: vårdnadshavares åtkomst till barnets journal på 1177 har blockerats",
    done: "Vårdnadshavarens åtkomst till barnets journal och e-tjänster på 1177 har blockerats.",
  },
  ALREADY_BLOCKED: {
    subject: "Bekräftelse: vårdnadshavares åtkomst till barnets journal på 1177 är blockerad",
    done: "Vårdnadshavarens åtkomst till barnets journal och e-tjänster på 1177 var redan blockerad och förblir blockerad.",
  },
  UNBLOCKED: {
    subject: "Bekräftelse: blockeringen av vårdnadshavares åtkomst på 1177 har hävts",
    done: "Blockeringen av vårdnadshavarens åtkomst till barnets journal och e-tjänster på 1177 har hävts.",
  },
  ALREADY_UNBLOCKED: {
    subject: "Bekräftelse: vårdnadshavares åtkomst på 1177 är inte blockerad",
    done: "Vårdnadshavarens åtkomst var inte blockerad; ingen ändring behövdes.",
  },
};

/** What the sender must fix, for the RETURN reasons of the dev samples (other codes: add their text here). */
const TO_FIX: Record<string, string> = {
  NOT_VIDIMATED: "Blanketten är inte vidimerad: den vidimerande personalens namn eller underskrift saknas.",
  ACTION_MISSING: "Det framgår inte vad som begärs: kryssa i exakt en av rutorna för åtgärd.",
  CITIZEN_SIGNATURE_MISSING: "Invånarens underskrift saknas.",
  AGE_NOT_ELIGIBLE:
    "Blanketten gäller inte för personens ålder: blanketten för invånare gäller från 13 år, blanketten för blockering av vårdnadshavare gäller barn 0–12 år. Använd rätt blankett.",
  THREAT_CHECK_MISSING:
    "Vid brytande av låsning ska verksamhetschefen ha kontrollerat hotbilden hos socialförvaltningen, kryssat i rutan, skrivit sitt namn och skrivit under.",
  CAREGIVER_NOT_APPROVED:
    "Vårdgivaren som angetts är inte godkänd att vidimera denna blankett. Kontakta Spärr- och loggservice.",
};

const MATCH =
  "Av sekretesskäl står inga namn eller personnummer i e-post. Jämför blankett, åtgärd och datum med er egen kopia av blanketten.";
const REPLY = "Svara inte på detta meddelande; kontakta Spärr- och loggservice och uppge ärendenumret om något är fel.";
const SIGNATURE_TEXT = ["Med vänlig hälsning", "Spärr- och loggservice, 1177 e-tjänster", "Västra Götalandsregionen"];
const SIGNATURE_HTML =
  "<p>Med vänlig hälsning<br>Spärr- och loggservice, 1177 e-tjänster<br>Västra Götalandsregionen</p>";
const HEAD = (subject: string) => [
  "<!doctype html>",
  `<html lang="sv"><head><meta charset="utf-8"><title>${subject}</title></head>`,
  '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; color: #1a1a1a">',
  "<p>Hej,</p>",
];
const row = (label: string, value: string) =>
  `<tr><td style="padding: 2px 12px 2px 0"><strong>${label}</strong></td><td>${value}</td></tr>`;

/** The guardians a 1177-VH confirmation concerns, by their place on the form (never by number or name). */
function guardiansText(count: number): string | null {
  if (count <= 0) return null;
  return count === 1 ? "vårdnadshavare 1 på blanketten" : "vårdnadshavare 1 och 2 på blanketten";
}

export function confirmationMail(m: {
  caseId: string;
  formCode: FormCode;
  action: Action | null;
  result: ConfirmedResult;
  guardians: number;
  receivedDate: string;
  /** YYYY-MM-DD: the day the action was carried out (the day SendMail recorded the mail). */
  date: string;
}): LiteralMail {
  const { subject: about, done } = CONFIRMED[m.result];
  const subject = `${about} – ärende ${m.caseId}`;
  const form = `${m.formCode} – ${FORM_TITLE[m.formCode]}`;
  const action = actionText(m.formCode, m.action);
  const scope = m.formCode === "1177-VH" ? guardiansText(m.guardians) : null;
  const text = [
    "Hej,",
    "",
    done,
    "",
    `Ärende: ${m.caseId}`,
    `Blankett: ${form}`,
    `Åtgärd: ${action}`,
    ...(scope ? [`Gäller: ${scope}`] : []),
    `Blanketten kom in: ${m.receivedDate}`,
    `Utfört: ${m.date}`,
    "",
    MATCH,
    "",
    REPLY,
    "",
    ...SIGNATURE_TEXT,
    "",
  ].join("\n");
  const html = [
    ...HEAD(subject),
    `<p>${done}</p>`,
    '<table style="border-collapse: collapse">',
    row("Ärende", m.caseId),
    row("Blankett", form),
    row("Åtgärd", action),
    ...(scope ? [row("Gäller", scope)] : []),
    row("Blanketten kom in", m.receivedDate),
    row("Utfört", m.date),
    "</table>",
    `<p>${MATCH}</p>`,
    `<p>${REPLY}</p>`,
    SIGNATURE_HTML,
    "</body></html>",
    "",
  ].join("\n");
  return { subject, text, html };
}

export function returnNoticeMail(m: {
  caseId: string;
  formCode: FormCode;
  action: Action | null;
  /** The RETURN reasons, in the order of the case. */
  reasons: string[];
  receivedDate: string;
}): LiteralMail {
  const subject = `Retur för komplettering: blankett ${m.formCode} – ärende ${m.caseId}`;
  const form = `${m.formCode} – ${FORM_TITLE[m.formCode]}`;
  const action = actionText(m.formCode, m.action);
  const fixes = m.reasons.map((r) => {
    const t = TO_FIX[r];
    if (!t) throw new Error(`no literal text for ${r}: add it to TO_FIX from the contract`);
    return t;
  });
  const intro = `Blanketten ${m.formCode} som kom in ${m.receivedDate} kan inte handläggas och returneras för komplettering.`;
  const close = `Skicka in en ny, komplett blankett. ${MATCH} Ange ärendenummer ${m.caseId} om ni kontaktar oss.`;
  const text = [
    "Hej,",
    "",
    intro,
    "",
    `Ärende: ${m.caseId}`,
    `Blankett: ${form}`,
    `Begärd åtgärd: ${action}`,
    "",
    "Det här behöver rättas:",
    "",
    ...fixes.map((f) => `- ${f}`),
    "",
    close,
    "",
    ...SIGNATURE_TEXT,
    "",
  ].join("\n");
  const html = [
    ...HEAD(subject),
    `<p>${intro}</p>`,
    '<table style="border-collapse: collapse">',
    row("Ärende", m.caseId),
    row("Blankett", form),
    row("Begärd åtgärd", action),
    "</table>",
    "<p>Det här behöver rättas:</p>",
    `<ul>${fixes.map((f) => `<li>${f}</li>`).join("")}</ul>`,
    `<p>${close}</p>`,
    SIGNATURE_HTML,
    "</body></html>",
    "",
  ].join("\n");
  return { subject, text, html };
}
