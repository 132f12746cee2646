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
import { defineCommand, groupHelp, parseCommand } from "../command-spec.js";
import { CliExit, formatConfigError, loadConfigFile } from "../config-file.js";

const USAGE = "usage: ce-gateway config check FILE | ce-gateway config show FILE | ce-gateway config schema";

export const configCheckSpec = defineCommand({
  name: ["config", "check"],
  usage: `usage: ce-gateway config check FILE
  Reports every error in a config file, as FILE:LINE:COLUMN: PATH: MESSAGE (exit 1 on any), and warnings.`,
  options: {},
  positionals: true,
});

export const configShowSpec = defineCommand({
  name: ["config", "show"],
  usage: `usage: ce-gateway config show FILE
  Prints the effective config, interpolated, with every secret redacted.`,
  options: {},
  positionals: true,
});

export const configSchemaSpec = defineCommand({
  name: ["config", "schema"],
  usage: `usage: ce-gateway config schema
  Prints the config file's JSON Schema (for editors: # yaml-language-server: $schema=./gateway.schema.json).
  docs/config.md is generated from it.`,
  options: {},
  positionals: false,
});

/** The one FILE argument of check and show. */
function fileArgument(spec: typeof configCheckSpec, args: string[]): string {
  const { positionals } = parseCommand(spec, args);
  if (positionals.length !== 1 || positionals[0] === undefined) throw new CliExit(2, spec.usage);
  return positionals[0];
}

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
  const [sub, ...rest] = args;
  groupHelp(USAGE, sub);
  if (sub === "schema") {
    parseCommand(configSchemaSpec, rest);
    process.stdout.write(`${JSON.stringify(configSchema(nodeTargets), null, 2)}\n`);
    return;
  }
  if (sub === "check") {
    const file = fileArgument(configCheckSpec, rest);
    warn(file, load(file));
    process.stdout.write(`${file}: ok\n`);
    return;
  }
  if (sub === "show") {
    const file = fileArgument(configShowSpec, rest);
    // The effective config: interpolated, so what the gateway runs with, but with every secret replaced.
    const config = load(file);
    warn(file, config);
    process.stdout.write(stringify(new SecretRedactor().learn(config).value(config)));
    return;
  }
  throw new CliExit(2, USAGE);
}
