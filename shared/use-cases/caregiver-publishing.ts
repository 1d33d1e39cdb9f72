// Publishing the approved-caregivers list the way an admin can trust: parse (comma or Excel's semicolon CSV),
// preview the difference against the current list, publish only with an explicit confirmation of the previewed
// version, roll back to an earlier version, and a history that says what changed (names and organisation numbers).
// Every publication and rollback is audited.
import { z } from "zod";
import {
  type CaregiverDiff,
  type CaregiverRow,
  canonicalCaregiverCsv,
  diffCaregivers,
  parseCaregiverCsv,
} from "../domain/caregiver-csv.ts";
import { RegistryDataError, ValidationError } from "../domain/errors.ts";
import type { AuditLog } from "../ports/audit-log.ts";
import type { Clock } from "../ports/clock.ts";
import type { CaregiverListAdmin, CaregiverListChange, PublishResult } from "../ports/person-registry.ts";

/** Audit entries about the approved-caregivers list use this id in place of a case id. */
export const CAREGIVER_LIST_AUDIT_ID = "caregiver-list";

export const PreviewBodySchema = z.object({ csv: z.string().min(1).max(400_000) }).strict();
export const ConfirmBodySchema = z
  .object({
    csv: z.string().min(1).max(400_000),
    /** The version the preview showed as current (null: none); publishing refuses when it moved meanwhile. */
    expectedCurrentVersion: z.string().max(64).nullable(),
    confirm: z.literal(true),
  })
  .strict();
export const RollbackBodySchema = z
  .object({ version: z.string().regex(/^[0-9a-f]{6,64}$/), confirm: z.literal(true) })
  .strict();

export interface CaregiverDeps {
  caregivers: CaregiverListAdmin;
  audit: AuditLog;
  clock: Clock;
}

export interface CaregiverPreview {
  currentVersion: string | null;
  rows: CaregiverRow[];
  diff: CaregiverDiff;
  /** True when the content equals the current list (nothing would change). */
  unchanged: boolean;
}

/** Bad input is a ValidationError with the parser's Swedish message (line and column). */
function parse(csv: string): CaregiverRow[] {
  try {
    return parseCaregiverCsv(csv);
  } catch (e) {
    if (e instanceof RegistryDataError) throw new ValidationError(e.message);
    throw e;
  }
}

async function currentRows(deps: CaregiverDeps): Promise<{ version: string | null; rows: CaregiverRow[] }> {
  const current = await deps.caregivers.current().catch((e: unknown) => {
    if (e instanceof RegistryDataError) return null; // nothing published yet
    throw e;
  });
  if (!current) return { version: null, rows: [] };
  const rows = await deps.caregivers.rows(current.version);
  return { version: current.version, rows: rows ?? current.names.map((name) => ({ name, organisationNumber: "" })) };
}

export async function previewCaregiverList(input: { csv: string }, deps: CaregiverDeps): Promise<CaregiverPreview> {
  const rows = parse(input.csv);
  const current = await currentRows(deps);
  return {
    currentVersion: current.version,
    rows,
    diff: diffCaregivers(current.rows, rows),
    unchanged: canonicalCaregiverCsv(rows) === canonicalCaregiverCsv(current.rows),
  };
}

const summary = (d: CaregiverDiff) =>
  `${d.added.length} tillagda, ${d.removed.length} borttagna, ${d.changed.length} ändrade`;

export async function publishCaregiverList(
  input: z.infer<typeof ConfirmBodySchema> & { user: string },
  deps: CaregiverDeps,
): Promise<PublishResult & { diff: CaregiverDiff }> {
  const preview = await previewCaregiverList(input, deps);
  if (preview.currentVersion !== input.expectedCurrentVersion) {
    throw new ValidationError("Listan har ändrats sedan förhandsgranskningen. Förhandsgranska igen.");
  }
  const result = await deps.caregivers.publish(canonicalCaregiverCsv(preview.rows), input.user);
  if (result.changed) {
    await deps.audit.append({
      at: deps.clock.now().toISOString(),
      user: input.user,
      caseId: CAREGIVER_LIST_AUDIT_ID,
      action: "PUBLISH_CAREGIVER_LIST",
      detail: `version ${result.version}: ${summary(preview.diff)}`,
    });
  }
  return { ...result, diff: preview.diff };
}

export async function rollbackCaregiverList(
  input: { version: string; user: string },
  deps: CaregiverDeps,
): Promise<PublishResult & { diff: CaregiverDiff }> {
  const target = await deps.caregivers.rows(input.version);
  if (!target) throw new ValidationError(`Version ${input.version} finns inte.`);
  const current = await currentRows(deps);
  const diff = diffCaregivers(current.rows, target);
  const result = await deps.caregivers.rollback(input.version, input.user);
  if (result.changed) {
    await deps.audit.append({
      at: deps.clock.now().toISOString(),
      user: input.user,
      caseId: CAREGIVER_LIST_AUDIT_ID,
      action: "ROLLBACK_CAREGIVER_LIST",
      detail: `till version ${input.version}: ${summary(diff)}`,
    });
  }
  return { ...result, diff };
}

export interface CaregiverHistoryItem extends CaregiverListChange {
  /** What this change did to the list before it (the first publication: everything added). */
  diff: CaregiverDiff;
  /** A later change made an earlier version current again (its history entry then says rollback). */
  rollback: boolean;
}

export async function caregiverOverview(deps: CaregiverDeps): Promise<{
  current: { version: string | null; rows: CaregiverRow[] };
  history: CaregiverHistoryItem[];
}> {
  const [current, history] = await Promise.all([currentRows(deps), deps.caregivers.history()]);
  const cache = new Map<string, Promise<CaregiverRow[]>>();
  const rowsOf = (v: string | null) => {
    if (v === null) return Promise.resolve([]);
    let p = cache.get(v);
    if (!p) {
      p = deps.caregivers.rows(v).then((r) => r ?? []);
      cache.set(v, p);
    }
    return p;
  };
  const items = await Promise.all(
    history.map(async (h, i) => ({
      ...h,
      diff: diffCaregivers(await rowsOf(h.previousVersion), await rowsOf(h.version)),
      // Published before (an older entry has this version): this change went back to it.
      rollback: history.slice(i + 1).some((older) => older.version === h.version),
    })),
  );
  return { current, history: items };
}
