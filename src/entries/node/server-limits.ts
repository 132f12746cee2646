/**
 * The Node server's own limits (server.maxHeaderBytes, maxHeaderCount,
 * bodyTimeoutMs, maxConnections, maxInFlight), defaults filled in. On
 * Workers the platform sets these, so they live with the Node entry.
 */
import type { GatewayConfig } from "../../config/gateway-config.js";

export interface NodeServerLimits {
  /** Request line and headers together; larger gets 431. */
  readonly maxHeaderBytes: number;
  /** More header fields get 431. */
  readonly maxHeaderCount: number;
  /** A request whose headers and body have not all arrived by then gets 408 and the connection is closed. */
  readonly bodyTimeoutMs: number;
  /** Connections beyond this many open ones get 503 on their first request, then are closed. */
  readonly maxConnections: number;
  /** Requests beyond this many being handled at once get 503 at once, never a queue. */
  readonly maxInFlight: number;
}

export const DEFAULT_NODE_SERVER_LIMITS: NodeServerLimits = {
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 100,
  bodyTimeoutMs: 30_000,
  maxConnections: 1024,
  maxInFlight: 256,
};

export function nodeServerLimitsOf(config: GatewayConfig): NodeServerLimits {
  const server = config.server ?? {};
  const defaults = DEFAULT_NODE_SERVER_LIMITS;
  return {
    maxHeaderBytes: server.maxHeaderBytes ?? defaults.maxHeaderBytes,
    maxHeaderCount: server.maxHeaderCount ?? defaults.maxHeaderCount,
    bodyTimeoutMs: server.bodyTimeoutMs ?? defaults.bodyTimeoutMs,
    maxConnections: server.maxConnections ?? defaults.maxConnections,
    maxInFlight: server.maxInFlight ?? defaults.maxInFlight,
  };
}
