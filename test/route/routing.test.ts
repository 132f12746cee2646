/**
 * Routing through HTTP: filters of every dialect, fan-out, stop, unmatched and
 * address templates.
 */
import { describe, expect, it } from "vitest";
import { createMemoryAdapter, type MemoryAdapter } from "../../adapters/memory/index.js";
import type { GatewayConfig, RouteConfig } from "../../src/config/gateway-config.js";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import { BATCH, problemOf, STRUCTURED, structuredEvent } from "../support/gateway.js";

function routed(routes: RouteConfig[], extra: Partial<GatewayConfig> = {}, names = ["a", "b", "c"]) {
  const memories: Record<string, MemoryAdapter> = Object.fromEntries(
    names.map((n) => [n, createMemoryAdapter()]),
  );
  const gateway = createGateway({ routes, ...extra }, { targets: memories });
  const send = (event: Record<string, unknown>) =>
    gateway.request("/events", {
      method: "POST",
      headers: STRUCTURED,
      body: JSON.stringify(structuredEvent(event)),
    });
  const ids = (name: string) => memories[name]?.events().map((s) => s.event.attributes.id) ?? [];
  return { gateway, memories, send, ids };
}

describe("filters", () => {
  it.each([
    [{ exact: { type: "com.x.created" } }, { type: "com.x.created" }, true],
    [{ exact: { type: "com.x.created" } }, { type: "com.x.created.v2" }, false],
    [{ exact: { type: "com.x.created", subject: "s" } }, { type: "com.x.created" }, false],
    [{ prefix: { type: "com.x." } }, { type: "com.x.created" }, true],
    [{ prefix: { type: "com.x." } }, { type: "COM.X.created" }, false],
    [{ suffix: { source: "/eu" } }, { source: "/shop/eu" }, true],
    [{ exact: { region: "eu" } }, { region: "eu" }, true],
    [{ exact: { region: "eu" } }, {}, false],
    [{ exact: { count: "5" } }, { count: 5 }, true],
    [{ exact: { flag: "true" } }, { flag: true }, true],
    [
      { all: [{ prefix: { type: "com." } }, { suffix: { type: ".created" } }] },
      { type: "com.x.created" },
      true,
    ],
    [
      { all: [{ prefix: { type: "com." } }, { suffix: { type: ".deleted" } }] },
      { type: "com.x.created" },
      false,
    ],
    [{ any: [{ exact: { type: "a" } }, { exact: { type: "com.x" } }] }, { type: "com.x" }, true],
    [{ any: [{ exact: { type: "a" } }, { exact: { type: "b" } }] }, { type: "com.x" }, false],
    [{ not: { exact: { type: "a" } } }, { type: "b" }, true],
    [{ not: { exact: { region: "eu" } } }, {}, true],
    [{ sql: "source LIKE '/shop/eu/%' AND NOT EXISTS test" }, { source: "/shop/eu/1" }, true],
    [{ sql: "source LIKE '/shop/eu/%' AND NOT EXISTS test" }, { source: "/shop/eu/1", test: "x" }, false],
    [{ sql: "INT(count) / 0 = 0" }, { count: 4 }, false],
    [{ sql: "region = 'eu'" }, {}, false],
  ])("%j on %j matches: %s", async (filter, event, expected) => {
    const r = routed([{ name: "r", filters: [filter as never], to: ["a"] }], { unmatched: "accept" });
    expect((await r.send(event)).status).toBe(202);
    expect(r.ids("a")).toHaveLength(expected ? 1 : 0);
  });

  it("requires every filter of a route to match", async () => {
    const r = routed(
      [{ name: "r", filters: [{ prefix: { type: "com." } }, { exact: { region: "eu" } }], to: ["a"] }],
      {
        unmatched: "accept",
      },
    );
    await r.send({ id: "1", type: "com.x" });
    await r.send({ id: "2", type: "com.x", region: "eu" });
    expect(r.ids("a")).toEqual(["2"]);
  });
});

describe("fan-out, order and stop", () => {
  it("sends an event once to each distinct target of all matching routes", async () => {
    const r = routed([
      { name: "one", filters: [{ prefix: { type: "com." } }], to: ["a", "b"] },
      { name: "two", to: ["b", "c"] },
      { name: "three", filters: [{ exact: { type: "other" } }], to: ["a"] },
    ]);
    expect((await r.send({ id: "1", type: "com.x" })).status).toBe(202);
    expect([r.ids("a"), r.ids("b"), r.ids("c")]).toEqual([["1"], ["1"], ["1"]]);
  });

  it("ends matching at a matching route with stop: true", async () => {
    const r = routed([
      { name: "vip", filters: [{ exact: { tier: "vip" } }], to: ["a"], stop: true },
      { name: "rest", to: ["b"] },
    ]);
    await r.send({ id: "vip", tier: "vip" });
    await r.send({ id: "plain" });
    expect(r.ids("a")).toEqual(["vip"]);
    expect(r.ids("b")).toEqual(["plain"]);
  });

  it("refuses an unmatched event with 422 no-route by default, listing it in a batch", async () => {
    const r = routed([{ name: "r", filters: [{ exact: { type: "wanted" } }], to: ["a"] }]);
    const response = await r.gateway.request("/events", {
      method: "POST",
      headers: BATCH,
      body: JSON.stringify([
        structuredEvent({ id: "1", type: "wanted" }),
        structuredEvent({ id: "2", type: "unwanted" }),
      ]),
    });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors).toEqual([
      expect.objectContaining({ index: 1, code: "no-route" }),
    ]);
    expect(r.ids("a")).toEqual([]);
  });

  it("accepts an unmatched event with unmatched: accept", async () => {
    const r = routed([{ name: "r", filters: [{ exact: { type: "wanted" } }], to: ["a"] }], {
      unmatched: "accept",
    });
    expect((await r.send({ type: "unwanted" })).status).toBe(202);
  });
});

describe("address templates", () => {
  const withTemplates = () =>
    routed([{ name: "all", to: ["a"] }], {
      targets: {
        a: { type: "memory", address: "events.{type}.{region}", orderingKey: "{source}/{subject}" },
      },
    });

  it("expands attributes and extensions into the target's address and ordering key", async () => {
    const r = withTemplates();
    expect((await r.send({ id: "1", type: "order.created", region: "eu", subject: "o-1" })).status).toBe(202);
    const [stored] = r.memories.a?.events() ?? [];
    expect(stored?.address).toBe("events.order.created.eu");
    expect(stored?.orderingKey).toBe("/test/source/o-1");
  });

  it("refuses with 422, naming the target, an event whose expansion is impossible or invalid", async () => {
    const r = withTemplates();
    const missing = await r.send({ id: "1", type: "t", subject: "s" });
    expect(missing.status).toBe(422);
    const problem = await problemOf(missing);
    expect(problem.code).toBe("invalid-address");
    expect(problem.errors?.[0]).toMatchObject({ target: "a", code: "invalid-address" });
    expect(problem.errors?.[0]?.detail).toMatch(/no "region" attribute/);
    const spaced = await r.send({ id: "2", type: "t", region: "eu west", subject: "s" });
    expect(spaced.status).toBe(422);
    expect(r.memories.a?.events()).toHaveLength(0);
  });
});
