/**
 * The long fuzz run: the properties of test/fuzz with many more cases than
 * `npm test` gives them, and the socket storm with more connections.
 *
 *   npm run fuzz                      # 20,000 cases per property, at most 20 s each
 *   CE_FUZZ_RUNS=100000 CE_FUZZ_SECONDS=120 npm run fuzz
 *   CE_FUZZ_SEED=1234 npm run fuzz    # replays a failure fast-check printed
 *
 * Builds first (the storm runs the built `ce-gateway serve`). Exits with
 * vitest's status; a failing property prints its seed and shrunk input.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

const env = {
  ...process.env,
  CE_FUZZ_RUNS: process.env.CE_FUZZ_RUNS ?? "20000",
  CE_FUZZ_SECONDS: process.env.CE_FUZZ_SECONDS ?? "20",
  CE_FUZZ_STORM_CONNECTIONS: process.env.CE_FUZZ_STORM_CONNECTIONS ?? "500",
};

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.stdout.write(
  `fuzz: ${env.CE_FUZZ_RUNS} cases per property, at most ${env.CE_FUZZ_SECONDS} s each; storm of ${env.CE_FUZZ_STORM_CONNECTIONS} connections per round\n`,
);
run(["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"]);
run(["node_modules/vitest/vitest.mjs", "run", "test/fuzz", ...process.argv.slice(2)]);
