/**
 * `ce-gateway/node`: what the Node entry adds to the core, for programs that
 * run the gateway themselves: a listener with graceful shutdown and reload,
 * the node:http request listener (`gatewayListener`, for your own server),
 * the JSON-lines logger, the Prometheus metrics (prom-client), the schema
 * stores that need Node (files, NATS KV),
 * and the process stdout writer for the stdout target.
 */

export { gatewayListener } from "./events-listener.js";
export { fileSchemaStore } from "./file-schema-store.js";
export { PrometheusMetrics, type Scrape } from "./metrics/prometheus-metrics.js";
export { natsKvSchemaStore } from "./nats-kv-schema-store.js";
export { type OpenRegistry, openSchemaRegistry } from "./open-schema-registry.js";
export {
  type ConfigSource,
  type NodeLogger,
  type RunningGateway,
  type ServeOptions,
  serveGateway,
  stderrLogger,
} from "./serve.js";
export { writeProcessStdout } from "./stdout-writer.js";
