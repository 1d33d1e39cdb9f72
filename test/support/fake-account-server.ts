// A fake 1177 staff tool on 127.0.0.1 (a free port) implementing docs/account-service.openapi.yaml in memory, for
// HttpAccountService's tests and the AccountService contract. `seen`, `token` and `failNext` let a test look at and
// steer what the adapter meets.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  path: string;
  auth: string | undefined;
  key: string | undefined;
  body: Record<string, string>;
}

export interface FakeAccountServer {
  baseUrl: string;
  seen: SeenRequest[];
  /** The bearer token the server accepts. */
  token: string;
  /** The next request answers with this status (then the server behaves again). */
  failNext: number | undefined;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, string>;
}

export async function startFakeAccountServer(): Promise<FakeAccountServer> {
  const locked = new Set<string>();
  const blocked = new Set<string>();
  const state = { seen: [] as SeenRequest[], token: "token-1", failNext: undefined as number | undefined };
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? "";
    state.seen.push({
      path,
      auth: req.headers.authorization,
      key: req.headers["idempotency-key"] as string | undefined,
      body,
    });
    const send = (status: number, json?: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(json === undefined ? "" : JSON.stringify(json));
    };
    if (state.failNext) {
      const s = state.failNext;
      state.failNext = undefined;
      return send(s, { title: "nope" });
    }
    if (req.headers.authorization !== `Bearer ${state.token}`) return send(401);
    const p = body.personnummer ?? "";
    const g = `${body.child}/${body.guardian}`;
    switch (path) {
      case "/v1/accounts/lock":
        if (locked.has(p)) return send(200, { result: "ALREADY_LOCKED" });
        locked.add(p);
        return send(200, { result: "LOCKED" });
      case "/v1/accounts/unlock":
        return send(200, { result: locked.delete(p) ? "UNLOCKED" : "ALREADY_UNLOCKED" });
      case "/v1/guardian-blocks/block":
        if (blocked.has(g)) return send(200, { result: "ALREADY_BLOCKED" });
        blocked.add(g);
        return send(200, { result: "BLOCKED" });
      case "/v1/guardian-blocks/unblock":
        return send(200, { result: blocked.delete(g) ? "UNBLOCKED" : "ALREADY_UNBLOCKED" });
      case "/v1/accounts/status":
        return send(200, {
          personnummer: p,
          locked: locked.has(p),
          blockedGuardians: [...blocked].filter((k) => k.startsWith(`${p}/`)).map((k) => k.split("/")[1]),
        });
      case "/v1/weird":
        return send(200, { result: "MAYBE" });
      default:
        return send(404);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const fake: FakeAccountServer = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    get seen() {
      return state.seen;
    },
    get token() {
      return state.token;
    },
    set token(t: string) {
      state.token = t;
    },
    get failNext() {
      return state.failNext;
    },
    set failNext(s: number | undefined) {
      state.failNext = s;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}
