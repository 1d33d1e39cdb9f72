// The admins' view of the audit log: filter by user, case, action and a date range (Swedish calendar days), newest
// first. Without a user or case the range is read over all entries (at most MAX_RANGE_DAYS days).
import { z } from "zod";
import { ValidationError } from "../domain/errors.ts";
import type { AuditEntry, AuditLog } from "../ports/audit-log.ts";
import type { Clock } from "../ports/clock.ts";
import { swedishDate } from "./urgent-case.ts";

export const MAX_RANGE_DAYS = 93;
export const DEFAULT_RANGE_DAYS = 7;
export const MAX_ROWS = 5000;

const Empty = z.literal("").transform(() => undefined);
export const AuditViewQuerySchema = z.object({
  user: z.string().trim().max(100).optional().or(Empty),
  caseId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:/-]{1,300}$/)
    .optional()
    .or(Empty),
  action: z
    .string()
    .regex(/^[A-Z_]{2,60}$/)
    .optional()
    .or(Empty),
  from: z.iso.date().optional().or(Empty),
  to: z.iso.date().optional().or(Empty),
});
export type AuditViewQuery = z.infer<typeof AuditViewQuerySchema>;

export interface AuditView {
  filter: {
    user?: string | undefined;
    caseId?: string | undefined;
    action?: string | undefined;
    from: string;
    to: string;
  };
  entries: AuditEntry[];
  truncated: boolean;
}

const DAY = 24 * 3600 * 1000;
const addDays = (date: string, n: number) => new Date(Date.parse(date) + n * DAY).toISOString().slice(0, 10);

/** "anna" and "user:anna" both mean the person anna; other actors (the pipeline's steps) as given. */
export function actorFilter(user: string): string {
  return user.includes(":") ? user : `user:${user}`;
}

export async function queryAuditLog(q: AuditViewQuery, deps: { audit: AuditLog; clock: Clock }): Promise<AuditView> {
  const today = swedishDate(deps.clock.now());
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -DEFAULT_RANGE_DAYS);
  if (from > to) throw new ValidationError("Från-datumet ligger efter till-datumet.");
  const user = q.user ? actorFilter(q.user) : undefined;
  let entries: AuditEntry[];
  if (user !== undefined) entries = await deps.audit.byUser(user);
  else if (q.caseId !== undefined) entries = await deps.audit.byCase(q.caseId);
  else {
    if ((Date.parse(to) - Date.parse(from)) / DAY > MAX_RANGE_DAYS) {
      throw new ValidationError(`Välj högst ${MAX_RANGE_DAYS} dagar, eller filtrera på användare eller ärende.`);
    }
    if (!deps.audit.between) throw new ValidationError("Filtrera på användare eller ärende.");
    // A day on each side: the Swedish calendar day is filtered exactly below.
    entries = await deps.audit.between(`${addDays(from, -1)}T00:00:00.000Z`, `${addDays(to, 1)}T23:59:59.999Z`);
  }
  const filtered = entries
    .filter((e) => {
      const day = swedishDate(new Date(e.at));
      return (
        day >= from &&
        day <= to &&
        (q.caseId === undefined || e.caseId === q.caseId) &&
        (user === undefined || e.user === user) &&
        (q.action === undefined || e.action === q.action)
      );
    })
    .sort((a, b) => b.at.localeCompare(a.at));
  return {
    filter: { user: q.user, caseId: q.caseId, action: q.action, from, to },
    entries: filtered.slice(0, MAX_ROWS),
    truncated: filtered.length > MAX_ROWS,
  };
}
