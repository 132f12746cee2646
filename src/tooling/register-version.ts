/**
 * Registering the next version of an event type's schema: it must be a valid
 * schema, and compatible with earlier versions under the configured mode;
 * then it is stored, and enforced from then on.
 */
import type { CompatibilityMode } from "../config/gateway-config.js";
import { describeError } from "../errors/errors.js";
import { createAjvCompiler } from "../schemas/schema-compiler.js";
import type { SchemaRegistry } from "../schemas/schema-registry.js";
import { type SchemaStore, VersionTakenError } from "../schemas/schema-store.js";
import { type SchemaVersion, toSchemaVersion } from "../schemas/schema-version.js";
import { checkCompatibility, type SchemaChange } from "./compatibility/index.js";

export type RegistrationResult =
  | { readonly outcome: "registered"; readonly version: SchemaVersion }
  | { readonly outcome: "invalid"; readonly message: string }
  | {
      readonly outcome: "incompatible";
      readonly breaking: readonly SchemaChange[];
      readonly undecidable: readonly SchemaChange[];
    }
  | { readonly outcome: "conflict"; readonly message: string };

/** Resolves $refs for the checker against every schema the registry holds, by $id. */
function resolverFor(registry: SchemaRegistry, extra: SchemaVersion) {
  return (ref: string): object | undefined => {
    const [uri = ""] = ref.split("#");
    if (uri === extra.id) return extra.schema;
    return registry.byId(uri)?.version.schema;
  };
}

export async function registerNextVersion(
  registry: SchemaRegistry,
  store: SchemaStore,
  eventType: string,
  schema: unknown,
  mode: CompatibilityMode,
): Promise<RegistrationResult> {
  const previous = registry.versions(eventType);
  const number = (previous.at(-1)?.version ?? 0) + 1;
  let candidate: SchemaVersion;
  try {
    candidate = toSchemaVersion(eventType, number, schema);
    if (registry.byId(candidate.id)) throw new Error(`$id ${candidate.id} is already registered`);
    // Compiled on a scratch compiler first: nothing is stored that cannot be enforced.
    const scratch = createAjvCompiler();
    scratch.add([...registry.types().flatMap((t) => registry.versions(t)), candidate]);
  } catch (error) {
    return { outcome: "invalid", message: describeError(error) };
  }
  const result = checkCompatibility(
    previous.map((v) => v.schema),
    candidate.schema,
    mode,
    resolverFor(registry, candidate),
  );
  if (!result.compatible)
    return { outcome: "incompatible", breaking: result.breaking, undecidable: result.undecidable };
  try {
    await store.save(candidate);
  } catch (error) {
    if (error instanceof VersionTakenError) return { outcome: "conflict", message: error.message };
    throw error;
  }
  registry.add([candidate]);
  return { outcome: "registered", version: candidate };
}
