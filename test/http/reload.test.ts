/**
 * gateway.reload(): atomic swaps, in-flight requests finishing on the
 * generation they started on, and target adapters carried over or retired.
 */
import { describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { acked } from "../../src/adapter/adapter.js";
import type { TargetCatalog } from "../../src/adapter/catalog.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { TargetRegistry } from "../../src/adapter/target-registry.js";
import { ConfigError } from "../../src/config/config-error.js";
import { createGateway } from "../../src/http/create-gateway.js";
import { binaryHeaders } from "../support/gateway.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";

describe("gateway.reload", () => {
  it("finishes in-flight requests on the old generation and routes new ones by the new", async () => {
    let release: () => void = () => {};
    const slow = scriptedAdapter(() => new Promise((resolve) => (release = () => resolve(acked()))));
    const fresh = createMemoryAdapter();
    const gateway = createGateway({ routes: [{ name: "r", to: ["slow"] }] }, { targets: { slow, fresh } });

    const inFlight = gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({ "ce-id": "old" }),
    });
    await expect.poll(() => slow.calls.length).toBe(1);
    expect(gateway.reload({ routes: [{ name: "r", to: ["fresh"] }] })).toBe(2);
    const after = await gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({ "ce-id": "new" }),
    });
    expect(after.status).toBe(202);
    release();
    expect((await inFlight).status).toBe(202);
    expect(fresh.events().map((s) => s.event.attributes.id)).toEqual(["new"]);
    expect(slow.calls).toHaveLength(1);
    expect(gateway.state.generation).toBe(2);
  });

  it("keeps the current generation when the new config is invalid", () => {
    const gateway = createGateway({ targets: { a: { type: "memory" } }, routes: [{ name: "r", to: ["a"] }] });
    expect(() => gateway.reload({ routes: [{ name: "r", to: ["nowhere"] }] })).toThrow(ConfigError);
    expect(gateway.state.generation).toBe(1);
  });
});

describe("TargetRegistry.successor", () => {
  const closed: string[] = [];
  const catalog: TargetCatalog = {
    fake: {
      descriptor: { type: "fake", optionsSchema: {}, addressing: {} },
      load: async () => ({
        type: "fake",
        optionsSchema: {},
        addressing: {},
        create: (options: Record<string, unknown>) => ({
          ...scriptedAdapter(() => acked()),
          close: async () => {
            closed.push(String(options.label));
          },
        }),
      }),
    },
  };

  it("carries over adapters whose config is unchanged and retires the rest", async () => {
    const registry = new TargetRegistry(
      {
        keep: { type: "fake", label: "keep" },
        change: { type: "fake", label: "v1" },
        drop: { type: "fake", label: "drop" },
      },
      portableRuntime(),
      {},
      catalog,
    );
    const kept = await registry.get("keep");
    await registry.get("change");
    await registry.get("drop");
    const { next, retired } = registry.successor({
      keep: { type: "fake", label: "keep" },
      change: { type: "fake", label: "v2" },
    });
    expect(await next.get("keep")).toBe(kept);
    expect(next.has("drop")).toBe(false);
    await Promise.all(retired.map(async (p) => (await p).close()));
    expect(closed.sort()).toEqual(["drop", "v1"]);
  });
});
