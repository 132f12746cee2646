/**
 * Route matching cost with 10, 100 and 1,000 routes filtering on `type`
 * (half exact, half prefix), against a linear scan of the same routes: the
 * indexed cost should stay flat while the scan grows with the route count.
 */
import { compileRouting } from "../dist/src/config/compile-routing.js";
import { createCloudEvent } from "../dist/src/event/cloud-event.js";
import { compare } from "./harness.js";

function routing(count) {
  const routes = Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { name: `exact-${i}`, filters: [{ exact: { type: `com.example.type${i}.created` } }], to: ["t"] }
      : { name: `prefix-${i}`, filters: [{ prefix: { type: `com.example.type${i}.` } }], to: ["t"] },
  );
  return compileRouting({ targets: { t: { type: "stdout" } }, routes }, new Set(["t"]));
}

const event = (type) => createCloudEvent({ attributes: { specversion: "1.0", id: "1", source: "/s", type } });

function linearScan(table, e) {
  const matched = [];
  for (const route of table.routes) if (route.filter.matches(e)) matched.push(route);
  return matched;
}

export async function run() {
  const tables = Object.fromEntries([10, 100, 1000].map((n) => [n, routing(n)]));
  // An event matching one exact route (type7 is odd: the prefix route 7 matches it).
  const hit = event("com.example.type7.created");
  const miss = event("org.other.thing");
  for (const [label, e] of [
    ["an event one route matches", hit],
    ["an event no route matches", miss],
  ]) {
    const cases = {};
    for (const n of [10, 100, 1000]) {
      const table = tables[n];
      cases[`indexed, ${n} routes`] = () => {
        if (table.index.matching(e).length > 1) throw new Error("unexpected");
      };
    }
    for (const n of [10, 100, 1000]) {
      const table = tables[n];
      cases[`linear scan, ${n} routes`] = () => linearScan(table, e);
    }
    await compare(`route matching, ${label} (baseline: indexed, 10 routes)`, cases, { time: 600 });
  }
}
