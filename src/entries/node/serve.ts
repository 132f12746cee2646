/**
 * The Node entry: serves the gateway (and the admin listener when configured)
 * with @hono/node-server, logs JSON lines to stderr, reloads its config on
 * request, and shuts down gracefully.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { createAdaptorServer, type ServerType } from "@hono/node-server";
import { pino } from "pino";
import { ConfigError } from "../../config/config-error.js";
import { configWarnings } from "../../config/config-warnings.js";
import type { GatewayConfig } from "../../config/gateway-config.js";
import { LiveTail } from "../../console/live-tail.js";
import { createAdminApp } from "../../http/admin-app.js";
import type { Gateway } from "../../http/create-gateway.js";
import { auditLog } from "../../observe/audit-log.js";
import { type Logger, logObserver } from "../../observe/log-observer.js";
import { combineObservers } from "../../observe/observer.js";
import { SecretRedactor } from "../../observe/redact.js";
import { redactingLogger } from "../../observe/redacting-logger.js";
import { collectStartupGarbage } from "./collect-startup-garbage.js";
import { watchConfigFile } from "./config-watcher.js";
import { createGateway } from "./create-gateway.js";
import { gatewayListener } from "./events-listener.js";
import { createLimitedServer } from "./limited-server.js";
import { pinoLevelControl } from "./log-level-control.js";
import { withMetricsEndpoint } from "./metrics/metrics-endpoint.js";
import { PrometheusMetrics } from "./metrics/prometheus-metrics.js";
import { openSchemaRegistry } from "./open-schema-registry.js";
import { openOutbox } from "./outbox/open-outbox.js";
import { folderExamples } from "./schema-examples.js";
import { resolveSchemas } from "./schemas-config.js";
import { nodeServerLimitsOf } from "./server-limits.js";
import { writeProcessStdout } from "./stdout-writer.js";
import { nodeTargets } from "./targets.js";

export type NodeLogger = Logger & { error(object: object, message: string): void };

export interface ConfigSource {
  readonly path: string;
  /** The folder relative paths in the config (the schema dir) start from. */
  readonly dir?: string;
  /** Reads and parses the file; throws ConfigError when it is invalid. */
  load(): GatewayConfig;
}

export interface ServeOptions {
  readonly config: GatewayConfig;
  readonly port: number;
  readonly host: string;
  readonly logger?: NodeLogger;
  /** Where the config came from: enables reload (SIGHUP, file changes, admin POST /reload). */
  readonly source?: ConfigSource;
}

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly url: string;
  readonly adminUrl: string | undefined;
  /** Where the schema registry's versions come from (a folder or a KV bucket); undefined without one. */
  readonly schemas: string | undefined;
  /**
   * The logger the gateway writes with (the one given, or stderr), every line
   * redacted with the secrets of its config and of each one reloaded: for
   * what its runner logs besides (serve's start and shutdown lines), so an
   * error that quotes a target's URL or key is redacted there too.
   */
  readonly logger: NodeLogger;
  /** Re-reads the config file and swaps it in; throws ConfigError and keeps the current one when invalid. */
  reload(): Promise<number>;
  /** Stops accepting, lets in-flight requests finish, then closes the targets. */
  stop(): Promise<void>;
}

export function stderrLogger(): NodeLogger {
  return pino(
    { base: undefined, level: process.env.LOG_LEVEL ?? "info" },
    pino.destination({ dest: 2, sync: true }),
  );
}

async function listen(server: ServerType, port: number, host: string, scheme: "http" | "https" = "http") {
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
    server.listen(port, host);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { server, url: `${scheme}://${shown}:${address.port}` };
}

/** Stops accepting; each keep-alive socket is closed as soon as it is idle, so busy ones finish first. */
function closeGracefully(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    const closeIdle = () => {
      if ("closeIdleConnections" in server) server.closeIdleConnections();
    };
    const sweeper = setInterval(closeIdle, 50);
    server.close(() => {
      clearInterval(sweeper);
      resolve();
    });
    closeIdle();
  });
}

/** The file's content hash, or undefined when it cannot be read (deleted, moved). */
function digest(path: string): string | undefined {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return undefined;
  }
}

export async function serveGateway(options: ServeOptions): Promise<RunningGateway> {
  // Every line goes through the redactor, which learns each config's secrets.
  const secrets = new SecretRedactor().learn(options.config);
  const baseLogger = options.logger ?? stderrLogger();
  const logger = redactingLogger(baseLogger, secrets);
  const logLevel = pinoLevelControl(baseLogger);
  for (const warning of configWarnings(options.config, nodeTargets))
    logger.warn({ path: warning.path }, warning.message);
  const baseDir = options.source?.dir ?? process.cwd();
  const schemasConfig = resolveSchemas(options.config, baseDir);
  const schemas = schemasConfig
    ? await openSchemaRegistry(schemasConfig.config, baseDir, (error) =>
        logger.error({ err: error }, "a schema version from the store could not be added"),
      )
    : undefined;
  const outbox = await openOutbox(options.config, baseDir);
  // The console's live tail (admin listener only): it costs nothing while nobody watches.
  const tail = options.config.admin ? new LiveTail(() => gateway.state.routing) : undefined;
  // Metrics cost nothing unless something can scrape them: the admin listener or server.metrics.
  const metrics =
    options.config.admin !== undefined || options.config.server?.metrics !== undefined
      ? new PrometheusMetrics()
      : undefined;
  const gateway = createGateway(options.config, {
    ...(outbox && { outbox }),
    ...(options.config.server?.shutdownGraceMs !== undefined && {
      shutdownGraceMs: options.config.server.shutdownGraceMs,
    }),
    observer: combineObservers(
      logObserver(logger),
      ...(metrics ? [metrics.observer()] : []),
      ...(tail ? [tail] : []),
    ),
    secrets,
    runtime: { writeStdout: writeProcessStdout },
    ...(schemas && { validator: schemas.validator }),
  });
  metrics?.watch(gateway);
  const { source } = options;
  let loadedDigest = source === undefined ? undefined : digest(source.path);

  const reload = async (): Promise<number> => {
    if (source === undefined)
      throw new ConfigError([{ path: "", message: "the gateway runs without a config file" }]);
    const fileDigest = digest(source.path);
    let config: GatewayConfig;
    let generation: number;
    try {
      config = source.load(); // a file that cannot be read is a ConfigError too
      secrets.learn(config);
      generation = gateway.reload(config);
    } catch (error) {
      metrics?.reloaded("failure");
      throw error;
    }
    metrics?.reloaded("success");
    loadedDigest = fileDigest;
    if (
      JSON.stringify(config.admin) !== JSON.stringify(options.config.admin) ||
      JSON.stringify(config.server) !== JSON.stringify(options.config.server)
    ) {
      logger.warn({ generation }, "server and admin settings change only on restart");
    }
    logger.info({ generation, config: source.path }, "config reloaded");
    return generation;
  };
  /** A reload that logs instead of throwing (signals and file changes have no one to answer). */
  const reloadAndLog = (cause: string) => {
    // Folder events also fire for other files and for unchanged content: only a new content reloads.
    if (cause === "file change" && source !== undefined && digest(source.path) === loadedDigest) return;
    reload().catch((error: unknown) => {
      const issues = error instanceof ConfigError ? error.issues : undefined;
      logger.error(
        { cause, issues, err: issues ? undefined : error },
        "config reload failed; the current config stays",
      );
    });
  };

  // Everything is compiled: start serving from a compact heap (see collect-startup-garbage.ts).
  collectStartupGarbage();
  const tls = options.config.server?.tls;
  const main = await listen(
    createLimitedServer(
      metrics && options.config.server?.metrics
        ? withMetricsEndpoint(gatewayListener(gateway), metrics, options.config.server.metrics)
        : gatewayListener(gateway),
      nodeServerLimitsOf(options.config),
      tls && {
        cert: readFileSync(resolve(baseDir, tls.certFile)),
        key: readFileSync(resolve(baseDir, tls.keyFile)),
      },
      metrics,
    ),
    options.port,
    options.host,
    tls === undefined ? "http" : "https",
  );
  const admin = options.config.admin
    ? await listen(
        createAdaptorServer({
          fetch: createAdminApp({
            gateway,
            credentials: options.config.admin,
            audit: auditLog(logger),
            ...(logLevel && { logLevel }),
            ...(tail && {
              console: {
                tail,
                // A folder registry keeps example events beside its schemas; a KV store has none.
                ...(schemasConfig !== undefined &&
                  schemasConfig.config.store?.type !== "nats-kv" && {
                    examples: folderExamples(schemasConfig.location),
                  }),
              },
            }),
            ...(source && { reload }),
            ...(metrics && { metrics: () => metrics.scrape() }),
            ...(schemas && {
              registry: {
                registry: schemas.registry,
                store: schemas.store,
                compatibility: schemasConfig?.config.compatibility ?? "BACKWARD",
              },
            }),
          }).fetch,
        }),
        options.config.admin.port,
        options.config.admin.host ?? "127.0.0.1",
      )
    : undefined;
  const stopWatching =
    source === undefined ? () => {} : watchConfigFile(source.path, () => reloadAndLog("file change"));
  const onHangup = () => reloadAndLog("SIGHUP");
  if (source !== undefined) process.on("SIGHUP", onHangup);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      stopWatching();
      process.off("SIGHUP", onHangup);
      gateway.drain();
      tail?.end(); // open live-tail streams would otherwise hold the admin listener open
      await Promise.all([closeGracefully(main.server), admin && closeGracefully(admin.server)]);
      await gateway.close();
      await schemas?.close();
    })();
    return stopping;
  };
  return {
    gateway,
    url: main.url,
    adminUrl: admin?.url,
    schemas: schemasConfig?.location,
    logger,
    reload,
    stop,
  };
}
