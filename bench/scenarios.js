/**
 * Every configuration `npm run bench` can measure: the baselines (bench/baselines/)
 * and the gateway scenarios, each a server started as its own process on a
 * given port. Names are what `--only` takes.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gatewayYaml } from "./gateway-config.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * @typedef {object} RunContext
 * @property {string} natsUrl
 * @property {string} stream
 * @property {string} tmp the run's temporary folder
 * @property {string} schemasDir
 */
/**
 * @typedef {object} Configuration
 * @property {string} name
 * @property {"baseline" | "gateway"} group
 * @property {string} server bare-http, bare-hono, minimal, sdk or gateway
 * @property {"none" | "core" | "js"} target
 * @property {import("./load/requests.js").IngestMode} mode
 * @property {boolean} validate whether the server checks the data against the schema
 * @property {number} [routes]
 * @property {(ctx: RunContext, port: number) => { args: string[], env?: Record<string, string> }} command
 *   arguments for `node`
 */

const baselineFile = (file) => join(root, "bench", "baselines", file);

/** @returns {Configuration} */
function baseline(server, file, target, mode) {
  const name = server.startsWith("bare-") ? server : `${server}-${target}-${mode}`;
  return {
    name,
    group: "baseline",
    server,
    target,
    mode,
    validate: !server.startsWith("bare-"),
    command: (ctx, port) => ({
      args: [
        baselineFile(file),
        "--port",
        String(port),
        "--nats",
        ctx.natsUrl,
        "--target",
        target,
        "--mode",
        mode,
      ],
    }),
  };
}

/** @returns {Configuration} */
function gateway(target, mode, { routes, validate = true, async = false, metrics = false } = {}) {
  const suffix = metrics
    ? "-metrics"
    : async
      ? "-async"
      : routes !== undefined
        ? `-routes-${routes}`
        : validate
          ? ""
          : "-noschema";
  const name = `gateway-${target}-${mode}${suffix}`;
  return {
    name,
    group: "gateway",
    server: "gateway",
    target,
    mode,
    validate,
    routes,
    command: (ctx, port) => {
      const config = join(ctx.tmp, `${name}.yaml`);
      const { natsUrl, stream, schemasDir } = ctx;
      const outboxDir = async ? join(ctx.tmp, `${name}-outbox-${port}`) : undefined;
      writeFileSync(
        config,
        gatewayYaml({ target, natsUrl, stream, schemasDir, validate, routes, outboxDir, metrics }),
      );
      return {
        args: [join(root, "bin", "ce-gateway.js"), "serve", "--config", config, "--port", String(port)],
        env: { LOG_LEVEL: "warn" },
      };
    },
  };
}

const MODES = /** @type {const} */ (["structured", "binary", "batch"]);

/** @type {Configuration[]} */
export const CONFIGURATIONS = [
  baseline("bare-http", "bare-http.js", "none", "structured"),
  baseline("bare-hono", "hono.js", "none", "structured"),
  ...["core", "js"].flatMap((t) => MODES.map((m) => baseline("minimal", "minimal.js", t, m))),
  ...["none", "core", "js"].flatMap((t) => MODES.map((m) => baseline("sdk", "sdk.js", t, m))),
  ...["none", "core", "js"].flatMap((t) => MODES.map((m) => gateway(t, m))),
  ...[10, 100, 1000].map((routes) => gateway("core", "structured", { routes })),
  ...["none", "core", "js"].map((t) => gateway(t, "structured", { validate: false })),
  ...["none", "core", "js"].map((t) => gateway(t, "json-source")),
  // ack: async: 202 once in the outbox log on local disk (fsync per group commit), delivered after.
  ...["core", "js"].map((t) => gateway(t, "structured", { async: true })),
  // Metrics on (server.metrics): what the Prometheus counters cost per event, against gateway-core-structured.
  gateway("core", "structured", { metrics: true }),
];

/** `--quick`: one of each kind of server, structured mode. */
export const QUICK = [
  "bare-http",
  "bare-hono",
  "minimal-core-structured",
  "minimal-js-structured",
  "sdk-core-structured",
  "sdk-js-structured",
  "gateway-none-structured",
  "gateway-core-structured",
  "gateway-js-structured",
];

/**
 * The configurations whose names match the patterns (`*` matches anything).
 * @param {string[]} patterns
 */
export function selectConfigurations(patterns) {
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`),
  );
  const unmatched = patterns.filter((_, i) => !CONFIGURATIONS.some((c) => regexes[i].test(c.name)));
  if (unmatched.length > 0)
    throw new Error(
      `no configuration named ${unmatched.join(", ")}; known: ${CONFIGURATIONS.map((c) => c.name).join(", ")}`,
    );
  return CONFIGURATIONS.filter((c) => regexes.some((r) => r.test(c.name)));
}
