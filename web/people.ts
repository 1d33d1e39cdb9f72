// People's names on the pages: "user:anna" → "Anna Handläggare" from the user directory the API knows (the local
// dev login's config/users.json); the one naming rule lives in shared/i18n/history-sv.ts (also the summary PDF's).
import type { NameLookup } from "../shared/i18n/history-sv.ts";

export { type NameLookup, personName } from "../shared/i18n/history-sv.ts";

/**
 * The names for one queue row: the stack's user directory first, then the names the case's own history keeps of the
 * people the row shows (on AWS, where the stack has no directory).
 */
export function rowNames(people: Readonly<Record<string, string>>, directory?: NameLookup): NameLookup {
  return (id) => directory?.(id) ?? people[id];
}
