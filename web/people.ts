// People's names on the pages: "user:anna" → "Anna Handläggare" from the user directory the API knows (the local
// dev login's config/users.json); the one naming rule lives in shared/i18n/history-sv.ts (also the summary PDF's).
export { type NameLookup, personName } from "../shared/i18n/history-sv.ts";
