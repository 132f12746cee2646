/**
 * Which schema registry a config gets: its own `schemas` section when it has
 * one; otherwise the `schemas/` folder beside the config file (the working
 * directory for the embedded default), when that folder exists. Shared by
 * `serve`, `test` and the `schemas` commands so they all see one registry.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { GatewayConfig, SchemasConfig } from "../../config/gateway-config.js";

/** The registry's default home, relative to the config file's folder. */
export const DEFAULT_SCHEMAS_DIR = "./schemas";

export interface ResolvedSchemas {
  readonly config: SchemasConfig;
  /** Where the versions come from, for the start-up log: a folder's absolute path or a KV bucket. */
  readonly location: string;
  /** True when the config has no `schemas` section and the default folder was found. */
  readonly implicit: boolean;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function resolveSchemas(config: GatewayConfig, baseDir: string): ResolvedSchemas | undefined {
  const explicit = config.schemas;
  if (explicit === undefined) {
    const dir = resolve(baseDir, DEFAULT_SCHEMAS_DIR);
    if (!isDirectory(dir)) return undefined;
    return { config: { dir: DEFAULT_SCHEMAS_DIR }, location: dir, implicit: true };
  }
  const location =
    explicit.store?.type === "nats-kv"
      ? `nats-kv bucket ${explicit.store.bucket}`
      : resolve(baseDir, explicit.dir ?? DEFAULT_SCHEMAS_DIR);
  return { config: explicit, location, implicit: false };
}

/** The folder the schema files live in (also for a KV store: its files are the repository's copy). */
export function schemaFolder(config: GatewayConfig, baseDir: string): string {
  return resolve(baseDir, config.schemas?.dir ?? DEFAULT_SCHEMAS_DIR);
}
