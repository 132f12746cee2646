/**
 * Grants: what a credential may publish. `sources` are prefixes of the
 * `source` attribute, `types` are patterns of `type` (`*` matches any run of
 * characters, `com.example.*`), `paths` the gateway paths it may post to
 * (`/events`, a source's path). An absent list grants everything of its kind;
 * an empty list grants nothing.
 */
import type { FieldFailure } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";

export interface GrantConfig {
  readonly sources?: readonly string[];
  readonly types?: readonly string[];
  readonly paths?: readonly string[];
}

export interface Grants {
  /** Why the event is outside the grant (a failure naming the attribute), or undefined when it is inside. */
  refusal(event: CloudEvent, index: number, pointerPrefix: string): FieldFailure | undefined;
  allowsPath(path: string): boolean;
}

function typePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*");
  return new RegExp(`^${escaped}$`, "s");
}

export const ALL_GRANTED: Grants = {
  refusal: () => undefined,
  allowsPath: () => true,
};

export function compileGrants(config: GrantConfig | undefined): Grants {
  if (config === undefined) return ALL_GRANTED;
  const sources = config.sources;
  const types = config.types?.map(typePattern);
  const paths = config.paths === undefined ? undefined : new Set(config.paths);
  return {
    refusal(event, index, pointerPrefix) {
      const { source, type } = event.attributes;
      if (sources !== undefined && !sources.some((prefix) => source.startsWith(prefix))) {
        return {
          index,
          pointer: `${pointerPrefix}/source`,
          code: "not-granted",
          detail: `source "${source}" is outside this credential's grant (${sources.length === 0 ? "no sources" : `prefixes ${sources.join(", ")}`})`,
        };
      }
      if (types !== undefined && !types.some((pattern) => pattern.test(type))) {
        return {
          index,
          pointer: `${pointerPrefix}/type`,
          code: "not-granted",
          detail: `type "${type}" is outside this credential's grant (${config.types?.length === 0 ? "no types" : `patterns ${config.types?.join(", ")}`})`,
        };
      }
      return undefined;
    },
    allowsPath: (path) => paths === undefined || paths.has(path),
  };
}
