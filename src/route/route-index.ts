/**
 * Finds the routes that can match an event without evaluating every route:
 * routes with an exact or prefix filter on `type` are indexed by it, so the
 * cost grows with the routes that can match, not with the routes configured.
 */
import type { CloudEvent } from "../event/cloud-event.js";
import type { Route } from "./route.js";

export class RouteIndex {
  readonly #routes: readonly Route[];
  readonly #byExactType = new Map<string, number[]>();
  readonly #byTypePrefix = new Map<string, number[]>();
  /** Distinct prefix lengths, so a lookup tries only lengths some route uses. */
  readonly #prefixLengths: number[];
  readonly #unindexed: number[] = [];

  constructor(routes: readonly Route[]) {
    this.#routes = routes;
    routes.forEach((route, i) => {
      const key = route.typeKey;
      if (key === undefined) this.#unindexed.push(i);
      else append(key.kind === "exact" ? this.#byExactType : this.#byTypePrefix, key.value, i);
    });
    this.#prefixLengths = [...new Set([...this.#byTypePrefix.keys()].map((p) => p.length))].sort(
      (a, b) => a - b,
    );
  }

  /** The routes that match, in configured order, stopping after a matching `stop` route. */
  matching(event: CloudEvent): Route[] {
    const matched: Route[] = [];
    for (const i of this.#candidates(event.attributes.type)) {
      const route = this.#routes[i] as Route;
      if (!route.filter.matches(event)) continue;
      matched.push(route);
      if (route.stop) break;
    }
    return matched;
  }

  #candidates(type: string): number[] {
    const lists: number[][] = [this.#unindexed];
    const exact = this.#byExactType.get(type);
    if (exact !== undefined) lists.push(exact);
    for (const length of this.#prefixLengths) {
      if (length > type.length) break;
      const byPrefix = this.#byTypePrefix.get(type.slice(0, length));
      if (byPrefix !== undefined) lists.push(byPrefix);
    }
    const nonEmpty = lists.filter((list) => list.length > 0);
    if (nonEmpty.length === 1) return nonEmpty[0] as number[];
    return nonEmpty.flat().sort((a, b) => a - b);
  }
}

function append(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [index]);
  else list.push(index);
}
