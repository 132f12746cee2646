/**
 * Opens the schema registry a config describes: its store (files or NATS KV),
 * every stored version compiled, a watch for versions other instances
 * register, and the validator the pipeline uses.
 */
import { resolve } from "node:path";
import type { SchemasConfig } from "../../config/gateway-config.js";
import { registryValidator } from "../../schemas/registry-validator.js";
import { createAjvCompiler } from "../../schemas/schema-compiler.js";
import { SchemaRegistry } from "../../schemas/schema-registry.js";
import type { SchemaStore } from "../../schemas/schema-store.js";
import type { EventValidator } from "../../validate/event-validator.js";
import { fileSchemaStore } from "./file-schema-store.js";
import { natsKvSchemaStore } from "./nats-kv-schema-store.js";
import { DEFAULT_SCHEMAS_DIR } from "./schemas-config.js";

export interface OpenRegistry {
  readonly registry: SchemaRegistry;
  readonly store: SchemaStore;
  readonly validator: EventValidator;
  close(): Promise<void>;
}

export async function openSchemaRegistry(
  config: SchemasConfig,
  baseDir: string,
  onWatchError: (error: unknown) => void = () => {},
): Promise<OpenRegistry> {
  const store =
    config.store?.type === "nats-kv"
      ? await natsKvSchemaStore(config.store)
      : fileSchemaStore(resolve(baseDir, config.dir ?? DEFAULT_SCHEMAS_DIR));
  const registry = new SchemaRegistry(createAjvCompiler(), await store.load());
  const stopWatching = store.watch?.((versions) => registry.add(versions), onWatchError) ?? (() => {});
  const validator = registryValidator(registry, {
    mode: config.mode ?? "enforce",
    requireSchema: config.requireSchema ?? false,
    types: config.types ?? {},
  });
  return {
    registry,
    store,
    validator,
    async close() {
      stopWatching();
      await store.close();
    },
  };
}
