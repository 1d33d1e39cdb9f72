// Moved to local/fake-registry-server.ts (the local stack serves it with `lockdesk start --registry-http`);
// re-exported here so the suites that import it from test/support keep working.
export * from "../../local/fake-registry-server.ts";
