/**
 * `ce-gateway config check FILE`, `ce-gateway config show FILE` and
 * `ce-gateway config schema`.
 */
import { stringify } from "yaml";
import { ConfigError } from "../../config/config-error.js";
import { configSchema } from "../../config/config-schema.js";
import { configWarnings } from "../../config/config-warnings.js";
import type { GatewayConfig } from "../../config/gateway-config.js";
import { nodeTargets } from "../../entries/node/targets.js";
import { SecretRedactor } from "../../observe/redact.js";
import { CliExit, formatConfigError, loadConfigFile } from "../config-file.js";

const USAGE = "usage: ce-gateway config check FILE | ce-gateway config show FILE | ce-gateway config schema";

function load(file: string): GatewayConfig {
  try {
    return loadConfigFile(file);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(1, formatConfigError(file, error));
    throw error;
  }
}

function warn(file: string, config: GatewayConfig): void {
  for (const warning of configWarnings(config, nodeTargets)) {
    process.stderr.write(`${file}: warning: ${warning.path}: ${warning.message}\n`);
  }
}

export function configCommand(args: string[]): void {
  const [sub, file, ...rest] = args;
  if (sub === "schema") {
    process.stdout.write(`${JSON.stringify(configSchema(nodeTargets), null, 2)}\n`);
    return;
  }
  if (sub === "check" && file !== undefined && rest.length === 0) {
    warn(file, load(file));
    process.stdout.write(`${file}: ok\n`);
    return;
  }
  if (sub === "show" && file !== undefined && rest.length === 0) {
    // The effective config: interpolated, so what the gateway runs with, but with every secret replaced.
    const config = load(file);
    warn(file, config);
    process.stdout.write(stringify(new SecretRedactor().learn(config).value(config)));
    return;
  }
  throw new CliExit(2, USAGE);
}
