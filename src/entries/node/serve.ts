/**
 * The Node entry: serves the gateway over HTTP with @hono/node-server, logs
 * JSON lines to stderr, and shuts down gracefully.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import type { GatewayConfig } from "../../config/gateway-config.js";
import { createGateway, type Gateway } from "../../http/create-gateway.js";
import { type Logger, logObserver } from "../../observe/log-observer.js";
import { writeProcessStdout } from "./stdout-writer.js";

export interface ServeOptions {
  readonly config: GatewayConfig;
  readonly port: number;
  readonly host: string;
  readonly logger?: Logger & { error(object: object, message: string): void };
}

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish, then closes the targets. */
  stop(): Promise<void>;
}

export function stderrLogger() {
  return pino(
    { base: undefined, level: process.env.LOG_LEVEL ?? "info" },
    pino.destination({ dest: 2, sync: true }),
  );
}

export async function serveGateway(options: ServeOptions): Promise<RunningGateway> {
  const logger = options.logger ?? stderrLogger();
  const gateway = createGateway(options.config, {
    observer: logObserver(logger),
    runtime: { writeStdout: writeProcessStdout },
  });
  const server = serve({ fetch: gateway.fetch, port: options.port, hostname: options.host });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      gateway.drain();
      await new Promise<void>((resolve) => {
        // Keep-alive sockets would hold close() open until they time out: close each one as soon as
        // it is idle, so busy ones finish their request first.
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
      await gateway.close();
    })();
    return stopping;
  };
  return { gateway, url, stop };
}
