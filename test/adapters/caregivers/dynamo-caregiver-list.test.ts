// DynamoCaregiverList on a real in-process dynalite: versions, the current pointer, history with who and when,
// bad CSV rejected before anything is written, idempotent re-publishing.
import { readFileSync } from "node:fs";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createReferenceTable,
  DynamoCaregiverList,
  ReferenceDataConflictError,
} from "../../../shared/adapters/aws/dynamo-caregiver-list.ts";
import { documentClient } from "../../../shared/adapters/aws/dynamo-case-store.ts";
import { CsvCaregiverList, caregiverListVersion } from "../../../shared/adapters/local/csv-caregiver-list.ts";
import { RegistryDataError } from "../../../shared/domain/errors.ts";
import { type Dynalite, startDynalite } from "../case-store/dynalite.ts";

const V1 = readFileSync(new URL("../../fixtures/registry/approved-caregivers.csv", import.meta.url), "utf8");
const V2 = `${V1.trimEnd()}\nNya Vårdcentralen Kungälv AB,559123-4567\n`;

let db: Dynalite;
let n = 0;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.stop();
});

async function freshList(times: string[] = []) {
  const table = `reference-${++n}`;
  await createReferenceTable(db.client, table);
  await createReferenceTable(db.client, table); // idempotent
  const queue = [...times];
  const list = new DynamoCaregiverList(documentClient(db.client), table, {
    now: () => new Date(queue.shift() ?? "2025-03-24T12:00:00.000Z"),
  });
  const count = async () =>
    (await documentClient(db.client).send(new ScanCommand({ TableName: table }))).Items?.length ?? 0;
  return { list, table, count };
}

describe("DynamoCaregiverList on dynalite", () => {
  it("publishes v1 then v2: current() is v2, history lists both newest first with user and time", async () => {
    const { list } = await freshList(["2025-03-20T08:00:00.000Z", "2025-03-24T09:30:00.000Z"]);
    const r1 = await list.publish(V1, "user:admin");
    const r2 = await list.publish(V2, "user:berit");
    expect(r1).toEqual({ version: caregiverListVersion(V1), count: 8, changed: true });
    expect(r2).toEqual({ version: caregiverListVersion(V2), count: 9, changed: true });

    const current = await list.current();
    expect(current.version).toBe(r2.version);
    expect(current.names).toEqual([...(await new CsvCaregiverList(V2).current()).names]);
    expect(current.names).toContain("Nya Vårdcentralen Kungälv AB");

    expect(await list.history()).toEqual([
      {
        version: r2.version,
        previousVersion: r1.version,
        count: 9,
        uploadedBy: "user:berit",
        uploadedAt: "2025-03-24T09:30:00.000Z",
      },
      {
        version: r1.version,
        previousVersion: null,
        count: 8,
        uploadedBy: "user:admin",
        uploadedAt: "2025-03-20T08:00:00.000Z",
      },
    ]);
  });

  it("rejects a bad CSV with a one-line error naming line and column, and writes nothing", async () => {
    const { list, count } = await freshList();
    const bad = "name,organisationNumber\nHälsokällan Vårdcentral AB,556712-3400\nTrasig AB,12345\n";
    const err = await list.publish(bad, "user:admin").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryDataError);
    expect((err as Error).message).toBe(
      "approved-caregivers.csv line 3, column organisationNumber: expected NNNNNN-NNNN",
    );
    expect((err as Error).message).not.toContain("\n");
    await expect(list.publish("name,organisationNumber\n", "user:admin")).rejects.toThrow(/no rows/);
    await expect(list.publish("namn;orgnr\nX;1\n", "user:admin")).rejects.toBeInstanceOf(RegistryDataError);
    expect(await count()).toBe(0);
    expect(await list.history()).toEqual([]);
    await expect(list.current()).rejects.toThrow(/no approved-caregivers list has been published/);

    // A rejected upload after a good one leaves the current list untouched.
    const ok = await list.publish(V1, "user:admin");
    await expect(list.publish(bad, "user:admin")).rejects.toBeInstanceOf(RegistryDataError);
    expect((await list.current()).version).toBe(ok.version);
    expect(await list.history()).toHaveLength(1);
  });

  it("re-publishing the current content is idempotent; going back to an old version is a recorded change", async () => {
    const { list, count } = await freshList();
    const r1 = await list.publish(V1, "user:admin");
    const before = await count();
    expect(await list.publish(V1, "user:other")).toEqual({ version: r1.version, count: 8, changed: false });
    expect(await count()).toBe(before);
    expect(await list.history()).toHaveLength(1);

    await list.publish(V2, "user:admin");
    const back = await list.publish(V1, "user:berit");
    expect(back.changed).toBe(true);
    expect((await list.current()).version).toBe(r1.version);
    const history = await list.history();
    expect(history.map((h) => [h.version, h.uploadedBy])).toEqual([
      [r1.version, "user:berit"],
      [caregiverListVersion(V2), "user:admin"],
      [r1.version, "user:admin"],
    ]);
  });

  it("keeps each version's organisation numbers; rollback makes a stored version current (recorded), unknown refused", async () => {
    const { list } = await freshList();
    const r1 = await list.publish(V1, "user:admin");
    const r2 = await list.publish(V2, "user:admin");
    expect((await list.rows(r2.version))?.at(-1)).toEqual({
      name: "Nya Vårdcentralen Kungälv AB",
      organisationNumber: "559123-4567",
    });
    expect(await list.rows("0000000000ab")).toBeNull();
    expect(await list.rollback(r1.version, "user:berit")).toEqual({ version: r1.version, count: 8, changed: true });
    expect((await list.current()).version).toBe(r1.version);
    expect(await list.rollback(r1.version, "user:berit")).toEqual({ version: r1.version, count: 8, changed: false });
    expect((await list.history()).map((h) => [h.version, h.previousVersion, h.uploadedBy])[0]).toEqual([
      r1.version,
      r2.version,
      "user:berit",
    ]);
    await expect(list.rollback("0000000000ab", "user:berit")).rejects.toBeInstanceOf(RegistryDataError);
  });

  it("falls back while nothing is published, and refuses a publish that lost a race", async () => {
    const { table } = await freshList();
    const fallback = new CsvCaregiverList(V1);
    const list = new DynamoCaregiverList(documentClient(db.client), table, { fallback });
    expect((await list.current()).version).toBe(caregiverListVersion(V1));

    // Two admins publish different lists at once: exactly one wins, the other gets a conflict.
    const results = await Promise.allSettled([list.publish(V1, "user:a"), list.publish(V2, "user:b")]);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(ReferenceDataConflictError);
    expect(await list.history()).toHaveLength(1);
  });
});
