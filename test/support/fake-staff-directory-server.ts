// A fake staff directory speaking docs/staff-directory.openapi.yaml on 127.0.0.1 and a free port, serving a
// staff.csv. Knobs make it slow, fail with 500 (always or the next N), answer malformed bodies or demand a credential.
import {
  DEFAULT_REST_KNOBS,
  type FakeRestKnobs,
  type FakeRestServer,
  startFakeRestServer,
} from "../../local/fake-rest-server.ts";
import { CsvStaffDirectory } from "../../shared/adapters/local/csv-staff-directory.ts";

export interface FakeStaffKnobs extends FakeRestKnobs {
  malformed: null | "not-json" | "wrong-shape" | "other-id";
}

export type FakeStaffDirectoryServer = FakeRestServer<FakeStaffKnobs>;

export async function startFakeStaffDirectoryServer(
  csvText: string,
  knobs: Partial<FakeStaffKnobs> = {},
): Promise<FakeStaffDirectoryServer> {
  const directory = new CsvStaffDirectory(csvText);
  return startFakeRestServer({ ...DEFAULT_REST_KNOBS, malformed: null, ...knobs }, async (path, req, k) => {
    const m = /^\/staff\/([^/]+)$/.exec(path);
    if (req.method !== "GET" || !m) return { status: 404, body: { error: "not found" } };
    const member = await directory.findByVgrId(decodeURIComponent(m[1] ?? ""));
    if (!member) return { status: 404, body: { error: "not found" } };
    switch (k.malformed) {
      case "not-json":
        return { status: 200, body: "{ not json", raw: true };
      case "wrong-shape":
        return { status: 200, body: { ...member, email: "not an address", name: 42 } };
      case "other-id":
        return { status: 200, body: { ...member, vgrId: "other99" } };
      default:
        return { status: 200, body: member };
    }
  });
}
