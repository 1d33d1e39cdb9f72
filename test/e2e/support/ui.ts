// The UI for a browser test: the API (and its pages) over the test harness's dependencies on a free local port, and
// a browser to use it. close() ends both.
import type { Server } from "node:http";
import type { BrowserContext } from "playwright-core";
import type { ApiDeps } from "../../../functions/api/router.ts";
import { createApiServer } from "../../../functions/api/server.ts";
import { launchBrowser } from "./browser.ts";

export interface Ui {
  base: string;
  browser: BrowserContext;
  close(): Promise<void>;
}

/** Listens on a free port of 127.0.0.1; the server's base URL. */
export async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  return `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
}

/** Closes a server, its open connections first (a browser keeps them alive). */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function startUi(deps: ApiDeps): Promise<Ui> {
  const server = createApiServer(deps);
  const base = await listenLocal(server);
  const launched = await launchBrowser();
  return {
    base,
    browser: launched.context,
    close: async () => {
      await launched.close();
      await closeServer(server);
    },
  };
}
