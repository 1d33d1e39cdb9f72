// Clean field sets for each form, built on people in test/fixtures/registry/persons.csv (Skatteverket test numbers).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FieldValue } from "../../../shared/domain/forms.ts";

export const REGISTRY_CSV = fileURLToPath(new URL("../../fixtures/registry/persons.csv", import.meta.url));
export const CAREGIVERS_CSV = fileURLToPath(
  new URL("../../fixtures/registry/approved-caregivers.csv", import.meta.url),
);
export const APPROVED = readFileSync(CAREGIVERS_CSV, "utf8")
  .split(/\r?\n/)
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split(",")[0] as string);

export const RECEIVED = "2025-03-18";

export const JOHAN = { pnr: "198207142392", given: "Johan", surname: "Andersson" };
export const ANNA = { pnr: "197508069163", given: "Anna Ingegärd", surname: "Karlsson" };
export const NILS_PROTECTED = { pnr: "194202138014", given: "Nils", surname: "Samuelsson" };
/** Child 2020-05-11 with guardians 198109222391 and 198309119264. */
export const HANNA = {
  pnr: "202005112384",
  given: "Hanna",
  surname: "Svensson",
  guardians: ["198109222391", "198309119264"],
};

const voucher = (role: "verifier" | "requester"): Record<string, FieldValue> => ({
  [`${role}.name`]: "Eva Lind",
  [`${role}.title`]: "Sjuksköterska",
  [`${role}.unit`]: "Vårdcentralen Centrum",
  [`${role}.caregiver`]: "Västra Götalandsregionen",
  [`${role}.vgrId`]: "evali12",
  [`${role}.phone`]: "010-123 45 67",
  [`${role}.email`]: "eva.lind@example.org",
  [`${role}.date`]: "2025-03-14",
  [`${role}.signed`]: true,
});

export function egen(action: "LOCK" | "UNLOCK" = "LOCK", who = JOHAN): Record<string, FieldValue> {
  return {
    "action.lock": action === "LOCK",
    "action.unlock": action === "UNLOCK",
    "citizen.personnummer": who.pnr,
    "citizen.givenName": who.given,
    "citizen.surname": who.surname,
    "citizen.phone": "",
    "citizen.email": "",
    "citizen.placeAndDate": "Göteborg 2025-03-14",
    "citizen.signed": true,
    "verifier.idDocument.passport": true,
    "verifier.idDocument.nationalIdCard": false,
    "verifier.idDocument.drivingLicence": false,
    "verifier.idDocument.other": false,
    "verifier.idDocument.otherText": "",
    ...voucher("verifier"),
  };
}

export function vg(action: "LOCK" | "UNLOCK" = "LOCK", who = ANNA): Record<string, FieldValue> {
  const unlock = action === "UNLOCK";
  return {
    "action.lock": !unlock,
    "action.unlock": unlock,
    urgent: false,
    "citizen.personnummer": who.pnr,
    "citizen.givenName": who.given,
    "citizen.surname": who.surname,
    "manager.threatChecked": unlock,
    "manager.name": unlock ? "Per Berg" : "",
    "manager.signed": unlock,
    ...voucher("requester"),
    "requester.email2": "",
  };
}

export function vh(action: "BLOCK" | "UNBLOCK" = "BLOCK"): Record<string, FieldValue> {
  return {
    "action.block": action === "BLOCK",
    "action.unblock": action === "UNBLOCK",
    "child.personnummer": HANNA.pnr,
    "child.givenName": HANNA.given,
    "child.surname": HANNA.surname,
    "guardian1.personnummer": HANNA.guardians[0] as string,
    "guardian1.name": "Olof Svensson",
    "guardian2.personnummer": "",
    "guardian2.name": "",
    concernReported: false,
    ...voucher("requester"),
    "requester.email2": "",
  };
}
