import { createHash } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { problemOf, testGateway } from "../support/gateway.js";

const ORDERS: GatewayConfig = {
  ingest: {
    sources: [
      {
        path: "/hooks/orders",
        type: "json",
        maxBodyBytes: 4096,
        event: {
          type: "'com.example.order.created'",
          source: "'/shop'",
          id: "body.orderId",
          subject: "body.customer.id",
          time: "body.createdAt",
          tenant: 'headers."x-tenant"',
          priority: "body.priority",
          channel: "query.channel",
        },
      },
      {
        path: "/hooks/plain",
        type: "json",
        event: { type: "'com.example.plain'", source: "'/legacy'" },
      },
    ],
  },
};

const order = (overrides: Record<string, unknown> = {}) => ({
  orderId: 1001,
  customer: { id: "c-7" },
  createdAt: "2026-11-30T10:00:00Z",
  priority: 3,
  ...overrides,
});

function post(
  t: ReturnType<typeof testGateway>,
  path: string,
  body: string,
  headers: Record<string, string> = {},
) {
  return t.gateway.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  }) as Promise<Response>;
}

describe("json source", () => {
  it("maps a plain JSON object to a CloudEvent and routes it", async () => {
    const t = testGateway(ORDERS);
    const body = ` {"orderId": 1001, "customer": {"id": "c-7"}, "createdAt": "2026-11-30T10:00:00Z", "priority": 3, "total": 1.50} `;
    const response = await post(t, "/hooks/orders?channel=web", body, { "X-Tenant": "acme" });
    expect(response.status).toBe(202);
    const [event] = t.received();
    expect(event?.attributes).toEqual({
      specversion: "1.0",
      id: "1001",
      source: "/shop",
      type: "com.example.order.created",
      subject: "c-7",
      time: "2026-11-30T10:00:00Z",
      datacontenttype: "application/json",
    });
    expect(Object.fromEntries(event?.extensions ?? [])).toEqual({
      tenant: "acme",
      priority: 3,
      channel: "web",
    });
    // The object byte for byte: 1.50 stays 1.50.
    expect(new TextDecoder().decode(event?.data?.bytes)).toBe(body.trim());
    await t.gateway.close();
  });

  it("keeps an int32 extension an Integer and writes any other number as text", async () => {
    const t = testGateway(ORDERS);
    const response = await post(t, "/hooks/orders", JSON.stringify(order({ priority: 2.5 })));
    expect(response.status).toBe(202);
    expect(t.received()[0]?.extensions.get("priority")).toBe("2.5");
    expect((await post(t, "/hooks/orders", JSON.stringify(order({ priority: 3_000_000_000 })))).status).toBe(
      202,
    );
    expect(t.received()[1]?.extensions.get("priority")).toBe("3000000000");
    await t.gateway.close();
  });

  it("makes each element of a list an event, with ids by hash when none is mapped", async () => {
    const t = testGateway(ORDERS);
    const body = '[{"a":1},{"a":2}]';
    expect((await post(t, "/hooks/plain", body)).status).toBe(202);
    const ids = t.received().map((e) => e.attributes.id);
    expect(new TextDecoder().decode(t.received()[1]?.data?.bytes)).toBe('{"a":2}');
    expect(ids[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(ids[0]).not.toBe(ids[1]);
    // Redelivered: the same ids, so downstream deduplication catches it.
    expect((await post(t, "/hooks/plain", body)).status).toBe(202);
    expect(
      t
        .received()
        .slice(2)
        .map((e) => e.attributes.id),
    ).toEqual(ids);
    // The same element at another index, or on another path, is another event.
    expect((await post(t, "/hooks/plain", '[{"a":2}]')).status).toBe(202);
    expect(t.received()[4]?.attributes.id).not.toBe(ids[1]);
    await t.gateway.close();
  });

  it("hashes source, path and body bytes into the id (documented, so it can be reproduced)", async () => {
    const t = testGateway(ORDERS);
    const body = '{"a":1}';
    await post(t, "/hooks/plain", body);
    const expected = createHash("sha256").update(`7:/legacy\n12:/hooks/plain\n\n${body}`).digest("hex");
    expect(t.received()[0]?.attributes.id).toBe(expected);
    await t.gateway.close();
  });

  it.each([
    [
      "an object for a string attribute",
      { customer: { id: { nested: true } } },
      "/subject",
      "unmappable-value",
    ],
    ["a required attribute that yields nothing", { orderId: undefined }, "/id", "unmapped-attribute"],
    ["a value the core spec refuses", { createdAt: "yesterday" }, "/time", "invalid-time"],
  ])("refuses %s with 400 naming the attribute", async (_what, overrides, pointer, code) => {
    const t = testGateway(ORDERS);
    const response = await post(t, "/hooks/orders", JSON.stringify(order(overrides)));
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors).toEqual([expect.objectContaining({ pointer, code })]);
    expect(t.received()).toEqual([]);
    await t.gateway.close();
  });

  it("names the element of a list at fault", async () => {
    const t = testGateway(ORDERS);
    const response = await post(t, "/hooks/orders", JSON.stringify([order(), order({ orderId: null }), 5]));
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors?.map((e) => [e.index, e.pointer, e.code])).toEqual([
      [1, "/1/id", "unmapped-attribute"],
      [2, "/2", "not-an-object"],
    ]);
    await t.gateway.close();
  });

  it("answers 400 for a body that is not JSON, 413 past the source's own limit", async () => {
    const t = testGateway(ORDERS);
    const bad = await post(t, "/hooks/orders", "{nope");
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).code).toBe("malformed-body");
    const big = await post(t, "/hooks/orders", JSON.stringify(order({ pad: "x".repeat(5000) })));
    expect(big.status).toBe(413);
    // The other source keeps the server's limit.
    expect((await post(t, "/hooks/plain", JSON.stringify({ pad: "x".repeat(5000) }))).status).toBe(202);
    await t.gateway.close();
  });

  it("answers 404 on unknown paths and 405 for other methods on a source's path", async () => {
    const t = testGateway(ORDERS);
    expect((await post(t, "/hooks/nothing", "{}")).status).toBe(404);
    const get = (await t.gateway.request("/hooks/orders")) as Response;
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    await t.gateway.close();
  });

  it("works under a mounted gateway's prefix", async () => {
    const t = testGateway(ORDERS);
    const app = new Hono();
    app.route("/ingest", t.gateway);
    const response = await app.request("/ingest/hooks/plain", { method: "POST", body: "{}" });
    expect(response.status).toBe(202);
    expect(t.received()).toHaveLength(1);
    await t.gateway.close();
  });

  it("bounds the cost of expressions per request", async () => {
    const t = testGateway({
      ingest: {
        sources: [
          {
            path: "/hooks/costly",
            type: "json",
            event: {
              type: "'t'",
              source: "'/s'",
              subject: "$string($count($map([1..1000000], function($i) { $i })))",
            },
          },
        ],
      },
    });
    const response = await post(t, "/hooks/costly", "{}");
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.code).toBe("expression-budget");
    await t.gateway.close();
  });

  it("follows a reload to new paths", async () => {
    const t = testGateway(ORDERS);
    t.gateway.reload({
      routes: [{ name: "all", to: ["memory"] }],
      ingest: { sources: [{ path: "/hooks/new", type: "json", event: { type: "'t'", source: "'/s'" } }] },
    });
    expect((await post(t, "/hooks/plain", "{}")).status).toBe(404);
    expect((await post(t, "/hooks/new", "{}")).status).toBe(202);
    await t.gateway.close();
  });
  it("reads a body after one byte order mark and refuses a second mark with 400, not 500", async () => {
    const t = testGateway(ORDERS);
    const one = await post(t, "/hooks/plain", '\uFEFF{"a":1}');
    expect(one.status).toBe(202);
    expect(new TextDecoder().decode(t.received()[0]?.data?.bytes)).toBe('{"a":1}');
    const two = await post(t, "/hooks/plain", '\uFEFF\uFEFF{"a":1}');
    expect(two.status).toBe(400);
    const problem = await problemOf(two);
    expect(problem.code).toBe("malformed-body");
    expect(problem.errors?.[0]?.code).toBe("invalid-json");
    expect(t.received()).toHaveLength(1);
    await t.gateway.close();
  });
});
