// Swedish for people: the machine writes its history in English (it is also the developers' log); the case page and
// the archived summary translate it when they show it, with times in Europe/Stockholm and people by name, never a
// dotted field name. Pure (no I/O). The words come from a vocabulary: the case page passes its own labels (web/),
// the summary PDF the default one below.

/** The words a translation uses: statuses, reasons, field labels and actions in Swedish. */
export interface Vocabulary {
  /** Swedish for a case status, or undefined when `code` is none. */
  status(code: string): string | undefined;
  /** Swedish for a reason code, or undefined when `code` is none. */
  reason(code: string): string | undefined;
  /** The Swedish label of a dotted field name, or undefined. */
  field(name: string): string | undefined;
  /** Swedish for an action (LOCK …), or undefined. */
  action(code: string): string | undefined;
}

/** Case statuses in Swedish: the one list (web/texts.ts STATUS_TEXTS is this list). */
export const STATUS_SV: Record<string, string> = {
  RECEIVED: "Mottagen",
  READ: "Inläst",
  IN_REVIEW: "Väntar på handläggare",
  AWAITING_SECOND_APPROVAL: "Väntar på andra handläggare",
  APPROVED: "Godkänd – körs",
  EXECUTING: "Utförs",
  AWAITING_MANUAL_EXECUTION: "Väntar på manuell åtgärd",
  EXECUTED: "Utförd",
  RETURNED: "Returnerad",
  CLOSED: "Avslutad",
  FAILED: "Fel",
};

export const ACTION_SV: Record<string, string> = {
  LOCK: "Låsning",
  UNLOCK: "Upplåsning",
  BLOCK: "Blockering",
  UNBLOCK: "Häva blockering",
};

const STOCKHOLM = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Stockholm",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

/** "2025-03-24 10:15" in Stockholm time (sv-SE); the input unchanged when it is no time. */
export function localTime(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return STOCKHOLM.format(d).replace(",", "");
}

/** The pipeline's steps by name. */
const STEPS: Record<string, string> = {
  RegisterCase: "Registrering",
  ReadForm: "Inläsning",
  ValidateCase: "Kontroll",
  ExecuteAction: "Åtgärd",
  SendMail: "Utskick",
  ArchiveScan: "Arkivering",
  ParkForReview: "Till handläggare",
  MarkFailed: "Felhantering",
  MailRoom: "Postöppning",
};

/** A person's display name by user id (the user directory the caller knows), or undefined. */
export type NameLookup = (userId: string) => string | undefined;

/** Actors that are the system itself, not a person. */
const SYSTEM_NAMES: Record<string, string> = { system: "Systemet", pipeline: "Systemet" };

/**
 * "user:anna" → "Anna Handläggare" (from `lookup`); a pipeline step → its Swedish name; the system → "Systemet";
 * else as it is, without the "user:" prefix. One function for the pages, the audit log and the summary PDF.
 */
export function personName(by: string | null | undefined, lookup?: NameLookup): string {
  if (!by) return "";
  if (by.startsWith("user:")) {
    const id = by.slice(5);
    return lookup?.(id) ?? id;
  }
  return STEPS[by] ?? lookup?.(by) ?? SYSTEM_NAMES[by] ?? by;
}

export const DECISIONS: Record<string, string> = {
  EXECUTE: "Utförs",
  RETURN: "Returneras",
  REVIEW: "Till handläggare",
  APPROVE: "Godkänd",
  CLOSE: "Avslutad",
  REJECT: "Avslagen",
};

export const PHONE_OUTCOMES: Record<string, string> = {
  VERIFIED: "Verifierad",
  NOT_VERIFIED: "Ej verifierad",
  NO_ANSWER: "Inget svar",
};

/** Results of the account service (shared/ports/account-service.ts). */
export const RESULTS: Record<string, string> = {
  LOCKED: "låst",
  ALREADY_LOCKED: "redan låst",
  UNLOCKED: "upplåst",
  ALREADY_UNLOCKED: "redan upplåst",
  BLOCKED: "blockerad",
  ALREADY_BLOCKED: "redan blockerad",
  UNBLOCKED: "blockering hävd",
  ALREADY_UNBLOCKED: "inte blockerad",
  MANUAL_PENDING: "väntar på manuell åtgärd",
  NO_BLOCK_NEEDED: "ingen blockering behövs",
};

const CODE = /\b[A-Z][A-Z_]{2,}\b/g;
const DOTTED = /\b[a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)+\b/g;

/** Codes and dotted names inside a text: statuses, reasons, decisions, actions and field names in Swedish. */
function swedishTerms(text: string, v: Vocabulary): string {
  return text
    .replace(DOTTED, (m) => {
      const label = v.field(m);
      return label ? `”${label}”` : m;
    })
    .replace(CODE, (m) => {
      const status = v.status(m);
      if (status) return status.toLowerCase();
      if (DECISIONS[m]) return (DECISIONS[m] ?? m).toLowerCase();
      const action = v.action(m);
      if (action) return action.toLowerCase();
      if (PHONE_OUTCOMES[m]) return (PHONE_OUTCOMES[m] ?? m).toLowerCase();
      if (RESULTS[m]) return RESULTS[m] ?? m;
      const r = v.reason(m);
      return r ? r.toLowerCase() : m;
    });
}

type Rule = [RegExp, (m: RegExpMatchArray) => string];

function rules(v: Vocabulary): Rule[] {
  const statusText = (c: string | undefined) => v.status(c ?? "") ?? c ?? "";
  const act = (c: string | undefined) => (v.action(c ?? "") ?? "").toLowerCase();
  const labels = (list: string) =>
    list
      .split(",")
      .map((n) => v.field(n.trim()) ?? n.trim())
      .join(", ");
  return [
    [/^status (\w+) → (\w+)$/, (m) => `Status: ${statusText(m[1])} → ${statusText(m[2])}`],
    [/^status → (\w+)$/, (m) => `Status: ${statusText(m[1])}`],
    [/^registered from scan \(receipt date ([\d-]+)\)$/, (m) => `Registrerad från skanning (inkom ${m[1]})`],
    [/^registered/, () => "Registrerad"],
    [
      /^read with ([^:]+): form ([^,]+), (\d+) fields, (.*)$/,
      (m) =>
        `Inläst (${m[1]}): blankett ${m[2] === "not recognised" ? "okänd" : m[2]}, ${m[3]} fält, ${(m[4] ?? "")
          .replace("no form page", "ingen blankettsida")
          .replace(/page (\d+) of (\d+)/, "sida $1 av $2")
          .replace("lowest confidence", "lägsta säkerhet")}`,
    ],
    [/^validated: (\w+)(?: \(([^)]*)\))?(?:; (.*))?$/, (m) => validatedText(m, v)],
    [/^claimed$/, () => "Tog ärendet"],
    [/^released$/, () => "Släppte ärendet"],
    [/^fields corrected: (.*)$/, (m) => `Rättade fält: ${labels(m[1] ?? "")}`],
    [/^decision (\w+)$/, (m) => `Beslut: ${DECISIONS[m[1] ?? ""] ?? m[1]}`],
    [/^approval proposed/, () => "Föreslog godkännande (två handläggare krävs)"],
    [/^second approval by (\S+) of (\S+)'s proposal$/, () => "Godkände förslaget som andra handläggare"],
    [/^proposal of (\S+) rejected$/, () => "Avslog förslaget"],
    [/^proposal withdrawn by its proposer$/, () => "Drog tillbaka sitt förslag"],
    [/^phone verification: (\w+)$/, (m) => `Telefonsamtal: ${PHONE_OUTCOMES[m[1] ?? ""] ?? m[1]}`],
    [/^unreadable scan, parked for a handler$/, () => "Filen kunde inte läsas – till handläggare"],
    [/^parked for review/, () => "Parkerad för handläggare"],
    [/^archived \(retention (\d+) days, until ([\d-]+)\)$/, (m) => `Arkiverad (gallras efter ${m[1]} dagar, ${m[2]})`],
    [/^original removed from incoming/, () => "Originalfilen flyttad till arkivet"],
    [
      /^(CONFIRMATION|RETURN_NOTICE) e-mail to (\d+) recipient/,
      (m) => `${mailKind(m[1])} skickad med e-post till ${m[2]} mottagare`,
    ],
    [/^(CONFIRMATION|RETURN_NOTICE) letter/, (m) => `${mailKind(m[1])} skrevs som brev`],
    [/^manual execution of (\w+) confirmed$/, (m) => `Manuell ${act(m[1])} bekräftad`],
    [/^manual mode: (\w+) waits/, (m) => `Manuellt läge: ${act(m[1])} väntar på handläggare`],
    [/^account action (\w+): (\w+)$/, (m) => `Kontoåtgärd ${act(m[1])}: ${RESULTS[m[2] ?? ""] ?? m[2]}`],
    [/^failed with (.*)$/, (m) => `Fel i flödet (${m[1]})`],
    [/^form entered by hand: (\S+)$/, (m) => `Blanketten registrerad för hand (${m[1]})`],
    [/^urgent case created by hand/, () => "Brådskande ärende skapat för hand"],
    [/^linked to (?:urgent|scanned)? ?case (\S+)$/, (m) => `Kopplat till ärende ${m[1]}`],
  ];
}

function mailKind(kind: string | undefined): string {
  return kind === "CONFIRMATION" ? "Bekräftelse" : "Returbesked";
}

/** ValidateCase's "why" after a handler's decision. */
const WHY: Array<[RegExp, string]> = [
  [/^four eyes required for every release$/, "regionen kräver två handläggare"],
  [/^handler approval needs a second handler \(four eyes\)$/, "godkännandet kräver en andra handläggare"],
  [/^handler approval not applicable/, "godkännandet gäller inte: personen kunde inte identifieras"],
  [/^approved by /, "godkänd av handläggare"],
  [/^returned by /, "returnerad av handläggare"],
];

function whyText(why: string, v: Vocabulary): string {
  for (const [re, text] of WHY) if (re.test(why)) return text;
  return swedishTerms(why, v);
}

function validatedText(m: RegExpMatchArray, v: Vocabulary): string {
  const decision = DECISIONS[m[1] ?? ""] ?? m[1];
  const reasons = m[2]
    ? ` (${m[2]
        .split(", ")
        .map((r) => v.reason(r) ?? r)
        .join(", ")})`
    : "";
  const why = m[3] ? `; ${whyText(m[3], v)}` : "";
  return `Kontrollerad: ${String(decision).toLowerCase()}${reasons}${why}`;
}

/** One history entry's text in Swedish: a known phrase translated, otherwise its codes and field names. */
/** Statuses and actions in Swedish; reasons and fields left as they are (the summary's default). */
export const DEFAULT_VOCABULARY: Vocabulary = {
  status: (c) => STATUS_SV[c],
  reason: () => undefined,
  field: () => undefined,
  action: (c) => ACTION_SV[c],
};

/** One history entry's text in Swedish: a known phrase translated, otherwise its codes and field names. */
export function historyText(what: string, v: Vocabulary = DEFAULT_VOCABULARY): string {
  for (const [re, f] of rules(v)) {
    const m = what.match(re);
    if (m) return f(m);
  }
  return swedishTerms(what, v);
}
