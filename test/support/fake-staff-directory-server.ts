// A fake staff directory speaking docs/staff-directory.openapi.yaml on 127.0.0.1 and a free port, serving a
// staff.csv. Knobs make it slow, fail with 500 (always or the next N), answer malformed bodies or demand a credential.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CsvStaffDirectory } from "../../shared/adapters/local/csv-staff-directory.ts";

export interface FakeStaffKnobs {
  delayMs: number;
  failNext: number;
  alwaysFail: boolean;
  malformed: null | "not-json" | "wrong-shape" | "other-id";
  requiredSecret: string | null;
}

export interface FakeStaffDirectoryServer {
  url: string;
  knobs: FakeStaffKnobs;
  /** Paths asked for. */
  requests: string[];
  close(): Promise<void>;
}

const DEFAULT_KNOBS: FakeStaffKnobs = {
  delayMs: 0,
  failNext: 0,
  alwaysFail: false,
  malformed: null,
  requiredSecret: null,
};

export async function startFakeStaffDirectoryServer(
  csvText: string,
  knobs: Partial<FakeStaffKnobs> = {},
): Promise<FakeStaffDirectoryServer> {
  const directory = new CsvStaffDirectory(csvText);
  const state: FakeStaffDirectoryServer = {
    url: "",
    knobs: { ...DEFAULT_KNOBS, ...knobs },
    requests: [],
    close: async () => {},
  };
  const send = (res: ServerResponse, status: number, body: unknown, raw = false): void => {
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(raw ? String(body) : JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    state.requests.push(path);
    // Every knob is read when the request arrives: a slow answer still in flight must not take the next test's knobs.
    const k = { ...state.knobs };
    const fail = k.alwaysFail || k.failNext > 0;
    if (state.knobs.failNext > 0) state.knobs.failNext--;
    if (k.delayMs > 0) await new Promise((r) => setTimeout(r, k.delayMs));
    if (k.requiredSecret !== null) {
      const given = req.headers.authorization?.replace(/^Bearer /, "") ?? req.headers["x-api-key"];
      if (given !== k.requiredSecret) return send(res, 401, { error: "unauthorized" });
    }
    if (fail) return send(res, 500, { error: "internal" });
    const m = /^\/staff\/([^/]+)$/.exec(path);
    if (req.method !== "GET" || !m) return send(res, 404, { error: "not found" });
    const member = await directory.findByVgrId(decodeURIComponent(m[1] ?? ""));
    if (!member) return send(res, 404, { error: "not found" });
    switch (k.malformed) {
      case "not-json":
        return send(res, 200, "{ not json", true);
      case "wrong-shape":
        return send(res, 200, { ...member, email: "not an address", name: 42 });
      case "other-id":
        return send(res, 200, { ...member, vgrId: "other99" });
      default:
        return send(res, 200, member);
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: "fake server error" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    });
  return state;
}
