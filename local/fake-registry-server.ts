// A fake person registry speaking docs/person-registry.openapi.yaml, on 127.0.0.1 and a free port, serving a
// CSV registry. Knobs make it slow, fail with 500, answer malformed bodies, or demand a credential. Used by the
// adapter and outage tests and by the local stack in HTTP-registry mode (`lockdesk start --registry-http`).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CsvPersonRegistry } from "../shared/adapters/local/csv-person-registry.ts";

export interface FakeRegistryKnobs {
  /** Delay before the headers, ms. */
  delayMs: number;
  /** Answer the next N requests with 500 (counts down). */
  failNext: number;
  /** Always answer 500. */
  alwaysFail: boolean;
  /** Answer 200 with a body that breaks the contract: "not-json" | "wrong-shape" | "other-person". */
  malformed: null | "not-json" | "wrong-shape" | "other-person";
  /** When set, only this credential is accepted (Bearer or x-api-key), else 401. */
  requiredSecret: string | null;
}

export interface FakeRegistryServer {
  url: string;
  knobs: FakeRegistryKnobs;
  /** Requests seen (paths only). */
  requests: string[];
  close(): Promise<void>;
}

const DEFAULT_KNOBS: FakeRegistryKnobs = {
  delayMs: 0,
  failNext: 0,
  alwaysFail: false,
  malformed: null,
  requiredSecret: null,
};

export async function startFakeRegistryServer(
  registry: CsvPersonRegistry | string,
  knobs: Partial<FakeRegistryKnobs> = {},
): Promise<FakeRegistryServer> {
  const persons = typeof registry === "string" ? new CsvPersonRegistry(registry) : registry;
  const state: FakeRegistryServer = {
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
    const k = state.knobs;
    if (k.delayMs > 0) await new Promise((r) => setTimeout(r, k.delayMs));
    if (k.requiredSecret !== null) {
      const given = req.headers.authorization?.replace(/^Bearer /, "") ?? req.headers["x-api-key"];
      if (given !== k.requiredSecret) return send(res, 401, { error: "unauthorized" });
    }
    if (k.alwaysFail || k.failNext > 0) {
      if (k.failNext > 0) k.failNext--;
      return send(res, 500, { error: "internal" });
    }
    const m = /^\/persons\/([^/]+)$/.exec(path);
    if (req.method !== "GET" || !m) return send(res, 404, { error: "not found" });
    const pnr = decodeURIComponent(m[1] ?? "");
    if (!/^\d{12}$/.test(pnr)) return send(res, 400, { error: "personnummer must be 12 digits" });
    const person = await persons.findByPersonnummer(pnr);
    if (!person) return send(res, 404, { error: "not found" });
    switch (k.malformed) {
      case "not-json":
        return send(res, 200, "{ this is not json", true);
      case "wrong-shape":
        return send(res, 200, { ...person, givenNames: person.givenNames.join(" "), protectedIdentity: "no" });
      case "other-person":
        return send(res, 200, { ...person, personnummer: pnr === "189001019802" ? "189001029819" : "189001019802" });
      default:
        return send(res, 200, person);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: "fake server error" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    });
  return state;
}
