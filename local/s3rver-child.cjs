// s3rver in a child process. Why a child: s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with DES,
// which Node 22's OpenSSL 3 only offers with `--openssl-legacy-provider` — a flag that must be given when the
// process starts, so the parent spawns this file with it instead of forcing it on every `lockdesk` run.
// (@20minutes/s3rver 5.0.0, the maintained fork, still uses DES and needs Node >= 24: no gain here.)
// Object events are forwarded to the parent over IPC; when the parent dies (even kill -9) the IPC channel
// closes and this process exits, so no orphan keeps the port or the data dir.
"use strict";
const S3rver = require("s3rver");

const config = JSON.parse(process.argv[2] || "{}");
const server = new S3rver({
  address: config.host || "127.0.0.1",
  port: config.port || 0,
  silent: true,
  directory: config.directory,
  configureBuckets: (config.buckets || []).map((name) => ({ name })),
  allowMismatchedSignatures: true,
  vhostBuckets: false,
});
server.on("event", (event) => {
  if (process.connected) process.send({ type: "event", event });
});
server
  .run()
  .then((address) => {
    if (process.connected) process.send({ type: "ready", port: address.port });
  })
  .catch((err) => {
    if (process.connected) process.send({ type: "error", message: String(err?.message) });
    process.exit(1);
  });
const shutdown = () => {
  server.close().finally(() => process.exit(0));
};
process.on("disconnect", shutdown);
process.on("SIGTERM", shutdown);
