#!/usr/bin/env node
// lockdesk command line. Runs the TypeScript sources through tsx (no build step).
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(
    `lockdesk needs Node >= 22 (this is ${process.versions.node}); run it through npm or npx so the node@22 devDependency is used.`,
  );
  process.exit(1);
}
const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
