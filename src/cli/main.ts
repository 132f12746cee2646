/**
 * The `ce-gateway` command line: dispatches to one file per command.
 */
import { readFileSync } from "node:fs";
import { DEFAULT_HOST, DEFAULT_PORT } from "../config/gateway-config.js";
import { CliExit } from "./config-file.js";

const USAGE = `Usage:
  ce-gateway serve [--config FILE] [--port N] [--host H]
      Runs the gateway. Without --config every valid event goes to stdout.
      Port and host: flag, then PORT/HOST, then the config file, then ${DEFAULT_HOST}:${DEFAULT_PORT}.
      SIGHUP or a change to FILE reloads the config.
  ce-gateway config check FILE      Reports every error in a config file (exit 1 on any).
  ce-gateway config show FILE       Prints the effective config, interpolated, with secrets redacted.
  ce-gateway config schema          Prints the config file's JSON Schema.
  ce-gateway routes explain [--config FILE] EVENT.json [--json]
      Shows which routes an event (JSON format) matches and where it would go.
  ce-gateway routes explain --config FILE --source PATH --body FILE [--header NAME:VALUE ...] [--query Q]
      The same for a raw request to a source: the CloudEvents it becomes, and where they go.
  ce-gateway test [--config FILE] [--junit FILE]
      Runs each example event (<schemas dir>/<type>/examples/*.json) through the gateway and
      checks its expectations ({ "event": ..., "expect": { "valid": true, "targets": [...] } }).
  ce-gateway schemas compile [--config FILE] [--out DIR]
      Precompiles every schema into DIR/validators.js (default ./schemas-compiled), for Workers.
  ce-gateway schemas check [--config FILE] --against DIR|GIT-REF
      Checks new schema versions against an earlier state; exit 1 on a breaking change.
  ce-gateway build --target workers [--config FILE] [--out DIR]
      Checks the config for Workers and writes DIR/worker.js (default .ce-gateway), the Worker's
      main module, with the schemas compiled in; \${env:NAME} stays a placeholder for the Worker's
      vars and secrets.
  ce-gateway auth hash               Reads an API key from stdin (one trailing newline dropped) and prints
      its SHA-256, the value auth.apiKeys[].sha256 holds.
  ce-gateway auth hash --generate    Makes a random key and prints it ("key: ...") and its hash ("sha256: ...").
  ce-gateway deadletter replay --config FILE --from TARGET [--limit N] [--json]
      Sends the dead letters TARGET holds (a memory or JetStream nats target) again, through the
      routes, to the targets that refused them; removes those delivered. Exit 1 if any were kept.
  ce-gateway tail [--nats URL] [--subject S] [--json] [--count N]
      Prints the CloudEvents arriving on NATS (default nats://127.0.0.1:4222, every subject).
  ce-gateway tail --pubsub projects/P/subscriptions/S [--json] [--count N]
      The same for a Pub/Sub subscription (PUBSUB_EMULATOR_HOST for an emulator).
  ce-gateway tail --gateway ADMIN_URL [--token T] [--type P] [--source P] [--sql E] [--json] [--count N]
      What passes through a running gateway: each event, its deliveries, each refused request
      (its admin listener's live stream; the token defaults to ADMIN_TOKEN).
  ce-gateway init [DIR] [--force]
      Writes a new project into DIR: gateway.yaml, schemas/ with examples, wrangler.toml, a README.
  ce-gateway send URL --type T --source S [--id ID] [--data @FILE|TEXT] [--mode binary|structured|batch]
                  [--count N] [--concurrency C] [--batch-size B] [--header NAME:VALUE ...]
      Sends test events, each with a new id; with --count, progress and a one-line summary.
  ce-gateway COMMAND --help          Each command's options.
  ce-gateway --help | --version
`;

/**
 * Each command's module is loaded only when it runs: the build and test
 * tooling (esbuild, the compatibility checker, the SDKs tail needs) is no
 * part of a serving gateway's memory.
 */
async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return (await import("./commands/serve.js")).serveCommand(rest);
    case "config":
      return (await import("./commands/config.js")).configCommand(rest);
    case "routes":
      return (await import("./commands/explain.js")).explainCommand(rest);
    case "deadletter":
      return (await import("./commands/deadletter.js")).deadletterCommand(rest);
    case "tail":
      return (await import("./commands/tail.js")).tailCommand(rest);
    case "test":
      return (await import("./commands/test.js")).testCommand(rest);
    case "schemas":
      return (await import("./commands/schemas.js")).schemasCommand(rest);
    case "auth":
      return (await import("./commands/auth.js")).authCommand(rest);
    case "build":
      return (await import("./commands/build.js")).buildCommand(rest);
    case "init":
      return (await import("./commands/init.js")).initCommand(rest);
    case "send":
      return (await import("./commands/send.js")).sendCommand(rest);
    case "--version":
    case "-v": {
      const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
        version: string;
      };
      process.stdout.write(`${pkg.version}\n`);
      return;
    }
    case undefined:
    case "--help":
    case "-h":
    case "help":
      process.stdout.write(USAGE);
      return;
    default:
      throw new CliExit(2, `unknown command "${command}"\n${USAGE}`);
  }
}

export async function main(argv: string[]): Promise<void> {
  try {
    await run(argv);
  } catch (error) {
    const usageError = (error as { code?: unknown }).code?.toString().startsWith("ERR_PARSE_ARGS") === true;
    if (!(error instanceof CliExit) && !usageError) throw error;
    // An empty message is a command that is done (its --help printed).
    if ((error as Error).message) process.stderr.write(`${(error as Error).message}\n`);
    process.exit(error instanceof CliExit ? error.code : 2);
  }
}
