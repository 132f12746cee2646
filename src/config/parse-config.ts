/**
 * Parses a config file's text (YAML or JSON) into a GatewayConfig. Pure: no
 * I/O, the caller reads the file. This first version checks the shape of what
 * the gateway uses today; unknown keys are errors so a typo never goes unseen.
 */
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { ConfigError, type ConfigIssue } from "./config-error.js";
import type { GatewayConfig } from "./gateway-config.js";

const TOP_LEVEL_KEYS = new Set(["version", "server", "targets", "routes", "unmatched", "delivery", "ingest"]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function checkShape(config: Record<string, unknown>, issues: ConfigIssue[]): void {
  for (const key of Object.keys(config)) {
    if (!TOP_LEVEL_KEYS.has(key)) issues.push({ path: key, message: `unknown key "${key}"` });
  }
  if (config.version !== undefined && config.version !== 1)
    issues.push({ path: "version", message: "must be 1" });
  const server = config.server;
  if (server !== undefined) {
    if (!isRecord(server)) issues.push({ path: "server", message: "must be a mapping" });
    else {
      for (const key of ["port", "maxBodyBytes"] as const) {
        const value = server[key];
        if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) {
          issues.push({ path: `server.${key}`, message: "must be a non-negative integer" });
        }
      }
      if (server.host !== undefined && typeof server.host !== "string") {
        issues.push({ path: "server.host", message: "must be a string" });
      }
    }
  }
  const targets = config.targets;
  if (targets !== undefined) {
    if (!isRecord(targets)) issues.push({ path: "targets", message: "must be a mapping of name to target" });
    else {
      for (const [name, target] of Object.entries(targets)) {
        if (!isRecord(target) || typeof target.type !== "string") {
          issues.push({ path: `targets.${name}`, message: "must be a mapping with a string `type`" });
        }
      }
    }
  }
  const routes = config.routes;
  if (routes !== undefined) {
    if (!Array.isArray(routes)) issues.push({ path: "routes", message: "must be a list" });
    else {
      routes.forEach((route: unknown, i) => {
        if (!isRecord(route) || typeof route.name !== "string") {
          issues.push({ path: `routes[${i}]`, message: "must be a mapping with a string `name`" });
        } else if (!Array.isArray(route.to) || !route.to.every((t) => typeof t === "string")) {
          issues.push({ path: `routes[${i}].to`, message: "must be a list of target names" });
        }
      });
    }
  }
  if (config.unmatched !== undefined && config.unmatched !== "reject" && config.unmatched !== "accept") {
    issues.push({ path: "unmatched", message: 'must be "reject" or "accept"' });
  }
}

export function parseConfig(text: string): GatewayConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ConfigIssue[] = document.errors.map((error) => {
    const position = lineCounter.linePos(error.pos[0]);
    return { path: "", message: error.message, line: position.line, column: position.col };
  });
  if (issues.length > 0) throw new ConfigError(issues);
  if (!isMap(document.contents) && !(document.contents === null) && !isSeq(document.contents)) {
    throw new ConfigError([{ path: "", message: "the config must be a mapping" }]);
  }
  const config: unknown = document.toJS() ?? {};
  if (!isRecord(config)) throw new ConfigError([{ path: "", message: "the config must be a mapping" }]);
  checkShape(config, issues);
  if (issues.length > 0) throw new ConfigError(issues);
  return config as GatewayConfig;
}
