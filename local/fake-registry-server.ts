// A fake person registry speaking docs/person-registry.openapi.yaml, on 127.0.0.1 and a free port, serving a
// CSV registry. Knobs make it slow, fail with 500, answer malformed bodies, or demand a credential. Used by the
// adapter and outage tests and by the local stack in HTTP-registry mode (`lockdesk start --registry-http`).
import { CsvPersonRegistry } from "../shared/adapters/local/csv-person-registry.ts";
import {
  DEFAULT_REST_KNOBS,
  type FakeRestKnobs,
  type FakeRestServer,
  startFakeRestServer,
} from "./fake-rest-server.ts";

export interface FakeRegistryKnobs extends FakeRestKnobs {
  /** Answer 200 with a body that breaks the contract: "not-json" | "wrong-shape" | "other-person". */
  malformed: null | "not-json" | "wrong-shape" | "other-person";
}

export type FakeRegistryServer = FakeRestServer<FakeRegistryKnobs>;

export async function startFakeRegistryServer(
  registry: CsvPersonRegistry | string,
  knobs: Partial<FakeRegistryKnobs> = {},
): Promise<FakeRegistryServer> {
  const persons = typeof registry === "string" ? new CsvPersonRegistry(registry) : registry;
  return startFakeRestServer({ ...DEFAULT_REST_KNOBS, malformed: null, ...knobs }, async (path, req, k) => {
    const m = /^\/persons\/([^/]+)$/.exec(path);
    if (req.method !== "GET" || !m) return { status: 404, body: { error: "not found" } };
    const pnr = decodeURIComponent(m[1] ?? "");
    if (!/^\d{12}$/.test(pnr)) return { status: 400, body: { error: "personnummer must be 12 digits" } };
    const person = await persons.findByPersonnummer(pnr);
    if (!person) return { status: 404, body: { error: "not found" } };
    switch (k.malformed) {
      case "not-json":
        return { status: 200, body: "{ this is not json", raw: true };
      case "wrong-shape":
        return {
          status: 200,
          body: { ...person, givenNames: person.givenNames.join(" "), protectedIdentity: "no" },
        };
      case "other-person":
        return {
          status: 200,
          body: { ...person, personnummer: pnr === "189001019802" ? "189001029819" : "189001019802" },
        };
      default:
        return { status: 200, body: person };
    }
  });
}
