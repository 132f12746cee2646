/**
 * Reads and parses a config file for the CLI, with the process environment
 * and the file system as interpolation sources.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, formatIssue } from "../config/config-error.js";
import type { GatewayConfig } from "../config/gateway-config.js";
import { parseConfig } from "../config/parse-config.js";
import { nodeTargets } from "../entries/node/targets.js";
import { redactByShape } from "../observe/redact.js";

export function loadConfigFile(path: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError([{ path: "", message: `cannot read ${path}: ${(error as Error).message}` }]);
  }
  return parseConfig(text, {
    catalog: nodeTargets,
    env: process.env,
    // Secret paths are relative to the config file's folder.
    readFile: (file) => readFileSync(resolve(path, "..", file), "utf8"),
  });
}

/** `gateway.yaml:4:7: routes[0].to[0]: unknown target "ot"`, one line per issue. */
export function formatConfigError(file: string, error: ConfigError): string {
  return error.issues.map((issue) => redactByShape(`${file}:${formatIssue(issue)}`)).join("\n");
}

export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
