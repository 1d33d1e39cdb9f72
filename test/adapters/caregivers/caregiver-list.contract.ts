// One contract for every CaregiverListAdmin (DynamoDB, and the in-memory list of the API tests): nothing current
// before the first publication, publish makes a version current with who and when in the history, the same content
// again changes nothing, a bad CSV is refused (RegistryDataError) and leaves the current list as it was.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { caregiverListVersion } from "../../../shared/adapters/local/csv-caregiver-list.ts";
import { RegistryDataError } from "../../../shared/domain/errors.ts";
import type { CaregiverListAdmin } from "../../../shared/ports/person-registry.ts";

const V1 = readFileSync(new URL("../../fixtures/registry/approved-caregivers.csv", import.meta.url), "utf8");
const V2 = `${V1.trimEnd()}\nNya Vårdcentralen Kungälv AB,559123-4567\n`;

/** `make` gets the clock the list must stamp its changes with. */
export function caregiverListContract(name: string, make: (now: () => Date) => Promise<CaregiverListAdmin>): void {
  const times = ["2025-03-24T08:00:00.000Z", "2025-03-24T09:00:00.000Z", "2025-03-24T10:00:00.000Z"];
  const clock = () => {
    const queue = [...times];
    return () => new Date(queue.shift() ?? "2025-03-24T12:00:00.000Z");
  };

  it(`${name}: nothing is current before the first publication`, async () => {
    const list = await make(clock());
    await expect(list.current()).rejects.toBeInstanceOf(RegistryDataError);
    expect(await list.history()).toEqual([]);
  });

  it(`${name}: publishing makes a version current, newest first in the history with who and when`, async () => {
    const list = await make(clock());
    const first = await list.publish(V1, "admin:eva");
    expect(first).toEqual({ version: caregiverListVersion(V1), count: 8, changed: true });
    const second = await list.publish(V2, "admin:olof");
    expect(second).toEqual({ version: caregiverListVersion(V2), count: 9, changed: true });
    const current = await list.current();
    expect(current.version).toBe(caregiverListVersion(V2));
    expect(current.names).toContain("Nya Vårdcentralen Kungälv AB");
    expect(await list.history()).toEqual([
      {
        version: second.version,
        previousVersion: first.version,
        count: 9,
        uploadedBy: "admin:olof",
        uploadedAt: times[1],
      },
      { version: first.version, previousVersion: null, count: 8, uploadedBy: "admin:eva", uploadedAt: times[0] },
    ]);
  });

  it(`${name}: the same content again changes nothing; a bad CSV is refused and the list stays`, async () => {
    const list = await make(clock());
    await list.publish(V1, "admin:eva");
    expect(await list.publish(V1, "admin:eva")).toEqual({
      version: caregiverListVersion(V1),
      count: 8,
      changed: false,
    });
    await expect(list.publish("name,organisationNumber\nTrasig AB,12345\n", "admin:eva")).rejects.toBeInstanceOf(
      RegistryDataError,
    );
    await expect(list.publish("name,organisationNumber\n", "admin:eva")).rejects.toBeInstanceOf(RegistryDataError);
    expect((await list.current()).version).toBe(caregiverListVersion(V1));
    expect(await list.history()).toHaveLength(1);
  });
}
