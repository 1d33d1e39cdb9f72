// A real dynalite (in memory) on a free port, for adapter contract tests and handler tests.

import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

interface DynaliteServer {
  listen(port: number, cb: (err?: Error) => void): void;
  close(cb: () => void): void;
  address(): AddressInfo | string | null;
}

export interface Dynalite {
  client: DynamoDBClient;
  endpoint: string;
  stop(): Promise<void>;
}

export async function startDynalite(): Promise<Dynalite> {
  const require = createRequire(import.meta.url);
  const dynalite = require("dynalite") as (opts: Record<string, unknown>) => DynaliteServer;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => server.listen(0, (err) => (err ? reject(err) : resolve())));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("dynalite has no port");
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "eu-north-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  return {
    client,
    endpoint,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
