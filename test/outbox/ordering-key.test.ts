/**
 * What an async delivery keeps order by: a route's `orderingKey` template,
 * else the target's ordering key, else the `partitionkey` extension; an
 * event the route's template cannot fill has no order.
 */
import { describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { TargetRegistry } from "../../src/adapter/target-registry.js";
import { compileRouting } from "../../src/config/compile-routing.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { outboxRecordOf } from "../../src/deliver/outbox/outbox-delivery.js";
import { type AttributeValue, createCloudEvent } from "../../src/event/cloud-event.js";
import { planDeliveries } from "../../src/route/plan-deliveries.js";

const OUTBOX: GatewayConfig["delivery"] = { outbox: { type: "log", dir: "unused" } };

function keysFor(config: GatewayConfig, extensions: Record<string, AttributeValue>, subject?: string) {
  const targets = new TargetRegistry({}, portableRuntime(), { t: createMemoryAdapter() }, {});
  const table = compileRouting({ ...config, delivery: OUTBOX }, new Set(["t"]), {});
  const event = createCloudEvent({
    attributes: { specversion: "1.0", id: "1", source: "/s", type: "x", ...(subject && { subject }) },
    extensions: new Map(Object.entries(extensions)),
  });
  const plan = planDeliveries([event], table, targets);
  return plan.deliveries.map((d) => outboxRecordOf(d, event, 0).orderingKey);
}

describe("the ordering key of an async delivery", () => {
  it("is the partitionkey extension by default", () => {
    expect(keysFor({ routes: [{ name: "r", to: ["t"], ack: "async" }] }, { partitionkey: "p-1" })).toEqual([
      "p-1",
    ]);
    expect(keysFor({ routes: [{ name: "r", to: ["t"], ack: "async" }] }, {})).toEqual([undefined]);
  });

  it("is the route's template when it sets one, and none when the event cannot fill it", () => {
    const config: GatewayConfig = {
      routes: [{ name: "r", to: ["t"], ack: "async", orderingKey: "{subject}" }],
    };
    expect(keysFor(config, { partitionkey: "p-1" }, "orders/7")).toEqual(["orders/7"]);
    expect(keysFor(config, { partitionkey: "p-1" })).toEqual([undefined]);
  });

  it("refuses a route template that does not compile, naming the route", () => {
    expect(() =>
      keysFor({ routes: [{ name: "r", to: ["t"], ack: "async", orderingKey: "{subject" }] }, {}),
    ).toThrow(/routes\[0\]\.orderingKey/);
  });
});
