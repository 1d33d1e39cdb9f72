// The pipeline's Lambda handlers through their real use cases and adapters, with the AWS clients mocked.
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { pipelineAdapters } from "../../../../shared/composition/aws.ts";
import { parseEnv } from "../../../../shared/config/env.ts";
import type { CaseRecord } from "../../../../shared/domain/case.ts";
import { UnreadableScanError, ValidationError } from "../../../../shared/domain/errors.ts";
import type { ExtractedForm, FieldReading } from "../../../../shared/domain/forms.ts";
import type { Ocr } from "../../../../shared/ports/ocr.ts";
import { TEST_PNR } from "../../../fixtures/pipeline-cases.ts";
import { mockCasesTable } from "./dynamo-table-mock.ts";

// The handler modules parse the environment at import (cold start): set it before they load.
vi.hoisted(() => {
  process.env.CASES_TABLE = "cases";
  process.env.REFERENCE_BUCKET = "reference";
  process.env.AWS_REGION = "eu-north-1";
  process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
});

import { handler as markFailedHandler } from "../../../../functions/mark-failed/handler.ts";
import { handler as parkHandler } from "../../../../functions/park-case/handler.ts";
import { makeHandler as makeReadForm } from "../../../../functions/read-form/handler.ts";
import { handler as registerHandler } from "../../../../functions/register-case/handler.ts";
import { handler as validateHandler } from "../../../../functions/validate-case/handler.ts";

const ctx = {} as Context;
const table = mockCasesTable();
const s3 = mockClient(S3Client);
afterAll(() => {
  table.ddb.restore();
  s3.restore();
});

const PERSONS = `personnummer,givenNames,surname,protectedIdentity,guardians\n${TEST_PNR.adultA},Östen Måns,Nordström,false,\n`;
const CAREGIVERS = "name,organisationNumber\nVårdcentralen Exempel AB,556000-0001\n";
const objects: Record<string, { body: string; metadata?: Record<string, string> }> = {
  "scans/incoming/scan-1.png": { body: "png-bytes-1", metadata: { "received-date": "2025-03-17" } },
  "reference/reference/persons.csv": { body: PERSONS },
  "reference/reference/approved-caregivers.csv": { body: CAREGIVERS },
};

beforeEach(() => {
  table.items.clear();
  s3.reset();
  s3.on(GetObjectCommand).callsFake(async (input) => {
    const o = objects[`${input.Bucket}/${input.Key}`];
    if (!o) throw Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey" });
    const bytes = new Uint8Array(Buffer.from(o.body));
    return { Body: { transformToByteArray: async () => bytes } as never, Metadata: o.metadata ?? {} };
  });
});

const scanEvent = { scan: { bucket: "scans", key: "incoming/scan-1.png", eventTime: "2025-03-18T07:59:00Z" } };
const f = (value: string | boolean, confidence = 0.99): FieldReading => ({ value, confidence });
const cleanLock: ExtractedForm = {
  formCode: "1177-EGEN",
  formVersion: "v1",
  action: "LOCK",
  warnings: [],
  fields: {
    "action.lock": f(true),
    "action.unlock": f(false),
    "citizen.personnummer": f(TEST_PNR.adultA),
    "citizen.givenName": f("Östen"),
    "citizen.surname": f("Nordström"),
    "citizen.phone": f(""),
    "citizen.email": f(""),
    "citizen.placeAndDate": f("Borås 2025-03-14"),
    "citizen.signed": f(true),
    "verifier.idDocument.passport": f(true),
    "verifier.idDocument.nationalIdCard": f(false),
    "verifier.idDocument.drivingLicence": f(false),
    "verifier.idDocument.other": f(false),
    "verifier.idDocument.otherText": f(""),
    "verifier.name": f("Eva Lund"),
    "verifier.title": f("Sjuksköterska"),
    "verifier.unit": f("Vårdcentralen Norr"),
    "verifier.caregiver": f("Västra Götalandsregionen"),
    "verifier.vgrId": f("evalu12"),
    "verifier.phone": f("010-000 00 00"),
    "verifier.email": f("eva.lund@example.se"),
    "verifier.date": f("2025-03-14"),
    "verifier.signed": f(true),
  },
};
const fakeOcr: Ocr = {
  name: "fake",
  recognize: async () => ({ width: 1, height: 1, words: [], lines: [] }),
  close: async () => {},
};
const readWith = (form: ExtractedForm | Error) =>
  makeReadForm({
    ...pipelineAdapters(parseEnv(process.env)),
    ocr: fakeOcr,
    read: async () => {
      if (form instanceof Error) throw form;
      return {
        form,
        pageCount: 1,
        formPage: 0,
        registration: null,
        timings: { decodeMs: 0, locateMs: 0, fieldsMs: 0, totalMs: 0 },
      };
    },
  });

describe("pipeline handlers", () => {
  it("register → read → validate: a clean lock request routes EXECUTE", async () => {
    const registered = await registerHandler(scanEvent, ctx);
    expect(registered).toMatchObject({ status: "RECEIVED" });
    const read = await readWith(cleanLock)({ caseId: registered.caseId }, ctx);
    expect(read).toEqual({ caseId: registered.caseId, status: "READ" });
    const validated = await validateHandler({ caseId: registered.caseId }, ctx);
    expect(validated).toEqual({ caseId: registered.caseId, route: "EXECUTE", status: "READ" });
    const stored = table.items.get(registered.caseId) as unknown as CaseRecord;
    expect(stored).toMatchObject({ version: 3, decision: "EXECUTE", receivedDate: "2025-03-17" });
    expect(stored.caregiverListVersion).toMatch(/^[0-9a-f]{12}$/);
  });

  it("a duplicate delivery of the same S3 object yields one case; the second returns DONE", async () => {
    const first = await registerHandler(scanEvent, ctx);
    await readWith(cleanLock)({ caseId: first.caseId }, ctx);
    const second = await registerHandler({ scan: { ...scanEvent.scan, eventTime: "2025-03-18T08:01:00Z" } }, ctx);
    expect(second).toEqual({ caseId: first.caseId, route: "DONE", status: "READ" });
    // One case (beside it the claim of its object's key, see CaseStore.claim).
    const items = [...table.items.values()] as Array<Record<string, unknown>>;
    expect(items.filter((i) => !("claimOf" in i))).toHaveLength(1);
    expect(items.filter((i) => "claimOf" in i).map((i) => i.claimOf)).toEqual([first.caseId]);
  });

  it("an unreadable scan is parked for review; ParkForReview keeps it there", async () => {
    const { caseId } = await registerHandler(scanEvent, ctx);
    expect(await readWith(new UnreadableScanError("not an image"))({ caseId }, ctx)).toMatchObject({ route: "REVIEW" });
    expect(await validateHandler({ caseId }, ctx)).toMatchObject({ route: "REVIEW" });
    expect(await parkHandler({ caseId }, ctx)).toEqual({ caseId, route: "REVIEW", status: "IN_REVIEW" });
  });

  it("ParkRegistryUnavailable adds REGISTRY_UNAVAILABLE", async () => {
    const { caseId } = await registerHandler(scanEvent, ctx);
    await readWith(cleanLock)({ caseId }, ctx);
    await parkHandler({ caseId, reason: "REGISTRY_UNAVAILABLE" }, ctx);
    expect(table.items.get(caseId)).toMatchObject({ status: "IN_REVIEW", reasons: ["REGISTRY_UNAVAILABLE"] });
  });

  it("MarkFailed creates a FAILED case when RegisterCase could not (scan object gone)", async () => {
    const missing = { scan: { bucket: "scans", key: "incoming/gone.png", eventTime: "2025-03-18T08:00:00Z" } };
    await expect(registerHandler(missing, ctx)).rejects.toMatchObject({ name: "ScanNotFoundError" });
    // The state machine's Catch hands MarkFailed the whole state.
    const out = await markFailedHandler({ ...missing, error: { Error: "ScanNotFoundError", Cause: "{}" } }, ctx);
    expect(table.items.get(out.caseId)).toMatchObject({ status: "FAILED", failure: { error: "ScanNotFoundError" } });
  });

  it("rejects malformed task input with a named ValidationError", async () => {
    await expect(registerHandler({ scan: { bucket: "scans" } }, ctx)).rejects.toBeInstanceOf(ValidationError);
    await expect(validateHandler({}, ctx)).rejects.toBeInstanceOf(ValidationError);
    await expect(parkHandler({ caseId: "C-X", reason: "BECAUSE" }, ctx)).rejects.toBeInstanceOf(ValidationError);
  });
});
