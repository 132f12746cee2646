/**
 * `ce-gateway serve [--config FILE] [--port N] [--host H]`.
 */
import { dirname, resolve } from "node:path";
import { ConfigError } from "../../config/config-error.js";
import { DEFAULT_HOST, DEFAULT_PORT, EMBEDDED_DEFAULT_CONFIG } from "../../config/gateway-config.js";
import { serveGateway, stderrLogger } from "../../entries/node/serve.js";
import { defineCommand, parseCommand } from "../command-spec.js";
import { CliExit, formatConfigError, loadConfigFile } from "../config-file.js";

export const serveSpec = defineCommand({
  name: ["serve"],
  usage: `usage: ce-gateway serve [--config FILE] [--port N] [--host H]
  Runs the gateway. Without --config every valid event goes to stdout.
  --config FILE   the config file; SIGHUP or a change to it reloads it
  --port N        the port (then PORT, then the config's server.port, then 8080)
  --host H        the address (then HOST, then the config's server.host, then 127.0.0.1)`,
  options: { config: { type: "string" }, port: { type: "string" }, host: { type: "string" } },
  positionals: false,
});

function portFrom(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliExit(2, `${what} must be a port number, got "${value}"`);
  return port;
}

export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(serveSpec, args);
  const file = values.config;
  const source =
    file === undefined
      ? undefined
      : { path: file, dir: dirname(resolve(file)), load: () => loadConfigFile(file) };
  let config = EMBEDDED_DEFAULT_CONFIG;
  try {
    if (source !== undefined) config = source.load();
  } catch (error) {
    if (error instanceof ConfigError)
      throw new CliExit(2, `invalid config, not starting:\n${formatConfigError(file ?? "", error)}`);
    throw error;
  }
  const port =
    portFrom(values.port, "--port") ??
    portFrom(process.env.PORT, "PORT") ??
    config.server?.port ??
    DEFAULT_PORT;
  const host = values.host ?? (process.env.HOST || undefined) ?? config.server?.host ?? DEFAULT_HOST;
  let running: Awaited<ReturnType<typeof serveGateway>>;
  try {
    running = await serveGateway({
      config,
      port,
      host,
      logger: stderrLogger(),
      ...(source && { source }),
    });
  } catch (error) {
    // What only this runtime refuses (an outbox a Node process cannot open).
    if (error instanceof ConfigError)
      throw new CliExit(2, `invalid config, not starting:\n${formatConfigError(file ?? "", error)}`);
    throw error;
  }
  // The gateway's own logger, which redacts the config's secrets: a shutdown error may quote a target's URL.
  const { logger } = running;
  logger.info(
    {
      url: running.url,
      adminUrl: running.adminUrl,
      config: file ?? "embedded default",
      schemas: running.schemas ?? "none",
      generation: 1,
    },
    "ce-gateway listening",
  );

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
