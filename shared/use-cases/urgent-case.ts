// Urgent cases (e.g. 1177-VG "Brådskande": the contact centre was called): a handler creates the case by
// hand before the paper form arrives, and decides it like any parked case. When the form arrives later,
// its scanned case is linked to the urgent one (both sides record the link).
// No paper vouches for an urgent case: lifting a protection (UNLOCK/UNBLOCK) needs a second handler's approval
// (shared/domain/four-eyes.ts); a protective LOCK/BLOCK runs on one handler's word and is marked for follow-up
// until the paper arrives and is linked.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import { actorId } from "../auth/principal.ts";
import type { CaseRecord } from "../domain/case.ts";
import { CaseVersionConflictError, InvalidCaseStateError, ValidationError } from "../domain/errors.ts";
import { ACTION_BOXES, ACTIONS, type FieldReading, FORM_CODES } from "../domain/forms.ts";
import { needsPaperFollowUp } from "../domain/four-eyes.ts";
import { subjectPersonnummerField } from "./case-detail.ts";
import { commitChange, loadCase, type ReviewDeps } from "./claim-case.ts";
import { FieldNameSchema } from "./correct-fields.ts";

const DateSchema = z.iso.date();

export const UrgentCaseBodySchema = z
  .object({
    formCode: z.enum(FORM_CODES),
    action: z.enum(ACTIONS),
    receivedDate: DateSchema.optional(),
    fields: z.record(FieldNameSchema, z.union([z.string().max(500), z.boolean()])),
    note: z.string().trim().min(1).max(2000),
  })
  .strict();
export type UrgentCaseBody = z.infer<typeof UrgentCaseBodySchema>;

export const LinkBodySchema = z
  .object({ scanCaseId: z.string().min(1).max(128), version: z.number().int().nonnegative().optional() })
  .strict();
export type LinkBody = z.infer<typeof LinkBodySchema>;

/** Today's date in Sweden (the mail room's and the handlers' calendar). */
export function swedishDate(d: Date): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm" }).format(d);
}

export async function createUrgentCase(
  input: UrgentCaseBody & { user: Principal },
  deps: ReviewDeps & { newId?: () => string },
): Promise<CaseRecord> {
  if (!ACTION_BOXES[input.formCode].some((b) => b.action === input.action)) {
    throw new ValidationError(`action ${input.action} does not exist on ${input.formCode}`);
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const receivedDate = input.receivedDate ?? swedishDate(now);
  const caseId = deps.newId?.() ?? `urgent-${receivedDate}-${randomUUID().slice(0, 8)}`;
  const fields: Record<string, FieldReading> = {};
  for (const [name, value] of Object.entries(input.fields)) {
    const v = typeof value === "string" && name.endsWith("personnummer") ? value.replace(/[\s-]/g, "") : value;
    fields[name] = { value: v, confidence: 1 };
  }
  for (const box of ACTION_BOXES[input.formCode]) {
    fields[box.field] = { value: box.action === input.action, confidence: 1 };
  }
  const subjectField = subjectPersonnummerField(input.formCode);
  const subject = subjectField ? fields[subjectField]?.value : undefined;
  const by = actorId(input.user);
  const record: CaseRecord = {
    caseId,
    version: 1,
    status: "IN_REVIEW",
    receivedAt: at,
    receivedDate,
    formCode: input.formCode,
    formVersion: "v1",
    action: input.action,
    fields,
    corrections: {},
    decision: "REVIEW",
    reasons: [],
    ...(typeof subject === "string" && subject ? { subjectPersonnummer: subject } : {}),
    manual: true,
    ...(needsPaperFollowUp({ action: input.action, reasons: [], manual: true })
      ? { followUp: { what: "AWAITING_PAPER" as const, since: at } }
      : {}),
    claimedBy: by,
    history: [{ at, by, what: `urgent case created by hand: ${input.note}` }],
    createdAt: at,
    updatedAt: at,
  };
  if (!(await deps.cases.create(record))) throw new InvalidCaseStateError(`case ${caseId} exists already`);
  await deps.audit.append({ at, user: by, caseId, action: "CREATE_URGENT" });
  return record;
}

/** Links the scanned case of the paper form that arrived later to the urgent case `caseId`. */
export async function linkScanCase(
  input: LinkBody & { caseId: string; user: Principal },
  deps: ReviewDeps,
): Promise<{ urgent: CaseRecord; scanned: CaseRecord }> {
  const urgent = await loadCase(deps.cases, input.caseId);
  if (!urgent.manual) throw new InvalidCaseStateError(`case ${urgent.caseId} is not an urgent hand-made case`);
  if (input.version !== undefined && input.version !== urgent.version) {
    throw new CaseVersionConflictError(`case ${urgent.caseId} is at version ${urgent.version}`);
  }
  const scanned = await loadCase(deps.cases, input.scanCaseId);
  if (!scanned.scan) throw new ValidationError(`case ${scanned.caseId} has no scan`);
  if (scanned.links?.urgentCaseId && scanned.links.urgentCaseId !== urgent.caseId) {
    throw new InvalidCaseStateError(`case ${scanned.caseId} is linked to another urgent case`);
  }
  const what = `linked to scanned case ${scanned.caseId}${urgent.followUp ? "; follow-up done: the paper arrived" : ""}`;
  const savedUrgent = await commitChange(deps, urgent, input.user, what, (d) => {
    d.links = { ...d.links, scanCaseId: scanned.caseId };
    delete d.followUp;
  });
  const savedScan = await commitChange(deps, scanned, input.user, `linked to urgent case ${urgent.caseId}`, (d) => {
    d.links = { ...d.links, urgentCaseId: urgent.caseId };
  });
  await deps.audit.append({
    at: savedUrgent.updatedAt,
    user: actorId(input.user),
    caseId: urgent.caseId,
    action: "LINK_SCAN",
    detail: scanned.caseId,
  });
  return { urgent: savedUrgent, scanned: savedScan };
}
