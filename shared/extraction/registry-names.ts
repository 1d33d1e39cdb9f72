// The subject's names read against the registry entry of the personnummer read: a messy hand that neither reader
// spells out ("Bj ön") may still fit the registered name nearly as well as the handwriting model's own reading. Such
// a name is offered as another reading of the field (the rules match either reading with the registry; a mismatch
// needs every reading to differ). Only under a personnummer read with confidence, for name fields read with doubt
// and, where the name as read does not match the registered one, for the confident ones too (a reader sure of
// "Bj én" for "Björn"): a different name really written scores far below the threshold and stays as read.
import { type FieldReading, FORM_ROLES, type FormCode } from "../domain/forms.ts";
import { matchName } from "../domain/names.ts";
import { isValidPersonnummer12 } from "../domain/personnummer.ts";
import type { Ocr } from "../ports/ocr.ts";
import type { PageImage } from "./document.ts";
import { fieldWriting } from "./fields.ts";
import type { Registration } from "./register.ts";

/** The registered names of a personnummer, or null when there is no such person. */
export type NameLookup = (personnummer: string) => Promise<{ givenNames: string[]; surname: string } | null>;

/**
 * Log-likelihood per character, relative to the model's best reading, the registered name must reach. On the field
 * samples the written name scores +0.1 … −0.8 (one very irregular hand −1.3, left doubtful) and other names −1.7 or
 * less (a surname sharing "-sson").
 */
export const REGISTRY_NAME_MIN_SCORE = -0.8;
/** The personnummer must be read at least this surely: a name is only looked up for a number that stands. */
const PNR_SURE = 0.5;
const NAME_DOUBTFUL = 0.5;

export async function readNamesAgainstRegistry(
  page: PageImage,
  reg: Registration,
  fields: Record<string, FieldReading>,
  ocr: Ocr,
  nameOf: NameLookup,
): Promise<void> {
  if (!ocr.scoreCandidates) return;
  const subject = FORM_ROLES[reg.template.formCode as FormCode].subject;
  const pnr = fields[`${subject}.personnummer`];
  if (!pnr || typeof pnr.value !== "string" || pnr.confidence < PNR_SURE || !isValidPersonnummer12(pnr.value)) return;
  const names = [`${subject}.givenName`, `${subject}.surname`];
  const person = await nameOf(pnr.value);
  if (!person) return;
  const text = (n: string) => (typeof fields[n]?.value === "string" ? (fields[n]?.value as string) : "");
  const asRead = matchName({ given: text(names[0] as string), surname: text(names[1] as string) }, person).match;
  for (const name of names) {
    const reading = fields[name];
    const def = reg.template.fields.find((f) => f.name === name);
    if (!reading || !def || reading.value === "") continue;
    if (reading.confidence >= NAME_DOUBTFUL && asRead) continue;
    const candidates = name.endsWith("givenName")
      ? [...new Set([person.givenNames.join(" "), ...person.givenNames])]
      : [person.surname];
    const writing = fieldWriting(page, reg, def);
    if (!writing) continue;
    const scores = await ocr.scoreCandidates(writing, candidates);
    const best = Math.max(...scores);
    const fits = candidates[scores.indexOf(best)];
    if (fits === undefined || best < REGISTRY_NAME_MIN_SCORE || fits === reading.value) continue;
    if (reading.alternatives?.includes(fits)) continue;
    fields[name] = { ...reading, alternatives: [...(reading.alternatives ?? []), fits] };
  }
}
