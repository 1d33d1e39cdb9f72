// People's names on the pages: "user:anna" → "Anna Handläggare" from the user directory the API knows (the local
// dev login's config/users.json); an unknown actor keeps its id without the "user:" prefix; the pipeline's
// steps get a Swedish name.
export type NameLookup = (userId: string) => string | undefined;

const SYSTEM_NAMES: Record<string, string> = { system: "Systemet", pipeline: "Systemet" };

export function personName(actor: string | null | undefined, lookup?: NameLookup): string {
  if (!actor) return "";
  const id = actor.startsWith("user:") ? actor.slice(5) : actor;
  return lookup?.(id) ?? SYSTEM_NAMES[id] ?? id;
}
