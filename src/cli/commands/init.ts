/**
 * `ce-gateway init [DIR] [--force]`: scaffolds a project (config, a schema
 * with examples, wrangler.toml, README). It never overwrites a file unless
 * told to: the files are the user's once written.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { configSchema } from "../../config/config-schema.js";
import { nodeTargets } from "../../entries/node/targets.js";
import { defineCommand, parseCommand } from "../command-spec.js";
import { CliExit } from "../config-file.js";
import { projectFiles } from "./init-files.js";

export const initSpec = defineCommand({
  name: ["init"],
  usage: `usage: ce-gateway init [DIR] [--force]
  Writes a new project into DIR (default: the current folder): gateway.yaml, gateway.schema.json,
  schemas/ with one event type and its examples, wrangler.toml and a README.
  --force   overwrite files that exist (without it, init names them and exits 1)`,
  options: { force: { type: "boolean", default: false } },
  positionals: true,
});

/** A Worker name: lower-case letters, digits and dashes. */
function workerName(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name || "my-gateway";
}

export function initCommand(args: string[]): void {
  const { values, positionals } = parseCommand(initSpec, args);
  if (positionals.length > 1) throw new CliExit(2, initSpec.usage);
  const dir = resolve(positionals[0] ?? ".");
  const files = projectFiles(workerName(dir), configSchema(nodeTargets));
  const existing = files.map((f) => f.path).filter((path) => existsSync(join(dir, path)));
  if (existing.length > 0 && !values.force)
    throw new CliExit(
      1,
      `init: not overwriting ${existing.map((p) => join(dir, p)).join(", ")} (--force to overwrite)`,
    );
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
  }
  process.stdout.write(
    `wrote ${files.length} files into ${dir}; next: ` +
      `npx ce-gateway test --config ${join(positionals[0] ?? ".", "gateway.yaml")} (see its README.md)\n`,
  );
}
