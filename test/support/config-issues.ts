/** The issues a config file is refused with, parsed as the CLI parses it (the Node entry's target types). */
import { ConfigError, type ConfigIssue } from "../../src/config/config-error.js";
import { type ParseConfigOptions, parseConfig } from "../../src/config/parse-config.js";
import { nodeTargets } from "../../src/entries/node/targets.js";

export function configIssues(text: string, options: Omit<ParseConfigOptions, "catalog"> = {}): ConfigIssue[] {
  try {
    parseConfig(text, { catalog: nodeTargets, ...options });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error("expected the config to be refused");
}
