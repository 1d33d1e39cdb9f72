// Swedish personnummer (12-digit form YYYYMMDDNNNC) per the contract §5 "Personnummer validity".
// The `personnummer` package does the check digit and calendar test; we add the strict 12-digit shape,
// the birth date (samordningsnummer: day − 60) and the completed-years age on the receipt date.
import personnummerModule from "personnummer";

// The package is CommonJS with `export default` typings: Node's ESM loader hands us the class itself,
// some bundlers a `{ default }` wrapper. Accept both.
type PersonnummerClass = typeof personnummerModule.default;
const Personnummer: PersonnummerClass =
  (personnummerModule as unknown as { default?: PersonnummerClass }).default ??
  (personnummerModule as unknown as PersonnummerClass);

const TWELVE_DIGITS = /^\d{12}$/;

export type PersonnummerKind = "personnummer" | "samordningsnummer";

export type PersonnummerCheck =
  | { valid: true; kind: PersonnummerKind }
  | { valid: false; problem: "NOT_12_DIGITS" | "IMPOSSIBLE_DATE" | "CHECK_DIGIT" };

/** Luhn check digit over the nine digits YYMMDDNNN (weights 2,1,2,1,… from the left). */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let v = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}

/** A real calendar date (the Gregorian calendar: 29 February only in leap years). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * Why a 12-digit string is or is not a valid personnummer. A samordningsnummer (day + 60) is accepted:
 * it is a legitimate Swedish identity number that people without a personnummer use for 1177; its
 * "real date" test is made on day − 60. The contract corpus uses only personnummer, so this never
 * changes a contract decision.
 */
export function checkPersonnummer(s: string): PersonnummerCheck {
  if (!TWELVE_DIGITS.test(s)) return { valid: false, problem: "NOT_12_DIGITS" };
  const date = birthDateParts(s);
  if (!date) return { valid: false, problem: "IMPOSSIBLE_DATE" };
  if (luhnCheckDigit(s.slice(2, 11)) !== Number(s[11])) return { valid: false, problem: "CHECK_DIGIT" };
  // Cross-check with the `personnummer` package (it also rejects serial 000, which Skatteverket never issues).
  if (!Personnummer.valid(s, { allowCoordinationNumber: true, allowInterimNumber: false })) {
    return { valid: false, problem: "CHECK_DIGIT" };
  }
  return { valid: true, kind: date.coordination ? "samordningsnummer" : "personnummer" };
}

/** Exactly 12 digits YYYYMMDDNNNC with a real date and a correct Luhn check digit. */
export function isValidPersonnummer12(s: string): boolean {
  return checkPersonnummer(s).valid;
}

/** Keeps the digits of a written personnummer ("19640823-3234" → "196408233234"); no validation. */
export function digitsOnly(s: string): string {
  return s.replace(/\D/g, "");
}

function birthDateParts(pnr: string): { year: number; month: number; day: number; coordination: boolean } | null {
  if (!TWELVE_DIGITS.test(pnr)) return null;
  const year = Number(pnr.slice(0, 4));
  const month = Number(pnr.slice(4, 6));
  const rawDay = Number(pnr.slice(6, 8));
  if (isRealDate(year, month, rawDay)) return { year, month, day: rawDay, coordination: false };
  if (rawDay > 60 && isRealDate(year, month, rawDay - 60)) return { year, month, day: rawDay - 60, coordination: true };
  return null;
}

/**
 * Birth date `YYYY-MM-DD` from the first eight digits (samordningsnummer: day − 60), or null when those
 * digits are not a calendar date. Works without a valid check digit: the age rule applies "whenever that
 * date is a valid calendar date" (contract §5).
 */
export function birthDate(pnr: string): string | null {
  const p = birthDateParts(pnr);
  if (!p) return null;
  return `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

function parseIsoDate(s: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return isRealDate(year, month, day) ? { year, month, day } : null;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * Completed years on `receivedDate` (YYYY-MM-DD). A birthday on the receipt date counts as reached;
 * someone born on 29 February has the birthday on 1 March in non-leap years. Null when the personnummer
 * holds no calendar date or the receipt date is malformed.
 */
export function ageOn(pnr: string, receivedDate: string): number | null {
  const b = birthDateParts(pnr);
  const r = parseIsoDate(receivedDate);
  if (!b || !r) return null;
  let age = r.year - b.year;
  // This year's birthday (month, day), with 29 Feb → 1 Mar when this year is not a leap year.
  let bMonth = b.month;
  let bDay = b.day;
  if (bMonth === 2 && bDay === 29 && !isLeapYear(r.year)) {
    bMonth = 3;
    bDay = 1;
  }
  if (r.month < bMonth || (r.month === bMonth && r.day < bDay)) age -= 1;
  return age;
}
