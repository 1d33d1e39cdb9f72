// The resumed half of the pipeline for API tests, with the real use cases: a handler's decision resumes the
// case into ValidateCase (the real rules over a registry CSV), then ExecuteAction or ParkForReview, as the ASL
// routes it. The account service records every call, so a test can show what was (not) done to a person.

import { CsvCaregiverList } from "../../../shared/adapters/local/csv-caregiver-list.ts";
import { CsvPersonRegistry } from "../../../shared/adapters/local/csv-person-registry.ts";
import type { FourEyesSettings } from "../../../shared/domain/four-eyes.ts";
import { executeAction } from "../../../shared/use-cases/execute-action.ts";
import { parkCase } from "../../../shared/use-cases/park-case.ts";
import { validateCase } from "../../../shared/use-cases/validate-case.ts";
import { validateForm } from "../../../shared/use-cases/validate-form.ts";
import { RecordingAccountService } from "../../unit/routine/support.ts";
import { silentLogger } from "../../unit/use-cases/fakes.ts";
import type { Harness } from "./harness.ts";

/** Skatteverket test numbers: an adult, a child (born 2018) and the child's two registered guardians. */
export const PEOPLE = {
  adult: { pnr: "198001022386", given: "Lena", surname: "Berg" },
  child: { pnr: "201801012392", given: "Tove", surname: "Lind" },
  guardian1: { pnr: "198001032385", name: "Karin Lind" },
  guardian2: { pnr: "198001032393", name: "Johan Lind" },
} as const;

const PERSONS_CSV = [
  "personnummer,givenNames,surname,protectedIdentity,guardians",
  `${PEOPLE.adult.pnr},${PEOPLE.adult.given},${PEOPLE.adult.surname},false,`,
  `${PEOPLE.child.pnr},${PEOPLE.child.given},${PEOPLE.child.surname},false,${PEOPLE.guardian1.pnr};${PEOPLE.guardian2.pnr}`,
  `${PEOPLE.guardian1.pnr},Karin,Lind,false,`,
  `${PEOPLE.guardian2.pnr},Johan,Lind,false,`,
].join("\n");

/** A complete requester section (vidimated, approved caregiver, VGR-ID). */
export const REQUESTER = {
  "requester.name": "Per Holm",
  "requester.title": "Kurator",
  "requester.unit": "Barnmottagningen Väst",
  "requester.caregiver": "Västra Götalandsregionen",
  "requester.vgrId": "perho12",
  "requester.phone": "010-441 20 00",
  "requester.email": "barn.vast@example.org",
  "requester.date": "2025-03-24",
  "requester.signed": true,
} as const;

export interface Pipeline {
  accounts: RecordingAccountService;
  /** The route each resumed execution took (EXECUTE / REVIEW / RETURN / DONE). */
  routes: Array<{ caseId: string; route: string }>;
}

/** Replaces the harness's recording resumer with the real ValidateCase → ExecuteAction / ParkForReview. */
export function wirePipeline(h: Harness, fourEyes?: FourEyesSettings): Pipeline {
  const accounts = new RecordingAccountService();
  const routes: Pipeline["routes"] = [];
  const registry = new CsvPersonRegistry(PERSONS_CSV);
  const caregivers = new CsvCaregiverList("name,organisationNumber\n");
  h.deps.resumer = async (caseId) => {
    h.resumed.push(caseId);
    const deps = { cases: h.cases, registry, caregivers, validate: validateForm, clock: h.clock, logger: silentLogger };
    const v = await validateCase({ caseId }, fourEyes ? { ...deps, fourEyes } : deps);
    routes.push({ caseId, route: v.route ?? "?" });
    if (v.route === "EXECUTE")
      await executeAction({ caseId }, { cases: h.cases, accounts, clock: h.clock, scans: h.deps.scans });
    if (v.route === "REVIEW") await parkCase({ caseId }, { cases: h.cases, clock: h.clock, logger: silentLogger });
  };
  return { accounts, routes };
}
