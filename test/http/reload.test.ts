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
import { createGateway } from "../../src/entries/node/create-gateway.js";
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

  it("keeps an adapter open while any older generation still uses it, and closes it after", async () => {
    const events: string[] = [];
    let release: (() => void) | undefined;
    const slowType: TargetCatalog = {
      slow: {
        descriptor: { type: "slow", optionsSchema: {}, addressing: {}, defaultTimeoutMs: 10_000 },
        load: async () => ({
          type: "slow",
          optionsSchema: {},
          addressing: {},
          defaultTimeoutMs: 10_000,
          create: () => {
            let closed = false;
            events.push("create");
            return {
              ...scriptedAdapter(async () => {
                await new Promise<void>((resolve) => {
                  release = resolve;
                });
                events.push(`publish closed=${closed}`);
                return acked();
              }),
              close: async () => {
                closed = true;
                events.push("close");
              },
            };
          },
        }),
      },
    };
    const sink = createMemoryAdapter();
    const config = { targets: { x: { type: "slow" } }, routes: [{ name: "r", to: ["x"] }] };
    const gateway = createGateway(config, { targetTypes: slowType, targets: { sink } });
    const inFlight = gateway.request("/events", { method: "POST", headers: binaryHeaders() });
    await expect.poll(() => release !== undefined).toBe(true);
    gateway.reload(config); // generation 2 keeps x
    gateway.reload({ routes: [{ name: "r", to: ["sink"] }] }); // generation 3 drops it
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(["create"]);
    release?.();
    expect((await inFlight).status).toBe(202);
    await expect.poll(() => events).toEqual(["create", "publish closed=false", "close"]);
    await gateway.close();
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
      descriptor: { type: "fake", optionsSchema: {}, addressing: {}, defaultTimeoutMs: 10_000 },
      load: async () => ({
        type: "fake",
        optionsSchema: {},
        addressing: {},
        defaultTimeoutMs: 10_000,
        create: (options: Record<string, unknown>) => ({
          ...scriptedAdapter(() => acked()),
          options,
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
    const next = registry.successor({
      change: { type: "fake", label: "v2" },
      keep: { label: "keep", type: "fake" },
    });
    expect(await next.get("keep")).toBe(kept);
    expect(next.has("drop")).toBe(false);
    await registry.release();
    expect(closed.sort()).toEqual(["drop", "v1"]);
    await next.release();
    expect(closed.sort()).toEqual(["drop", "keep", "v1"]);
  });

  it("keeps the adapter when only delivery settings change, and never hands them to it", async () => {
    const registry = new TargetRegistry(
      { t: { type: "fake", label: "t", retry: { maxAttempts: 2 } } },
      portableRuntime(),
      {},
      catalog,
    );
    const first = (await registry.get("t")) as unknown as { options: Record<string, unknown> };
    expect(first.options).toEqual({ label: "t" });
    const next = registry.successor({
      t: { type: "fake", label: "t", retry: { maxAttempts: 5 }, maxInFlight: 9, circuitBreaker: {} },
    });
    expect(await next.get("t")).toBe(first);
    await registry.release();
    await next.release();
  });
});
