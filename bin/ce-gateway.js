#!/usr/bin/env node
// Entry point of the `ce-gateway` command: checks the Node version, then runs the built CLI.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`ce-gateway needs Node.js >= 22.12 (this is ${process.versions.node}).\n`);
  process.exit(1);
}

// `serve` runs with a smaller young generation than V8 picks by itself (semi-spaces of
// 4 MB instead of growing to 16): at 50 concurrent connections peak RSS went from about
// 168 MB to 136 MB with the same throughput. V8 reads the flag only at start, so the
// process re-executes itself with it (same pid, stdio and environment). A flag given
// by the user (NODE_OPTIONS or the command line) is left as it is.
const YOUNG_GENERATION = "--max-semi-space-size=4";
const userSetIt = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) =>
  arg.includes("--max-semi-space-size"),
);
if (process.argv[2] === "serve" && !userSetIt && typeof process.execve === "function") {
  const script = new URL(import.meta.url).pathname;
  try {
    process.execve(
      process.execPath,
      [process.execPath, YOUNG_GENERATION, ...process.execArgv, script, ...process.argv.slice(2)],
      process.env,
    );
  } catch {
    // A platform without execve (Windows): serve with V8's own sizing.
  }
}

const { main } = await import("../dist/src/cli/main.js");
main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`ce-gateway: ${error?.stack ?? error}\n`);
  process.exit(1);
});
