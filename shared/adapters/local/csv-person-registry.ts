// PersonRegistry over the contract's persons.csv (§2): read once, looked up in memory.
import { readFileSync } from "node:fs";
import { RegistryDataError } from "../../domain/errors.ts";
import type { Person, PersonRegistry, PostalAddress } from "../../ports/person-registry.ts";

// The CSV reader (shared with csv-caregiver-list.ts): a small RFC 4180 reader for the registry files: header row, comma-separated, double-quoted fields
// (with "" escapes, commas and line breaks inside), UTF-8 BOM and CRLF tolerated. Errors name the file,
// line and column, never a value (the files hold personal data).

export interface CsvRow {
  /** 1-based line number in the file where the row starts. */
  line: number;
  values: Record<string, string>;
}

export function parseCsv(text: string, fileLabel: string, requiredColumns: readonly string[]): CsvRow[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = "";
  let inQuotes = false;
  let quotedCell = false;
  let line = 1;
  let recordLine = 1;
  const endCell = (): void => {
    cells.push(cell);
    cell = "";
    quotedCell = false;
  };
  const endRecord = (): void => {
    endCell();
    if (!(cells.length === 1 && cells[0] === "")) records.push({ line: recordLine, cells });
    cells = [];
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (cell !== "" || quotedCell) {
        throw new RegistryDataError(`${fileLabel} line ${line}: stray double quote inside column ${cells.length + 1}`);
      }
      inQuotes = true;
      quotedCell = true;
    } else if (ch === ",") {
      endCell();
    } else if (ch === "\r" && src[i + 1] === "\n") {
      // CRLF: the \n ends the record.
    } else if (ch === "\n" || ch === "\r") {
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (quotedCell) {
        throw new RegistryDataError(
          `${fileLabel} line ${line}: text after a closing quote in column ${cells.length + 1}`,
        );
      }
      cell += ch;
    }
  }
  if (inQuotes) throw new RegistryDataError(`${fileLabel} line ${recordLine}: unterminated quoted field`);
  endRecord();

  const header = records.shift();
  if (!header) throw new RegistryDataError(`${fileLabel}: empty file (no header row)`);
  const names = header.cells.map((c) => c.trim());
  for (const col of requiredColumns) {
    if (!names.includes(col)) throw new RegistryDataError(`${fileLabel} line 1: missing column ${col}`);
  }
  return records.map((r) => {
    if (r.cells.length !== names.length) {
      throw new RegistryDataError(
        `${fileLabel} line ${r.line}: expected ${names.length} columns, found ${r.cells.length}`,
      );
    }
    const values: Record<string, string> = {};
    names.forEach((n, i) => {
      values[n] = r.cells[i] ?? "";
    });
    return { line: r.line, values };
  });
}

const COLUMNS = ["personnummer", "givenNames", "surname", "protectedIdentity", "guardians"] as const;
const TWELVE_DIGITS = /^\d{12}$/;

export function parsePersonsCsv(text: string, fileLabel = "persons.csv"): Person[] {
  const seen = new Set<string>();
  return parseCsv(text, fileLabel, COLUMNS).map(({ line, values }) => {
    const at = (col: string): string => `${fileLabel} line ${line}, column ${col}`;
    const personnummer = (values.personnummer ?? "").trim();
    if (!TWELVE_DIGITS.test(personnummer)) throw new RegistryDataError(`${at("personnummer")}: expected 12 digits`);
    if (seen.has(personnummer)) throw new RegistryDataError(`${at("personnummer")}: duplicate personnummer`);
    seen.add(personnummer);
    const givenNames = (values.givenNames ?? "").trim().split(/\s+/).filter(Boolean);
    if (givenNames.length === 0) throw new RegistryDataError(`${at("givenNames")}: empty`);
    const surname = (values.surname ?? "").trim().replace(/\s+/g, " ");
    if (!surname) throw new RegistryDataError(`${at("surname")}: empty`);
    const protectedRaw = (values.protectedIdentity ?? "").trim().toLowerCase();
    if (protectedRaw !== "true" && protectedRaw !== "false") {
      throw new RegistryDataError(`${at("protectedIdentity")}: expected true or false`);
    }
    const guardians = (values.guardians ?? "")
      .split(";")
      .map((g) => g.trim())
      .filter(Boolean);
    if (guardians.some((g) => !TWELVE_DIGITS.test(g))) {
      throw new RegistryDataError(`${at("guardians")}: expected 12-digit numbers separated by ;`);
    }
    const postalAddress = parsePostalAddress(values, at);
    return {
      personnummer,
      givenNames,
      surname,
      protectedIdentity: protectedRaw === "true",
      guardians,
      ...(postalAddress ? { postalAddress } : {}),
    };
  });
}

const ADDRESS_COLUMNS = ["address", "postalCode", "city"] as const;
const POSTAL_CODE = /^\d{3} ?\d{2}$/;

/**
 * The optional columns `address,postalCode,city` (contract §2): all three empty (or absent) → no address; all three
 * given → the address (postal code written "NNN NN"); only some → a one-line error naming the empty column.
 */
function parsePostalAddress(values: Record<string, string>, at: (col: string) => string): PostalAddress | undefined {
  const [address, postalCode, city] = ADDRESS_COLUMNS.map((c) => (values[c] ?? "").trim().replace(/\s+/g, " "));
  if (!address && !postalCode && !city) return undefined;
  for (const [col, v] of [
    ["address", address],
    ["postalCode", postalCode],
    ["city", city],
  ] as const) {
    if (!v) throw new RegistryDataError(`${at(col)}: empty while the rest of the postal address is given`);
  }
  if (!POSTAL_CODE.test(postalCode ?? "")) throw new RegistryDataError(`${at("postalCode")}: expected NNN NN`);
  const digits = (postalCode ?? "").replace(" ", "");
  return { address: address ?? "", postalCode: `${digits.slice(0, 3)} ${digits.slice(3)}`, city: city ?? "" };
}

function copyPerson(p: Person): Person {
  return {
    ...p,
    givenNames: [...p.givenNames],
    guardians: [...p.guardians],
    ...(p.postalAddress ? { postalAddress: { ...p.postalAddress } } : {}),
  };
}

export class CsvPersonRegistry implements PersonRegistry {
  private readonly byPnr: Map<string, Person>;

  /** @param csvText the content of a persons.csv file (contract §2). */
  constructor(csvText: string, fileLabel = "persons.csv") {
    this.byPnr = new Map(parsePersonsCsv(csvText, fileLabel).map((p) => [p.personnummer, p]));
  }

  /** Reads the file synchronously (composition roots call this once at start-up). */
  static fromFile(path: string): CsvPersonRegistry {
    return new CsvPersonRegistry(readFileSync(path, "utf8"), path.split(/[\\/]/).pop() ?? "persons.csv");
  }

  get size(): number {
    return this.byPnr.size;
  }

  async findByPersonnummer(personnummer: string): Promise<Person | null> {
    const p = this.byPnr.get(personnummer);
    // A copy: callers must not be able to change the registry.
    return p ? copyPerson(p) : null;
  }
}
