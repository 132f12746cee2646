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
const quoted = (t: string) => `'${t}'`;
/** CESQL filters the index may key on, and near misses it must not key on. */
const sqlArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...types).map((t) => `type = ${quoted(t)}`),
  fc.constantFrom(...types).map((t) => `${quoted(t)} = type`),
  fc.constantFrom(...types).map((t) => `type LIKE ${quoted(`${t}%`)}`),
  fc.constantFrom(...types).map((t) => `type LIKE ${quoted(`${t}_%`)}`),
  fc.constantFrom(...types).map((t) => `type NOT LIKE ${quoted(`${t}%`)}`),
  fc.constantFrom(...types).map((t) => `type != ${quoted(t)}`),
  fc.constantFrom(...types).map((t) => `NOT (type = ${quoted(t)})`),
  fc
    .tuple(fc.constantFrom(...types), fc.constantFrom("x", "y"), fc.constantFrom("AND", "OR", "XOR"))
    .map(([t, r, op]) => `type = ${quoted(t)} ${op} region = ${quoted(r)}`),
  fc
    .tuple(fc.constantFrom(...types), fc.constantFrom(...types))
    .map(([t, p]) => `type LIKE ${quoted(`${p}%`)} AND type = ${quoted(t)}`),
);
const filterArb: fc.Arbitrary<FilterConfig> = fc.letrec<{ filter: FilterConfig }>((tie) => ({
  filter: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...types).map((t) => ({ exact: { type: t } })),
    fc.constantFrom(...types).map((t) => ({ prefix: { type: t } })),
    fc.constantFrom("a", "c", "").map((s) => ({ suffix: { type: s } })),
    fc.constantFrom("x", "y").map((r) => ({ exact: { region: r } })),
    sqlArb.map((sql) => ({ sql })),
    fc.array(tie("filter"), { maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie("filter"), { maxLength: 3 }).map((any) => ({ any })),
    tie("filter").map((not) => ({ not })),
  ),
})).filter;
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
    transform: undefined,
    policy: undefined,
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

describe("typeKeyOf", () => {
  it.each([
    [[{ exact: { type: "a.b" } }], { kind: "exact", value: "a.b" }],
    [[{ prefix: { type: "a." } }, { exact: { type: "a.b" } }], { kind: "exact", value: "a.b" }],
    [[{ all: [{ exact: { region: "x" } }, { prefix: { type: "a." } }] }], { kind: "prefix", value: "a." }],
    [[{ sql: "type = 'a.b'" }], { kind: "exact", value: "a.b" }],
    [[{ sql: "'a.b' = type" }], { kind: "exact", value: "a.b" }],
    [[{ sql: "type LIKE 'a.%'" }], { kind: "prefix", value: "a." }],
    [[{ sql: "type LIKE 'a.\\%%'" }], { kind: "prefix", value: "a.%" }],
    [[{ sql: "region = 'x' AND type LIKE 'a.%' AND type = 'a.b'" }], { kind: "exact", value: "a.b" }],
  ] as [FilterConfig[], unknown][])("indexes %j by %j", (filters, key) => {
    expect(typeKeyOf(filters)).toEqual(key);
  });

  it.each([
    [[{ sql: "type = 'a' OR region = 'x'" }]],
    [[{ sql: "NOT (type = 'a')" }]],
    [[{ sql: "type NOT LIKE 'a%'" }]],
    [[{ sql: "type LIKE 'a_%'" }]],
    [[{ sql: "type LIKE '%a'" }]],
    [[{ sql: "type != 'a'" }]],
    [[{ sql: "subject = 'a'" }]],
    [[{ any: [{ exact: { type: "a" } }] }]],
    [[{ not: { exact: { type: "a" } } }]],
  ] as [FilterConfig[]][])("leaves %j unindexed", (filters) => {
    expect(typeKeyOf(filters)).toBeUndefined();
  });
});
