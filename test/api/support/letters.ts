// Cases with letters for the mail room's API and browser tests, made by the real SendMail use case (PDFs included)
// over the harness's in-memory stores, the real CSV person registry (with addresses) and an in-memory staff directory.
import { fileURLToPath } from "node:url";
import { CsvPersonRegistry } from "../../../shared/adapters/local/csv-person-registry.ts";
import type { FieldReading } from "../../../shared/domain/forms.ts";
import { sendMail } from "../../../shared/use-cases/send-mail.ts";
import { MemoryStaffDirectory, RecordingMailer } from "../../unit/routine/support.ts";
import { type Harness, makeCase, PNR } from "./harness.ts";

export const LETTER_CASES = { citizen: "case-letter-citizen", staff: "case-letter-staff" } as const;
/** The registry's row for PNR.saga (test/fixtures/registry/persons-with-addresses.csv). */
export const SAGA = { name: "Saga Nilsson", address: "Ekvägen 61", postalCity: "549 63 Skövde" } as const;

const REGISTRY = CsvPersonRegistry.fromFile(
  fileURLToPath(new URL("../../fixtures/registry/persons-with-addresses.csv", import.meta.url)),
);
const STAFF = new MemoryStaffDirectory([
  {
    vgrId: "evali12",
    name: "Eva Lind",
    title: "Kurator",
    unit: "Psykiatrimottagning Väst",
    caregiver: "Västra Götalandsregionen",
    email: "eva.lind@example.org",
    phone: "010-123 45 67",
    unitEmail: "",
    unitAddress: "Skolgatan 87, 446 91 Alingsås",
  },
]);

function read(values: Record<string, string | boolean>, doubtful: string[] = []): Record<string, FieldReading> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, { value: v, confidence: doubtful.includes(k) ? 0.4 : 0.98 }]),
  );
}

/** Two executed cases: a citizen's letter (address read with doubt) and a staff letter (no address on the form). */
export async function seedLetters(h: Harness): Promise<RecordingMailer> {
  const common = {
    status: "EXECUTED" as const,
    decision: "EXECUTE" as const,
    subjectPersonnummer: PNR.saga,
    execution: { result: "LOCKED", at: "2025-03-24T08:00:00.000Z" },
    registry: { found: true, protectedIdentity: false, nameMatches: true, checkedAt: "2025-03-24T07:30:00.000Z" },
  };
  await h.cases.create(
    makeCase({
      ...common,
      caseId: LETTER_CASES.citizen,
      formCode: "1177-EGEN",
      fields: read(
        {
          "citizen.personnummer": PNR.saga,
          "citizen.givenName": "Saga",
          "citizen.surname": "Nilsson",
          "citizen.email": "saga.nilsson@example.org",
          "verifier.name": "Anna Johansson",
          "verifier.unit": "Vårdcentralen Hisingen",
          "verifier.email": "vc.hisingen@example.org",
        },
        ["citizen.email"],
      ),
    }),
  );
  await h.cases.create(
    makeCase({
      ...common,
      caseId: LETTER_CASES.staff,
      formCode: "1177-VG",
      receivedAt: "2025-03-24T06:30:00.000Z",
      fields: read({
        "citizen.personnummer": PNR.saga,
        "citizen.givenName": "Saga",
        "citizen.surname": "Nilsson",
        "requester.name": "Eva Lind",
        "requester.vgrId": "evali12",
        "requester.unit": "Psykiatrimottagning Väst",
        "requester.email": "",
        "requester.email2": "",
      }),
    }),
  );
  const mailer = new RecordingMailer();
  const deps = {
    cases: h.cases,
    scans: h.scans,
    clock: h.clock,
    mailer,
    registry: REGISTRY,
    staff: STAFF,
    config: { archiveBucket: "lockdesk-archive" },
  };
  for (const caseId of Object.values(LETTER_CASES)) await sendMail({ caseId, kind: "CONFIRMATION" }, deps);
  return mailer;
}
