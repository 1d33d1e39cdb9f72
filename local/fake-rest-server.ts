// The skeleton of the fake REST services (person registry, staff directory): 127.0.0.1 on a free port, a log of the
// paths asked for, and knobs that make it slow, fail with 500 (always or the next N) or demand a credential. Every
// knob is read when the request arrives, so a slow answer still in flight never takes the next test's knobs. The
// service answers the rest (`answer`) from the knobs it was given.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRestKnobs {
  /** Delay before the headers, ms. */
  delayMs: number;
  /** Answer the next N requests with 500 (counts down). */
  failNext: number;
  /** Always answer 500. */
  alwaysFail: boolean;
  /** When set, only this credential is accepted (Bearer or x-api-key), else 401. */
  requiredSecret: string | null;
}

export const DEFAULT_REST_KNOBS: FakeRestKnobs = { delayMs: 0, failNext: 0, alwaysFail: false, requiredSecret: null };

export interface FakeRestServer<K extends FakeRestKnobs> {
  url: string;
  knobs: K;
  /** Requests seen (paths only). */
  requests: string[];
  close(): Promise<void>;
}

/** What the service answers: a status and a JSON body, or (`raw`) a body sent as it is. */
export interface FakeAnswer {
  status: number;
  body: unknown;
  raw?: boolean;
}

export async function startFakeRestServer<K extends FakeRestKnobs>(
  knobs: K,
  answer: (path: string, req: IncomingMessage, knobs: K) => Promise<FakeAnswer>,
): Promise<FakeRestServer<K>> {
  const state: FakeRestServer<K> = { url: "", knobs, requests: [], close: async () => {} };
  const handle = async (req: IncomingMessage): Promise<FakeAnswer> => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    state.requests.push(path);
    const k = { ...state.knobs };
    const fail = k.alwaysFail || k.failNext > 0;
    if (state.knobs.failNext > 0) state.knobs.failNext--;
    if (k.delayMs > 0) await new Promise((r) => setTimeout(r, k.delayMs));
    if (k.requiredSecret !== null) {
      const given = req.headers.authorization?.replace(/^Bearer /, "") ?? req.headers["x-api-key"];
      if (given !== k.requiredSecret) return { status: 401, body: { error: "unauthorized" } };
    }
    if (fail) return { status: 500, body: { error: "internal" } };
    return answer(path, req, k);
  };
  const server = createServer((req, res) => {
    const send = (a: FakeAnswer): void => {
      if (res.destroyed) return;
      res.writeHead(a.status, { "content-type": "application/json" });
      res.end(a.raw ? String(a.body) : JSON.stringify(a.body));
    };
    handle(req).then(send, () => send({ status: 500, body: { error: "fake server error" } }));
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
