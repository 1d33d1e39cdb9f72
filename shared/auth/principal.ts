// Who is calling, as established from a verified JWT. Groups are Cognito groups on AWS and the
// `groups` of config/users.json locally; the claim is `cognito:groups` in both, so one code path verifies both.
export const GROUPS = ["mailroom", "handler", "admin"] as const;
export type Group = (typeof GROUPS)[number];

export interface Principal {
  /** Stable user id used in the audit log and on the case ("anna"); never a personnummer. */
  userId: string;
  displayName: string;
  groups: Group[];
}

export const GROUPS_CLAIM = "cognito:groups";

export function isGroup(s: unknown): s is Group {
  return typeof s === "string" && (GROUPS as readonly string[]).includes(s);
}

/** Admin may do everything; otherwise the principal needs one of the listed groups. */
export function hasAnyGroup(principal: Principal, allowed: readonly Group[]): boolean {
  if (principal.groups.includes("admin")) return true;
  return principal.groups.some((g) => allowed.includes(g));
}

/** How a principal appears in history entries and the audit log. */
export function actorId(principal: Principal): string {
  return `user:${principal.userId}`;
}
