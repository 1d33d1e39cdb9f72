// The approved-caregivers list as admins upload it: a CSV with the columns name and organisationNumber, written by
// hand or saved from Excel (a Swedish Excel writes ";" between cells and may start with a BOM). Pure: parsing,
// checks with Swedish messages (line and column, never a guess), the canonical comma CSV that is stored, and the
// difference between two lists (added, removed, changed names and organisation numbers).
import { RegistryDataError } from "./errors.ts";

export interface CaregiverRow {
  name: string;
  /** NNNNNN-NNNN; "" when an older stored list has no organisation numbers. */
  organisationNumber: string;
}

const ORG_NUMBER = /^\d{6}-\d{4}$/;
const HEADER = ["name", "organisationNumber"] as const;
/** Header names accepted besides the contract's (Swedish headings from a spreadsheet). */
const HEADER_ALIASES: Record<string, (typeof HEADER)[number]> = {
  name: "name",
  namn: "name",
  vårdgivare: "name",
  organisationnumber: "organisationNumber",
  organisationsnummer: "organisationNumber",
  orgnr: "organisationNumber",
};

/** Splits CSV text into records of cells (quotes as RFC 4180; CRLF or LF), with each record's first line. */
function records(text: string, sep: string): Array<{ line: number; cells: string[] }> {
  const out: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== "")) out.push({ line: start, cells });
    cells = [];
    cell = "";
    start = line;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === sep) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      line++;
      endRecord();
    } else cell += ch;
  }
  if (quoted) throw new RegistryDataError(`Rad ${start}: ett citattecken avslutas aldrig.`);
  endRecord();
  return out;
}

/**
 * Parses the uploaded list. Accepts "," or ";" (whichever the header uses), a UTF-8 BOM and Swedish headings.
 * Throws RegistryDataError with a Swedish message naming the line: empty name, a malformed organisation number,
 * a name or an organisation number that occurs twice, no rows, a replacement character (not UTF-8/Windows-1252).
 */
export function parseCaregiverCsv(input: string): CaregiverRow[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.includes("\uFFFD")) {
    throw new RegistryDataError(
      "Filen har tecken som inte kunde läsas. Spara den som CSV (UTF-8) eller CSV (semikolonavgränsad).",
    );
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  // The header decides: Excel in Swedish writes ";", the contract ",".
  const count = (c: string) => firstLine.split(c).length - 1;
  const sep = count(";") > count(",") ? ";" : ",";
  const [head, ...rows] = records(text, sep);
  if (!head) throw new RegistryDataError("Filen är tom.");
  const columns = head.cells.map(
    (c) =>
      HEADER_ALIASES[
        c
          .trim()
          .toLowerCase()
          .replace(/[\s_-]/g, "")
      ] ?? null,
  );
  const nameAt = columns.indexOf("name");
  const orgAt = columns.indexOf("organisationNumber");
  if (nameAt < 0 || orgAt < 0) {
    throw new RegistryDataError(
      "Rad 1: kolumnerna name och organisationNumber (eller Namn och Organisationsnummer) saknas.",
    );
  }
  const seenNames = new Map<string, number>();
  const seenOrgs = new Map<string, number>();
  const out: CaregiverRow[] = [];
  for (const r of rows) {
    const name = (r.cells[nameAt] ?? "").trim().replace(/\s+/g, " ");
    const organisationNumber = (r.cells[orgAt] ?? "").trim();
    if (!name) throw new RegistryDataError(`Rad ${r.line}, kolumnen namn: tom.`);
    if (!ORG_NUMBER.test(organisationNumber)) {
      throw new RegistryDataError(`Rad ${r.line}, kolumnen organisationsnummer: ska skrivas NNNNNN-NNNN.`);
    }
    const key = name.toLocaleLowerCase("sv");
    const dupName = seenNames.get(key);
    if (dupName !== undefined) throw new RegistryDataError(`Rad ${r.line}: namnet finns redan på rad ${dupName}.`);
    const dupOrg = seenOrgs.get(organisationNumber);
    if (dupOrg !== undefined) {
      throw new RegistryDataError(`Rad ${r.line}: organisationsnumret finns redan på rad ${dupOrg}.`);
    }
    seenNames.set(key, r.line);
    seenOrgs.set(organisationNumber, r.line);
    out.push({ name, organisationNumber });
  }
  if (out.length === 0) throw new RegistryDataError("Filen har inga vårdgivare (bara rubrikraden).");
  return out;
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The stored form: the contract's comma CSV with LF, rows in the uploaded order. */
export function canonicalCaregiverCsv(rows: readonly CaregiverRow[]): string {
  return `${[HEADER.join(","), ...rows.map((r) => `${csvCell(r.name)},${r.organisationNumber}`)].join("\n")}\n`;
}

export interface CaregiverDiff {
  added: CaregiverRow[];
  removed: CaregiverRow[];
  /** Same organisation number with another name, or the same name with another organisation number. */
  changed: Array<{ before: CaregiverRow; after: CaregiverRow }>;
  unchanged: number;
}

export function diffCaregivers(before: readonly CaregiverRow[], after: readonly CaregiverRow[]): CaregiverDiff {
  const key = (n: string) => n.toLocaleLowerCase("sv");
  const left = [...before];
  const diff: CaregiverDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const a of after) {
    const same = left.findIndex((b) => key(b.name) === key(a.name) && b.organisationNumber === a.organisationNumber);
    const byOrg = left.findIndex((b) => b.organisationNumber !== "" && b.organisationNumber === a.organisationNumber);
    const byName = left.findIndex((b) => key(b.name) === key(a.name));
    const at = same >= 0 ? same : byOrg >= 0 ? byOrg : byName;
    if (at < 0) {
      diff.added.push(a);
      continue;
    }
    const [b] = left.splice(at, 1);
    if (b && (b.name !== a.name || b.organisationNumber !== a.organisationNumber))
      diff.changed.push({ before: b, after: a });
    else diff.unchanged++;
  }
  diff.removed = left;
  return diff;
}
