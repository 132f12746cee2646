/**
 * `ce-gateway build --target workers [--config FILE] [--out DIR]`: checks the
 * config exactly as `serve` does (same messages, lines and columns) against
 * the target types a Worker can run, compiles the schema registry into
 * standalone validators, and writes DIR/worker.js, the Worker's main module
 * (wrangler's `main`). Every `${env:NAME}` stays a placeholder, resolved from
 * the Worker's vars and secrets at run time: the shell's variables (secrets
 * included) only help check the config and never enter the output.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { ConfigError } from "../../config/config-error.js";
import { parsePath } from "../../config/config-path.js";
import { EMBEDDED_DEFAULT_CONFIG, type GatewayConfig } from "../../config/gateway-config.js";
import { parseConfig } from "../../config/parse-config.js";
import { fileSchemaStore } from "../../entries/node/file-schema-store.js";
import { resolveSchemas } from "../../entries/node/schemas-config.js";
import { workersTargets } from "../../entries/workers/targets.js";
import type { SchemaVersion } from "../../schemas/schema-version.js";
import { standaloneModule } from "../../tooling/standalone-validators.js";
import { defineCommand, parseCommand } from "../command-spec.js";
import { CliExit, formatConfigError } from "../config-file.js";

export const buildSpec = defineCommand({
  name: ["build"],
  usage: `usage: ce-gateway build --target workers [--config FILE] [--out DIR]
  Checks the config for Workers and writes DIR/worker.js, the Worker's main module, with the schemas
  compiled in; \${env:NAME} stays a placeholder for the Worker's vars and secrets.
  --target workers   what to build for (Cloudflare Workers, the only target)
  --config FILE      the config (default: the embedded one, with ./schemas)
  --out DIR          where to write worker.js (default .ce-gateway)`,
  options: { target: { type: "string" }, config: { type: "string" }, out: { type: "string" } },
  positionals: false,
});
const USAGE = buildSpec.usage;

/** The shell's value where it has one (to check it), else the placeholder itself (checked at run time). */
const checkingEnv = new Proxy({} as Record<string, string>, {
  get: (_target, name) =>
    typeof name === "string" ? ((process.env[name] || undefined) ?? `\${env:${name}}`) : undefined,
});

/** The value at a config path in the document as written. */
function rawAt(raw: unknown, path: string): unknown {
  let node = raw;
  for (const segment of parsePath(path)) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** True when the value names a `${env:NAME}` the build's shell has no value for. */
function holdsUnknownSetting(value: unknown): boolean {
  if (typeof value !== "string") return false;
  return [...value.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)/g)].some((m) => !process.env[m[1] ?? ""]);
}

/** Checks the config for Workers; returns it and the document as written (placeholders kept). */
function checkConfig(file: string | undefined): { config: GatewayConfig; raw: unknown } {
  if (file === undefined) return { config: EMBEDDED_DEFAULT_CONFIG, raw: EMBEDDED_DEFAULT_CONFIG };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliExit(1, `cannot read ${file}: ${(error as Error).message}`);
  }
  const raw = parseDocument(text, { version: "1.2" }).toJS({ maxAliasCount: 100 }) ?? {};
  try {
    const config = parseConfig(text, {
      catalog: workersTargets(),
      env: checkingEnv,
      readFile: () => {
        throw new Error("a Worker has no files: keep the secret in a Worker secret and use ${env:NAME}");
      },
    });
    return { config, raw };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A value that holds a setting the shell does not have cannot be checked here: the Worker checks it.
    const issues = error.issues.filter((issue) => !holdsUnknownSetting(rawAt(raw, issue.path)));
    if (issues.length === 0) return { config: raw as GatewayConfig, raw };
    throw new CliExit(1, `invalid config for Workers:\n${formatConfigError(file, new ConfigError(issues))}`);
  }
}

/** A Worker has no disk for a log and holds no long-lived JetStream consumer: its outbox is a Cloudflare Queue. */
function refuseNodeOutbox(config: GatewayConfig, file: string | undefined): void {
  const type = config.delivery?.outbox?.type;
  if (type === undefined || type === "queue") return;
  const issue = {
    path: "delivery.outbox.type",
    message: `a Worker cannot keep a ${type} outbox: use type queue (a Cloudflare Queue the Worker consumes)`,
  };
  throw new CliExit(
    1,
    `invalid config for Workers:\n${formatConfigError(file ?? "", new ConfigError([issue]))}`,
  );
}

async function schemaVersions(config: GatewayConfig, baseDir: string): Promise<SchemaVersion[]> {
  const schemas = resolveSchemas(config, baseDir);
  if (schemas === undefined) return [];
  if (schemas.config.store?.type === "nats-kv")
    throw new CliExit(
      1,
      "schemas.store nats-kv: a Worker enforces the schemas compiled into its build; use the files store",
    );
  return fileSchemaStore(schemas.location).load();
}

/** How the generated module imports the Workers entry: the sources in a clone, the package otherwise. */
function entrySpecifier(out: string): string {
  const source = fileURLToPath(new URL("../../../../src/entries/workers/worker.ts", import.meta.url));
  if (!existsSync(source)) return "ce-gateway/workers";
  const path = relative(out, source).replaceAll("\\", "/");
  return path.startsWith(".") ? path : `./${path}`;
}

export function workerModule(entry: string, config: unknown, versions: readonly SchemaVersion[]): string {
  const schemas =
    versions.length === 0
      ? ""
      : `, schemas: { versions: ${JSON.stringify(versions)}, compiled: { validators } }`;
  return [
    "// Generated by `ce-gateway build --target workers`: do not edit.",
    `import { createWorker } from ${JSON.stringify(entry)};`,
    ...(versions.length === 0 ? [] : ['import { validators } from "./validators.js";']),
    `export { DedupObject, NatsConnectionObject, RateLimitObject } from ${JSON.stringify(entry)};`,
    `export default createWorker({ config: ${JSON.stringify(config)}${schemas} });`,
    "",
  ].join("\n");
}

export async function buildCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(buildSpec, args);
  if (values.target !== "workers") throw new CliExit(2, USAGE);
  const file = values.config || undefined;
  const { config, raw } = checkConfig(file);
  refuseNodeOutbox(config, file);
  const baseDir = file === undefined ? process.cwd() : dirname(resolve(file));
  const versions = await schemaVersions(config, baseDir);
  const out = resolve(values.out ?? ".ce-gateway");
  mkdirSync(out, { recursive: true });
  if (versions.length > 0) writeFileSync(join(out, "validators.js"), standaloneModule(versions));
  writeFileSync(join(out, "worker.js"), workerModule(entrySpecifier(out), raw, versions));
  process.stdout.write(
    `built ${join(out, "worker.js")} for Workers: config ${file ?? "embedded default"}, ` +
      `${versions.length} schema version(s), ${Object.keys(config.targets ?? {}).length} target(s)\n`,
  );
}
