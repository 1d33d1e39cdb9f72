// The case page's Swedish: the shared history translation (shared/i18n/history-sv.ts) with the page's own words
// (status texts, short reason texts, field labels).
import { historyText as translate, type Vocabulary } from "../shared/i18n/history-sv.ts";
import { FIELD_LABELS } from "./field-labels.ts";
import { ACTION_TEXTS, REASON_TEXTS, STATUS_TEXTS } from "./texts.ts";

export { localTime, PHONE_OUTCOMES, personName } from "../shared/i18n/history-sv.ts";

const PAGE_WORDS: Vocabulary = {
  status: (c) => STATUS_TEXTS[c],
  reason: (c) => REASON_TEXTS[c],
  field: (n) => FIELD_LABELS[n],
  action: (c) => ACTION_TEXTS[c],
};

/** One history entry's text in Swedish, in the case page's words. */
export function historyText(what: string): string {
  return translate(what, PAGE_WORDS);
}
