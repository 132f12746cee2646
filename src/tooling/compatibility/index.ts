/**
 * Schema compatibility for the schema registry: may a new version of an event
 * type's JSON Schema be registered after the earlier ones? Confluent Schema
 * Registry's modes, applied to JSON Schema (draft-07 and 2020-12):
 *
 * - BACKWARD: the new schema accepts every instance the previous one accepts.
 * - FORWARD: the previous schema accepts every instance the new one accepts.
 * - FULL: both. `_TRANSITIVE`: against every earlier version, not only the latest.
 * - NONE: no check.
 *
 * The checker is sound: it calls a change compatible only when it has proven
 * it. Where it cannot decide it says so (`undecidable`), and the change is
 * not compatible. The rule matrix is in docs/compatibility.md.
 *
 * @example
 * const result = checkCompatibility([v1, v2], v3, "BACKWARD");
 * if (!result.compatible) console.log(result.breaking, result.undecidable);
 *
 * @module
 */
import { type CompatibilityMode, isCompatibilityMode } from "../../schemas/compatibility-mode.js";
import { type Finding, renderFinding } from "./findings.js";
import type { Schema } from "./schema-node.js";
import { compareSchemas } from "./subschema.js";

export {
  COMPATIBILITY_MODES,
  type CompatibilityMode,
  isCompatibilityMode,
} from "../../schemas/compatibility-mode.js";

export interface SchemaChange {
  /** JSON Pointer to the keyword not guaranteed: in the new schema for "backward", in the earlier one for "forward". */
  readonly path: string;
  /** Stable rule id, such as "type-narrowed" (see docs/compatibility.md). */
  readonly rule: string;
  readonly message: string;
  /** Which guarantee it breaks. */
  readonly direction: "backward" | "forward";
}

export interface CompatibilityResult {
  readonly compatible: boolean;
  /** Changes that break the mode. */
  readonly breaking: readonly SchemaChange[];
  /** Places the checker cannot decide; any makes the result not compatible. */
  readonly undecidable: readonly SchemaChange[];
}

/** Returns the schema an absolute URI (possibly with a #fragment) points to, or undefined. */
export type SchemaResolver = (ref: string, base: string | undefined) => object | undefined;

export interface SubschemaResult {
  /** Proven: every instance valid under the narrower schema is valid under the wider one. */
  readonly ok: boolean;
  readonly reasons: readonly SchemaChange[];
  readonly undecidable: readonly SchemaChange[];
}

function asSchema(value: unknown, what: string): Schema {
  if (typeof value === "boolean" || (typeof value === "object" && value !== null && !Array.isArray(value))) {
    return value as Schema;
  }
  throw new TypeError(`${what} must be a JSON Schema (an object or a boolean)`);
}

function split(
  findings: readonly Finding[],
  direction: "backward" | "forward",
  names: { readonly narrower: string; readonly wider: string },
): { breaking: SchemaChange[]; undecidable: SchemaChange[] } {
  const render = (finding: Finding): SchemaChange => ({
    ...renderFinding(finding, direction === "forward", names),
    direction,
  });
  return {
    breaking: findings.filter((finding) => finding.verdict === "breaking").map(render),
    undecidable: findings.filter((finding) => finding.verdict === "undecidable").map(render),
  };
}

/**
 * Whether every instance valid under `narrower` is valid under `wider`, with
 * the reasons when not (rule ids named as for BACKWARD, narrower = old).
 */
export function isSubschema(
  narrower: object | boolean,
  wider: object | boolean,
  resolve?: SchemaResolver,
): SubschemaResult {
  const findings = compareSchemas(asSchema(narrower, "narrower"), asSchema(wider, "wider"), resolve);
  const { breaking, undecidable } = split(findings, "backward", {
    narrower: "the narrower schema",
    wider: "the wider schema",
  });
  return { ok: findings.length === 0, reasons: breaking, undecidable };
}

/**
 * Checks `next` against the earlier versions (oldest first) under `mode`.
 * `resolve` supplies the documents that `$ref`s to other URIs point to.
 */
export function checkCompatibility(
  previous: readonly object[],
  next: object,
  mode: CompatibilityMode,
  resolve?: SchemaResolver,
): CompatibilityResult {
  if (!isCompatibilityMode(mode)) throw new TypeError(`Unknown compatibility mode: ${String(mode)}`);
  if (!Array.isArray(previous)) throw new TypeError("previous must be an array of schemas, oldest first");
  const candidate = asSchema(next, "next");
  const versions = previous.map((schema, index) => asSchema(schema, `previous[${index}]`));
  if (mode === "NONE" || versions.length === 0) return { compatible: true, breaking: [], undecidable: [] };
  const transitive = mode.endsWith("_TRANSITIVE");
  const backward = mode.startsWith("BACKWARD") || mode.startsWith("FULL");
  const forward = mode.startsWith("FORWARD") || mode.startsWith("FULL");
  const first = transitive ? 0 : versions.length - 1;
  const breaking: SchemaChange[] = [];
  const undecidable: SchemaChange[] = [];
  const seen = new Set<string>();
  const add = (changes: { breaking: SchemaChange[]; undecidable: SchemaChange[] }): void => {
    for (const [list, found] of [
      [breaking, changes.breaking],
      [undecidable, changes.undecidable],
    ] as const) {
      for (const change of found) {
        const key = `${change.direction} ${change.rule} ${change.path} ${change.message}`;
        if (!seen.has(key)) list.push(change);
        seen.add(key);
      }
    }
  };
  for (let index = first; index < versions.length; index++) {
    const earlier = versions[index] as Schema;
    const name = `version ${index + 1}`;
    if (backward) {
      add(
        split(compareSchemas(earlier, candidate, resolve), "backward", {
          narrower: name,
          wider: "the new schema",
        }),
      );
    }
    if (forward) {
      add(
        split(compareSchemas(candidate, earlier, resolve), "forward", {
          narrower: "the new schema",
          wider: name,
        }),
      );
    }
  }
  return { compatible: breaking.length === 0 && undecidable.length === 0, breaking, undecidable };
}
