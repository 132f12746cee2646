/**
 * The route index must find exactly the routes a full scan finds, in order.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCloudEvent } from "../../src/event/cloud-event.js";
import { allOf, compileFilter } from "../../src/filter/compile-filter.js";
import type { FilterConfig } from "../../src/filter/filter-config.js";
import { type Route, typeKeyOf } from "../../src/route/route.js";
import { RouteIndex } from "../../src/route/route-index.js";

const types = ["a", "a.b", "a.b.c", "a.c", "b", "b.a", ""];
const filterArb: fc.Arbitrary<FilterConfig> = fc.oneof(
  fc.constantFrom(...types).map((t) => ({ exact: { type: t } })),
  fc.constantFrom(...types).map((t) => ({ prefix: { type: t } })),
  fc.constantFrom("a", "c", "").map((s) => ({ suffix: { type: s } })),
  fc.constantFrom("x", "y").map((r) => ({ exact: { region: r } })),
);
const routeArb = fc.record({
  filters: fc.array(filterArb, { maxLength: 3 }),
  stop: fc.boolean(),
});

function build(configs: { filters: FilterConfig[]; stop: boolean }[]): Route[] {
  return configs.map((c, i) => ({
    name: `r${i}`,
    to: ["t"],
    stop: c.stop,
    filter: allOf(c.filters.map((f) => compileFilter(f))),
    typeKey: typeKeyOf(c.filters),
  }));
}

function scan(routes: Route[], event: Parameters<Route["filter"]["matches"]>[0]): string[] {
  const names: string[] = [];
  for (const route of routes) {
    if (!route.filter.matches(event)) continue;
    names.push(route.name);
    if (route.stop) break;
  }
  return names;
}

describe("RouteIndex", () => {
  it("matches exactly what evaluating every route in order matches", () => {
    fc.assert(
      fc.property(
        fc.array(routeArb, { maxLength: 30 }),
        fc.constantFrom(...types.filter(Boolean), "zzz"),
        fc.constantFrom("x", "y", undefined),
        (configs, type, region) => {
          const routes = build(configs);
          const event = createCloudEvent({
            attributes: { specversion: "1.0", id: "1", source: "/s", type },
            extensions: new Map(region === undefined ? [] : [["region", region]]),
          });
          expect(new RouteIndex(routes).matching(event).map((r) => r.name)).toEqual(scan(routes, event));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
