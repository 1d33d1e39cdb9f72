// Builders and in-memory port doubles for the routine tests (no network).
import { inflateSync } from "node:zlib";
import type { CaseRecord } from "../../../shared/domain/case.ts";
import type { Action, Decision, FieldReading, FormCode, ReasonCode } from "../../../shared/domain/forms.ts";
import type { AccountResult, AccountService, AccountStatus } from "../../../shared/ports/account-service.ts";
import type { Clock } from "../../../shared/ports/clock.ts";
import type { Mailer, OutgoingMail } from "../../../shared/ports/mailer.ts";
import type { StaffDirectory, StaffMember } from "../../../shared/ports/staff-directory.ts";
import { ADULT, CHILD, GUARDIAN_1, GUARDIAN_2 } from "../../fixtures/routine/people.ts";
import { fixedClock as clockAt } from "../../support/fakes.ts";

export const fixedClock = (iso = "2025-03-20T09:30:00.000Z"): Clock => clockAt(iso);
export { MemoryScanStore } from "../../support/fakes.ts";

function read(values: Record<string, string | boolean>): Record<string, FieldReading> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, confidence: 0.98 }]));
}

export interface CaseOptions {
  caseId?: string;
  formCode?: FormCode;
  action?: Action;
  decision?: Decision;
  reasons?: ReasonCode[];
  fields?: Record<string, string | boolean>;
  corrections?: Record<string, string | boolean>;
  protectedIdentity?: boolean;
  status?: CaseRecord["status"];
}

const BASE_FIELDS: Record<FormCode, Record<string, string | boolean>> = {
  "1177-EGEN": {
    "action.lock": true,
    "action.unlock": false,
    "citizen.personnummer": ADULT.pnr,
    "citizen.givenName": ADULT.given,
    "citizen.surname": ADULT.surname,
    "citizen.email": "linnea@example.org",
    "citizen.signed": true,
    "verifier.name": "Anna Johansson",
    "verifier.unit": "Vårdcentralen Hisingen",
    "verifier.caregiver": "Västra Götalandsregionen",
    "verifier.email": "vc.hisingen@example.org",
    "verifier.signed": true,
  },
  "1177-VG": {
    "action.lock": true,
    "action.unlock": false,
    "citizen.personnummer": ADULT.pnr,
    "citizen.givenName": ADULT.given,
    "citizen.surname": ADULT.surname,
    "requester.name": "Per Holm",
    "requester.unit": "Psykiatrimottagning Väst",
    "requester.caregiver": "Västra Götalandsregionen",
    "requester.email": "psyk.vast@example.org",
    "requester.email2": "",
    "requester.signed": true,
  },
  "1177-VH": {
    "action.block": true,
    "action.unblock": false,
    "child.personnummer": CHILD.pnr,
    "child.givenName": CHILD.given,
    "child.surname": CHILD.surname,
    "guardian1.personnummer": GUARDIAN_1.pnr,
    "guardian1.name": GUARDIAN_1.name,
    "guardian2.personnummer": "",
    "guardian2.name": "",
    "requester.name": "Eva Lind",
    "requester.unit": "BUP Centrum",
    "requester.caregiver": "Västra Götalandsregionen",
    "requester.email": "bup@example.org",
    "requester.email2": "",
    "requester.signed": true,
  },
};

export function makeCase(o: CaseOptions = {}): CaseRecord {
  const formCode = o.formCode ?? "1177-EGEN";
  const fields = { ...BASE_FIELDS[formCode], ...(o.fields ?? {}) };
  const action = o.action ?? (formCode === "1177-VH" ? "BLOCK" : "LOCK");
  const subjectField = formCode === "1177-VH" ? "child.personnummer" : "citizen.personnummer";
  const subject = String(o.corrections?.[subjectField] ?? fields[subjectField] ?? "");
  const record: CaseRecord = {
    caseId: o.caseId ?? "C-2025-0001",
    version: 3,
    status: o.status ?? "READ",
    scan: { bucket: "scans", key: "incoming/scan-1.png", fileName: "scan-1.png" },
    receivedAt: "2025-03-18T08:00:00.000Z",
    receivedDate: "2025-03-18",
    formCode,
    formVersion: "v1",
    action,
    fields: read(fields),
    corrections: o.corrections ?? {},
    decision: o.decision ?? "EXECUTE",
    reasons: o.reasons ?? [],
    subjectPersonnummer: subject,
    registry: {
      found: true,
      protectedIdentity: o.protectedIdentity ?? false,
      nameMatches: true,
      checkedAt: "2025-03-18T08:01:00.000Z",
    },
    history: [{ at: "2025-03-18T08:00:00.000Z", by: "RegisterCase", what: "status → RECEIVED" }],
    createdAt: "2025-03-18T08:00:00.000Z",
    updatedAt: "2025-03-18T08:01:00.000Z",
  };
  return record;
}

export { GUARDIAN_2 };

/** An in-memory account service that records every call, with the real service's idempotent answers. */
export class RecordingAccountService implements AccountService {
  readonly calls: string[] = [];
  private readonly locked = new Set<string>();
  private readonly blocked = new Map<string, Set<string>>();
  constructor(private readonly manual = false) {}

  async lock(pnr: string, caseId: string): Promise<AccountResult> {
    this.calls.push(`lock ${pnr} ${caseId}`);
    if (this.manual) return "MANUAL_PENDING";
    if (this.locked.has(pnr)) return "ALREADY_LOCKED";
    this.locked.add(pnr);
    return "LOCKED";
  }
  async unlock(pnr: string, caseId: string): Promise<AccountResult> {
    this.calls.push(`unlock ${pnr} ${caseId}`);
    if (this.manual) return "MANUAL_PENDING";
    return this.locked.delete(pnr) ? "UNLOCKED" : "ALREADY_UNLOCKED";
  }
  async blockGuardian(child: string, guardian: string, caseId: string): Promise<AccountResult> {
    this.calls.push(`block ${child} ${guardian} ${caseId}`);
    if (this.manual) return "MANUAL_PENDING";
    const set = this.blocked.get(child) ?? new Set<string>();
    this.blocked.set(child, set);
    if (set.has(guardian)) return "ALREADY_BLOCKED";
    set.add(guardian);
    return "BLOCKED";
  }
  async unblockGuardian(child: string, guardian: string, caseId: string): Promise<AccountResult> {
    this.calls.push(`unblock ${child} ${guardian} ${caseId}`);
    if (this.manual) return "MANUAL_PENDING";
    return this.blocked.get(child)?.delete(guardian) ? "UNBLOCKED" : "ALREADY_UNBLOCKED";
  }
  async status(pnr: string): Promise<AccountStatus> {
    return { personnummer: pnr, locked: this.locked.has(pnr), blockedGuardians: [...(this.blocked.get(pnr) ?? [])] };
  }
}

export class RecordingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    this.sent.push(mail);
    return { messageId: `msg-${this.sent.length}` };
  }
}

/** A staff directory in memory (the real adapters are CSV and HTTP); looks up like the port says. */
export class MemoryStaffDirectory implements StaffDirectory {
  readonly lookups: string[] = [];
  constructor(private readonly members: StaffMember[]) {}
  async findByVgrId(vgrId: string): Promise<StaffMember | null> {
    this.lookups.push(vgrId);
    const key = vgrId.replace(/\s+/g, "").toLowerCase();
    const m = this.members.find((x) => x.vgrId.toLowerCase() === key);
    return m ? { ...m } : null;
  }
}

/** No full personnummer (12 or 10 digits, with or without a hyphen) anywhere in the text. */
export function fullPnrs(text: string): string[] {
  return text.match(/(?<!\d)(\d{8}|\d{6})[-+]?\d{4}(?!\d)/g) ?? [];
}

/**
 * The text drawn in a pdf-lib PDF: inflates the content streams and decodes the hex strings of the Tj
 * operators (pdf-lib writes standard-font text as WinAnsi hex). Lines joined with "\n".
 */
export function pdfText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes);
  const raw = buf.toString("latin1");
  const lines: string[] = [];
  const re = /stream\r?\n/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf("endstream", start);
    if (end < 0) break;
    let content: string;
    try {
      content = inflateSync(buf.subarray(start, end)).toString("latin1");
    } catch {
      content = raw.slice(start, end);
    }
    for (const t of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) lines.push(winAnsi(Buffer.from(t[1] ?? "", "hex")));
    re.lastIndex = end;
  }
  return lines.join("\n");
}

/** The text drawn in a pdf-lib PDF with its position: x and top in millimetres from the page's top-left corner. */
export function pdfTextAt(bytes: Uint8Array, pageHeightPt = 841.89): Array<{ text: string; x: number; top: number }> {
  const buf = Buffer.from(bytes);
  const raw = buf.toString("latin1");
  const out: Array<{ text: string; x: number; top: number }> = [];
  const mm = 25.4 / 72;
  const re = /stream\r?\n/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf("endstream", start);
    if (end < 0) break;
    let content: string;
    try {
      content = inflateSync(buf.subarray(start, end)).toString("latin1");
    } catch {
      content = raw.slice(start, end);
    }
    for (const t of content.matchAll(/1 0 0 1 ([\d.-]+) ([\d.-]+) Tm\s*<([0-9A-Fa-f]*)>\s*Tj/g)) {
      const x = Number(t[1]) * mm;
      const top = (pageHeightPt - Number(t[2])) * mm;
      out.push({ text: winAnsi(Buffer.from(t[3] ?? "", "hex")), x, top });
    }
    re.lastIndex = end;
  }
  return out;
}

const WIN_ANSI_HIGH: Record<number, string> = { 128: "€", 145: "‘", 146: "’", 147: "“", 148: "”", 150: "–", 151: "—" };

function winAnsi(bytes: Buffer): string {
  return [...bytes].map((b) => WIN_ANSI_HIGH[b] ?? String.fromCharCode(b)).join("");
}
