/**
 * Routes: which events go to which targets. A route's filters are compiled
 * once at load time.
 */

import type { RoutePolicy } from "../deliver/delivery-policy.js";
import { parseCesql } from "../filter/cesql/parser.js";
import { cesqlTypeKey } from "../filter/cesql/type-key.js";
import type { CompiledFilter } from "../filter/compile-filter.js";
import type { FilterConfig } from "../filter/filter-config.js";
import type { CompiledTransform } from "../transform/compile-transform.js";

export interface Route {
  readonly name: string;
  /** Target names, in the order configured. */
  readonly to: readonly string[];
  /** When this route matches, later routes are not evaluated. */
  readonly stop: boolean;
  /** All of the route's filters. */
  readonly filter: CompiledFilter;
  /** A condition on `type` every matching event meets (exact/prefix filters, `all`, CESQL equality or LIKE), for the index. */
  readonly typeKey: TypeKey | undefined;
  /** How the route reshapes what it sends; absent: the event goes as received. */
  readonly transform: CompiledTransform | undefined;
  /** Its retry, budget and dead letter, where it sets any (../deliver/delivery-policy.ts). */
  readonly policy: RoutePolicy | undefined;
  /** `trace.addExtension`: an event it sends without a `traceparent` gains one (../observe/tracing/trace-extension.ts). */
  readonly addTraceExtension?: boolean;
}

export type TypeKey = { readonly kind: "exact" | "prefix"; readonly value: string };

/** What happens to a valid event that no route matches. */
export type UnmatchedPolicy = "reject" | "accept";

/** The condition on `type` one filter implies, if any: exact/prefix dialects, `all`, and CESQL (./cesql/type-key.ts). */
function filterTypeKeys(filter: FilterConfig): TypeKey[] {
  if ("exact" in filter && filter.exact.type !== undefined)
    return [{ kind: "exact", value: filter.exact.type }];
  if ("prefix" in filter && filter.prefix.type !== undefined)
    return [{ kind: "prefix", value: filter.prefix.type }];
  // Every member of `all` must match, so each member's key holds for the whole.
  if ("all" in filter) return filter.all.flatMap(filterTypeKeys);
  if ("sql" in filter) {
    const key = cesqlTypeKey(parseCesql(filter.sql));
    return key === undefined ? [] : [key];
  }
  return [];
}

/**
 * The condition on `type` every event a route matches meets (its filters all
 * must match), for the index; exact wins over prefix. Filters have compiled
 * before this runs, so the CESQL here parses.
 */
export function typeKeyOf(filters: readonly FilterConfig[]): TypeKey | undefined {
  const keys = filters.flatMap(filterTypeKeys);
  return keys.find((key) => key.kind === "exact") ?? keys[0];
}
