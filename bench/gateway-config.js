/**
 * The gateway as users run it: a YAML config file and a schema registry
 * folder, written into the run's temporary folder.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ORDER_SCHEMA } from "./baselines/order-schema.js";
import { EVENT_SOURCE, EVENT_TYPE, JSON_SOURCE_PATH } from "./load/requests.js";

/** `<dir>/schemas/com.example.order.created/1.json`; returns the schemas folder. */
export function writeSchemaRegistry(dir) {
  const schemas = join(dir, "schemas");
  mkdirSync(join(schemas, EVENT_TYPE), { recursive: true });
  writeFileSync(join(schemas, EVENT_TYPE, "1.json"), `${JSON.stringify(ORDER_SCHEMA, null, 2)}\n`);
  return schemas;
}

/** A `json` source that maps the plain order (the `json-source` mode) to the event structured mode sends. */
function jsonSource() {
  return [
    "ingest:",
    "  sources:",
    `    - path: ${JSON_SOURCE_PATH}`,
    "      type: json",
    "      event:",
    `        type: "'${EVENT_TYPE}'"`,
    `        source: "'${EVENT_SOURCE}'"`,
    '        id: "body.orderId"',
    `        subject: "'orders/eu-west-1'"`,
  ];
}

/**
 * @param {object} options
 * @param {"none" | "core" | "js"} options.target
 * @param {string} options.natsUrl
 * @param {string} options.stream
 * @param {string} options.schemasDir
 * @param {boolean} options.validate false: `schemas: { mode: off }`
 * @param {number} [options.routes] total routes: routes - 1 exact filters on other types, then the one that matches
 * @param {string} [options.outboxDir] set: the route is `ack: async`, with the outbox log in this folder
 * @param {boolean} [options.metrics] true: `server.metrics` is set, so the gateway keeps Prometheus metrics
 */
export function gatewayYaml({ target, natsUrl, stream, schemasDir, validate, routes, outboxDir, metrics }) {
  const lines = ["version: 1", ...jsonSource()];
  if (metrics) lines.push("server:", "  metrics: { token: bench-metrics-token-0123456789 }");
  lines.push(
    validate ? `schemas: { dir: ${JSON.stringify(schemasDir)}, mode: enforce }` : "schemas: { mode: off }",
  );
  if (target === "none") {
    lines.push("targets: {}", "routes: []", "unmatched: accept");
    return `${lines.join("\n")}\n`;
  }
  const js = target === "js" ? `, jetstream: { stream: ${stream} }` : "";
  lines.push("targets:", `  bus: { type: nats, url: "${natsUrl}", subject: "perf.{type}"${js} }`, "routes:");
  if (outboxDir !== undefined) {
    lines.push("  - name: all", "    to: [bus]", "    ack: async");
    lines.push(`delivery: { outbox: { type: log, dir: ${JSON.stringify(outboxDir)} } }`);
  } else if (routes === undefined) {
    lines.push("  - name: all", "    to: [bus]");
  } else {
    // The matching route comes last: the worst case for anything that scans routes in order.
    for (let k = 1; k < routes; k++)
      lines.push(
        `  - name: other-${k}`,
        `    filters: [{ exact: { type: com.example.other.${k} } }]`,
        "    to: [bus]",
      );
    lines.push("  - name: orders", `    filters: [{ exact: { type: ${EVENT_TYPE} } }]`, "    to: [bus]");
  }
  return `${lines.join("\n")}\n`;
}
