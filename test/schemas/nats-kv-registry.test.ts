/**
 * Two gateway instances sharing a registry in a NATS JetStream key-value
 * bucket: a version registered on one is enforced by the other within a second.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { createGateway, type Gateway } from "../../src/entries/node/create-gateway.js";
import { type OpenRegistry, openSchemaRegistry } from "../../src/entries/node/open-schema-registry.js";
import { registerNextVersion } from "../../src/tooling/register-version.js";
import { STRUCTURED, structuredEvent } from "../support/gateway.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

let server: NatsServer;
const opened: OpenRegistry[] = [];
const gateways: Gateway[] = [];

beforeAll(async () => {
  server = await startNatsServer();
}, 30_000);
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  await Promise.all(opened.map((r) => r.close()));
  await server?.dispose();
});

async function instance() {
  const registry = await openSchemaRegistry(
    { mode: "enforce", store: { type: "nats-kv", url: server.url, bucket: "schemas" } },
    "/",
  );
  opened.push(registry);
  const gateway = createGateway(
    { routes: [{ name: "all", to: ["m"] }] },
    { targets: { m: createMemoryAdapter() }, validator: registry.validator },
  );
  gateways.push(gateway);
  return { registry, gateway };
}

const send = (gateway: Gateway, data: unknown) =>
  gateway.request("/events", {
    method: "POST",
    headers: STRUCTURED,
    body: JSON.stringify(structuredEvent({ type: "com.example.shared", data })),
  });

describe("a registry shared through NATS KV", () => {
  it("enforces a version registered on another instance within a second", async () => {
    const a = await instance();
    const b = await instance();
    expect((await send(b.gateway, { n: "not a number" })).status).toBe(202);

    const result = await registerNextVersion(
      a.registry.registry,
      a.registry.store,
      "com.example.shared",
      { type: "object", required: ["n"], properties: { n: { type: "integer" } } },
      "BACKWARD",
    );
    expect(result.outcome).toBe("registered");
    const registeredAt = Date.now();
    await expect
      .poll(async () => (await send(b.gateway, { n: "not a number" })).status, {
        timeout: 1_000,
        interval: 20,
      })
      .toBe(422);
    expect(Date.now() - registeredAt).toBeLessThan(1_000);
    expect((await send(b.gateway, { n: 1 })).status).toBe(202);

    // A third instance started later loads it from the bucket.
    const c = await instance();
    expect(c.registry.registry.latest("com.example.shared")?.version).toBe(1);
  });

  it("lets only one instance take a version number", async () => {
    const a = await instance();
    const b = await instance();
    const schema = { type: "object" };
    const [first, second] = await Promise.all([
      registerNextVersion(a.registry.registry, a.registry.store, "com.example.race", schema, "NONE"),
      registerNextVersion(
        b.registry.registry,
        b.registry.store,
        "com.example.race",
        { type: "object", title: "other" },
        "NONE",
      ),
    ]);
    expect([first.outcome, second.outcome].sort()).toEqual(["conflict", "registered"]);
  });
});
