#!/usr/bin/env node
// Entry point of the `ce-gateway` command: checks the Node version, then runs the built CLI.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`ce-gateway needs Node.js >= 22.12 (this is ${process.versions.node}).\n`);
  process.exit(1);
}
const { main } = await import("../dist/src/cli/main.js");
main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`ce-gateway: ${error?.stack ?? error}\n`);
  process.exit(1);
});
