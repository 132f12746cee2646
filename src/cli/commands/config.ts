/**
 * `ce-gateway config check FILE` and `ce-gateway config schema`.
 */
import { ConfigError } from "../../config/config-error.js";
import { configSchema } from "../../config/config-schema.js";
import { nodeTargets } from "../../entries/node/targets.js";
import { CliExit, formatConfigError, loadConfigFile } from "../config-file.js";

export function configCommand(args: string[]): void {
  const [sub, file, ...rest] = args;
  if (sub === "schema") {
    process.stdout.write(`${JSON.stringify(configSchema(nodeTargets), null, 2)}\n`);
    return;
  }
  if (sub === "check" && file !== undefined && rest.length === 0) {
    try {
      loadConfigFile(file);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliExit(1, formatConfigError(file, error));
      throw error;
    }
    process.stdout.write(`${file}: ok\n`);
    return;
  }
  throw new CliExit(2, "usage: ce-gateway config check FILE | ce-gateway config schema");
}
