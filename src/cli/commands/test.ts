/**
 * `ce-gateway test [--config FILE] [--junit FILE]`: runs every example event
 * (`<schemas dir>/<type>/examples/*.json`) through the real gateway and
 * checks the expectations beside it. Exits 1 when any fails.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { createMemoryAdapter } from "../../../adapters/memory/index.js";
import { ConfigError } from "../../config/config-error.js";
import { EMBEDDED_DEFAULT_CONFIG } from "../../config/gateway-config.js";
import { openSchemaRegistry } from "../../entries/node/open-schema-registry.js";
import { resolveSchemas, schemaFolder } from "../../entries/node/schemas-config.js";
import { type Example, junitReport, runExamples, toExample } from "../../tooling/run-examples.js";
import { acceptAllEvents } from "../../validate/event-validator.js";
import { defineCommand, parseCommand } from "../command-spec.js";
import { CliExit, formatConfigError, loadConfigFile } from "../config-file.js";
import { startProgress } from "../progress.js";

export const testSpec = defineCommand({
  name: ["test"],
  usage: `usage: ce-gateway test [--config FILE] [--junit FILE]
  Runs each example event (<schemas dir>/<type>/examples/*.json) through the gateway and checks its
  expectations ({ "event": ..., "expect": { "valid": true, "targets": [...] } }); exit 1 on a failure.
  --config FILE   the config (default: the embedded one, with ./schemas)
  --junit FILE    also write the results as a JUnit XML report`,
  options: { config: { type: "string" }, junit: { type: "string" } },
  positionals: false,
});

async function loadExamples(schemaDir: string): Promise<Example[]> {
  const examples: Example[] = [];
  const types = await readdir(schemaDir, { withFileTypes: true }).catch(() => []);
  for (const type of types.filter((t) => t.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = join(schemaDir, type.name, "examples");
    const files = (await readdir(folder).catch(() => [])).filter((f) => f.endsWith(".json")).sort();
    for (const file of files) {
      const name = `${type.name}/examples/${file}`;
      try {
        examples.push(toExample(name, JSON.parse(await readFile(join(folder, file), "utf8"))));
      } catch (error) {
        throw new CliExit(1, `${name}: ${(error as Error).message}`);
      }
    }
  }
  return examples;
}

export async function testCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(testSpec, args);
  let config = EMBEDDED_DEFAULT_CONFIG;
  try {
    if (values.config !== undefined) config = loadConfigFile(values.config);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(1, formatConfigError(values.config ?? "", error));
    throw error;
  }
  const baseDir = values.config === undefined ? process.cwd() : dirname(resolve(values.config));
  const schemaDir = schemaFolder(config, baseDir);
  const schemas = resolveSchemas(config, baseDir);
  // The registry as configured, but read from the files: examples test what is in the repository.
  const registry = schemas
    ? await openSchemaRegistry({ ...schemas.config, store: { type: "files" } }, baseDir)
    : undefined;
  try {
    const examples = await loadExamples(schemaDir);
    const progress = startProgress("examples", examples.length);
    const results = await runExamples(
      config,
      registry?.validator ?? acceptAllEvents,
      examples,
      createMemoryAdapter,
      (result) => progress.advance(1, result.passed ? "" : `✗ ${result.name}`),
    );
    progress.stop();
    for (const result of results) {
      process.stdout.write(
        result.passed ? `✓ ${result.name}: ${result.actual}\n` : `✗ ${result.name}: ${result.failure}\n`,
      );
    }
    const failed = results.filter((r) => !r.passed).length;
    process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
    if (values.junit !== undefined) await writeFile(values.junit, junitReport(results));
    if (failed > 0) process.exitCode = 1;
  } finally {
    await registry?.close();
  }
}
