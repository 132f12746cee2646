/**
 * The `ce-gateway` command line.
 *   ce-gateway serve [--config FILE] [--port N] [--host H]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError } from "../config/config-error.js";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  EMBEDDED_DEFAULT_CONFIG,
  type GatewayConfig,
} from "../config/gateway-config.js";
import { parseConfig } from "../config/parse-config.js";
import { serveGateway, stderrLogger } from "../entries/node/serve.js";

const USAGE = `Usage:
  ce-gateway serve [--config FILE] [--port N] [--host H]
      Runs the gateway. Without --config every valid event goes to stdout.
      Port and host: flag, then PORT/HOST, then the config file, then ${DEFAULT_HOST}:${DEFAULT_PORT}.
  ce-gateway --help | --version
`;

function fail(message: string): never {
  process.stderr.write(`ce-gateway: ${message}\n`);
  process.exit(2);
}

function loadConfig(file: string | undefined): GatewayConfig {
  if (file === undefined) return EMBEDDED_DEFAULT_CONFIG;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    fail(`cannot read config ${file}: ${(error as Error).message}`);
  }
  try {
    return parseConfig(text);
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid config ${file}:\n${error.message}`);
    throw error;
  }
}

function portFrom(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`${what} must be a port number, got "${value}"`);
  return port;
}

async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { config: { type: "string" }, port: { type: "string" }, host: { type: "string" } },
    strict: true,
  });
  const config = loadConfig(values.config);
  const port =
    portFrom(values.port, "--port") ??
    portFrom(process.env.PORT, "PORT") ??
    config.server?.port ??
    DEFAULT_PORT;
  const host = values.host ?? (process.env.HOST || undefined) ?? config.server?.host ?? DEFAULT_HOST;
  const logger = stderrLogger();
  const running = await serveGateway({ config, port, host, logger }).catch((error: unknown) => {
    if (error instanceof ConfigError) fail(`invalid config ${values.config ?? ""}:\n${error.message}`);
    throw error;
  });
  logger.info({ url: running.url, config: values.config ?? "embedded default" }, "ce-gateway listening");

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return serveCommand(rest);
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
      fail(`unknown command "${command}"\n${USAGE}`);
  }
}
