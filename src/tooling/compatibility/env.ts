/**
 * The state of one compatibility check: documents loaded through the
 * resolver, compiled patterns, identities of schema objects, the hypotheses
 * used for recursive schemas, and the work budget. Created per call, never shared.
 */
import type { SchemaDocument } from "./schema-node.js";

/** Returns the schema an absolute URI (possibly with a #fragment) names, or undefined. */
export type Resolver = (ref: string, base: string | undefined) => object | boolean | undefined;

/** Steps of the checker before it gives up and calls the pair undecidable. */
export const STEP_BUDGET = 50_000;

export interface Env {
  readonly resolve: Resolver | undefined;
  /** Documents loaded through the resolver by URI; null when it had none. */
  readonly loaded: Map<string, SchemaDocument | null>;
  readonly regexps: Map<string, RegExp | null>;
  readonly ids: WeakMap<object, number>;
  /** Pairs being proven, with the instance depth where the proof started. */
  readonly hypotheses: Map<string, number>;
  readonly sameCache: Map<string, boolean>;
  nextId: number;
  steps: number;
}

export function createEnv(resolve: Resolver | undefined): Env {
  return {
    resolve,
    loaded: new Map(),
    regexps: new Map(),
    ids: new WeakMap(),
    hypotheses: new Map(),
    sameCache: new Map(),
    nextId: 1,
    steps: 0,
  };
}

/** A stable number for a schema object within one check ("t"/"f" for booleans). */
export function schemaId(env: Env, schema: object | boolean): string {
  if (typeof schema === "boolean") return schema ? "t" : "f";
  let id = env.ids.get(schema);
  if (id === undefined) {
    id = env.nextId++;
    env.ids.set(schema, id);
  }
  return String(id);
}

/** Whether a pattern matches a string (ECMA-262 with the `u` flag, as Ajv); undefined for a bad pattern. */
export function patternMatches(env: Env, pattern: string, text: string): boolean | undefined {
  let regexp = env.regexps.get(pattern);
  if (regexp === undefined) {
    try {
      regexp = new RegExp(pattern, "u");
    } catch {
      regexp = null;
    }
    env.regexps.set(pattern, regexp);
  }
  return regexp === null ? undefined : regexp.test(text);
}

/** Counts one step; false once the budget is spent. */
export function spend(env: Env): boolean {
  env.steps++;
  return env.steps <= STEP_BUDGET;
}
