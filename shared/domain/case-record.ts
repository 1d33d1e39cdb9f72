// The case record's rules in one place, pure: how a change becomes the next version (`transition`), the value of a
// field as the case now has it (a handler's correction wins over the reading), whose personnummer the case is
// about, and whether a handler may edit it. Use cases keep the I/O (load, save, save-on-latest).
import type { CaseRecord, CaseStatus, HistoryEntry } from "./case.ts";
import { FORM_ROLES, type FormCode } from "./forms.ts";

export interface TransitionOptions {
  /** When (a Date, or an ISO time already taken from the clock). */
  at: Date | string;
  /** Step name ("ReadForm") or a user id ("user:anna"). */
  by: string;
  /**
   * Human-readable, never personal data. One text: one entry, written "status A → B: text" when the status changes.
   * A list: a "status A → B" entry of its own when the status changes, then one entry per text (none for []); an
   * item with its own `by` is written in that name (a handler's step inside a pipeline change).
   */
  what: string | ReadonlyArray<string | { by: string; what: string }>;
  /** false: the texts as given, no word about the status (the status may still change). Default true. */
  mentionStatus?: boolean;
  /** The display name of the person `by` names (from their sign-in), kept on their entries. */
  name?: string | undefined;
}

/**
 * The next version of `record`: `changes` applied (fields to set, or a function that edits a private copy — the
 * way to remove a field), history entries appended, version bumped (CaseStore.put's optimistic lock expects the
 * stored version to be record.version - 1), `updatedAt` set.
 */
export function transition(
  record: CaseRecord,
  changes: Partial<CaseRecord> | ((draft: CaseRecord) => void),
  options: TransitionOptions,
): CaseRecord {
  const at = typeof options.at === "string" ? options.at : options.at.toISOString();
  let next: CaseRecord;
  if (typeof changes === "function") {
    next = structuredClone(record);
    changes(next);
  } else {
    next = { ...record, ...changes };
  }
  const entries = historyEntries(record.status, next.status, at, options);
  return {
    ...next,
    caseId: record.caseId,
    version: record.version + 1,
    history: [...record.history, ...entries],
    updatedAt: at,
  };
}

function historyEntries(from: CaseStatus, to: CaseStatus, at: string, options: TransitionOptions): HistoryEntry[] {
  const by = options.by;
  const named = options.name ? { name: options.name } : {};
  const moved = from !== to && options.mentionStatus !== false;
  const status = `status ${from} → ${to}`;
  if (typeof options.what === "string") {
    const what = moved ? `${status}${options.what ? `: ${options.what}` : ""}` : options.what;
    return [{ at, by, what, ...named }];
  }
  const items = [...(moved ? [status] : []), ...options.what];
  return items.map((item) =>
    typeof item === "string" ? { at, by, what: item, ...named } : { at, by: item.by, what: item.what },
  );
}

/** The people named in a case's history: user id ("anna") → display name, the latest name winning. */
export function namesInHistory(history: readonly HistoryEntry[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const h of history) if (h.name && h.by.startsWith("user:")) names[h.by.slice(5)] = h.name;
  return names;
}

/** A field's effective value: a handler's correction wins over the value read from the scan. */
export function effectiveValue(record: Pick<CaseRecord, "corrections" | "fields">, field: string) {
  if (Object.hasOwn(record.corrections, field)) return record.corrections[field];
  return record.fields[field]?.value;
}

/** The effective value as trimmed text ("" when none, or not text). */
export function effectiveText(record: Pick<CaseRecord, "corrections" | "fields">, field: string): string {
  const v = effectiveValue(record, field);
  return typeof v === "string" ? v.trim() : "";
}

/** Digits only: a personnummer as written may carry a hyphen or spaces. */
export function effectivePersonnummer(record: Pick<CaseRecord, "corrections" | "fields">, field: string): string {
  return effectiveText(record, field).replace(/\D/g, "");
}

/** The field holding the personnummer the case is about: the form's subject ("citizen.…" / "child.…"). */
export function subjectField(formCode: FormCode): string {
  return `${FORM_ROLES[formCode].subject}.personnummer`;
}

/** The guardians written on a 1177-VH form: guardian1 always, guardian2 only when written. */
export function writtenGuardians(
  record: Pick<CaseRecord, "corrections" | "fields">,
): Array<{ slot: "guardian1" | "guardian2"; personnummer: string }> {
  const out: Array<{ slot: "guardian1" | "guardian2"; personnummer: string }> = [];
  for (const slot of ["guardian1", "guardian2"] as const) {
    const pnr = effectivePersonnummer(record, `${slot}.personnummer`);
    if (pnr) out.push({ slot, personnummer: pnr });
  }
  return out;
}

type EditFacts = Pick<CaseRecord, "status" | "handlerDecision" | "claimedBy">;

/**
 * A handler may change the case in this status: it failed, or it is parked for review and not on its way back to
 * the sender (a RETURN already decided). A case parked again after an approval that did not suffice is open again.
 */
export function inEditableState(record: Pick<CaseRecord, "status" | "handlerDecision">): boolean {
  return record.status === "FAILED" || (record.status === "IN_REVIEW" && record.handlerDecision?.decision !== "RETURN");
}

/** Nobody holds the claim, or `actor` ("user:anna") does. */
export function claimAllows(record: Pick<CaseRecord, "claimedBy">, actor: string): boolean {
  return record.claimedBy === undefined || record.claimedBy === actor;
}

/** Can the handler `actor` ("user:anna", as on the case's claim) edit this case now: the page and the server ask this. */
export function handlerCanEdit(record: EditFacts, actor: string): boolean {
  return inEditableState(record) && claimAllows(record, actor);
}
