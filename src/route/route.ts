/**
 * Routes: which events go to which targets. A route's filters are compiled
 * once at load time.
 */

import type { CompiledFilter } from "../filter/compile-filter.js";
import type { FilterConfig } from "../filter/filter-config.js";

export interface Route {
  readonly name: string;
  /** Target names, in the order configured. */
  readonly to: readonly string[];
  /** When this route matches, later routes are not evaluated. */
  readonly stop: boolean;
  /** All of the route's filters. */
  readonly filter: CompiledFilter;
  /** A condition on `type` every matching event meets (from a top-level exact/prefix filter), for the index. */
  readonly typeKey: TypeKey | undefined;
}

export type TypeKey = { readonly kind: "exact" | "prefix"; readonly value: string };

/** What happens to a valid event that no route matches. */
export type UnmatchedPolicy = "reject" | "accept";

/** The top-level filter on `type` a route can be indexed by; exact wins over prefix. */
export function typeKeyOf(filters: readonly FilterConfig[]): TypeKey | undefined {
  for (const filter of filters)
    if ("exact" in filter && filter.exact.type !== undefined)
      return { kind: "exact", value: filter.exact.type };
  for (const filter of filters)
    if ("prefix" in filter && filter.prefix.type !== undefined)
      return { kind: "prefix", value: filter.prefix.type };
  return undefined;
}
