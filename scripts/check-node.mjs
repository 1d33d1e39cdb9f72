// npm test must run on Node >= 22 (Lambda runs nodejs22.x). The `node` devDependency puts Node 22 on npm's PATH.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(
    `lockdesk needs Node >= 22 (Lambda runtime nodejs22.x); this is Node ${process.versions.node}. Run through npm (npm test) so the node@22 devDependency is used, or install Node 22.`,
  );
  process.exit(1);
}
