/**
 * What `ce-gateway build --target workers` hands the Worker: the config,
 * validated at build time, with every `${env:NAME}` still a placeholder
 * (the build's shell variables, secrets included, never enter the bundle),
 * and the schema registry's versions with their precompiled validators.
 * Settings are resolved from the Worker's environment (vars and secrets)
 * when the first request arrives.
 */
import type { GatewayConfig } from "../../config/gateway-config.js";
import { interpolate } from "../../config/interpolate.js";
import type { PrecompiledValidators } from "../../schemas/precompiled-compiler.js";
import type { SchemaVersion } from "../../schemas/schema-version.js";

export interface WorkerBuild {
  /** The config as written, placeholders kept: plain JSON. */
  readonly config: unknown;
  readonly schemas?: {
    readonly versions: readonly SchemaVersion[];
    readonly compiled: PrecompiledValidators;
  };
}

/** A setting the config needs that the environment cannot give, at its config path. */
export interface UnresolvedSetting {
  readonly path: string;
  readonly message: string;
}

export type ResolvedConfig =
  | { readonly ok: true; readonly config: GatewayConfig }
  | { readonly ok: false; readonly unresolved: readonly UnresolvedSetting[] };

/**
 * Replaces `${env:NAME}` (and `${env:NAME:-default}`) in every string of the
 * config with the Worker's string bindings. `${file:}` has no meaning here
 * (the build refuses it). Pure.
 */
export function resolveSettings(config: unknown, env: Readonly<Record<string, unknown>>): ResolvedConfig {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === "string") strings[name] = value;
  const unresolved: UnresolvedSetting[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === "string") {
      const result = interpolate(value, { env: strings });
      if (result.ok) return result.value;
      unresolved.push({ path, message: result.message });
      return value;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}[${i}]`));
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, path === "" ? key : `${path}.${key}`)]),
      );
    }
    return value;
  };
  const resolved = walk(config, "");
  return unresolved.length > 0 ? { ok: false, unresolved } : { ok: true, config: resolved as GatewayConfig };
}
