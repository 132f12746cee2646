/**
 * Runtime services are injected by the entries: the Node composition hands
 * adapters Node's `setImmediate` turn and lets requests share work in flight;
 * the bare core (as on Workers) gives the portable turn and shares nothing.
 */
import { describe, expect, it } from "vitest";
import type { AdapterFactory, AdapterRuntime } from "../../src/adapter/adapter.js";
import type { TargetCatalog } from "../../src/adapter/catalog.js";
import { nextTurn as portableNextTurn } from "../../src/adapter/next-turn.js";
import { createGateway as createNodeGateway } from "../../src/entries/node/create-gateway.js";
import { nodeRuntime } from "../../src/entries/node/node-runtime.js";
import { createGateway as createCoreGateway } from "../../src/http/create-gateway.js";

/** A target type that records the runtime its adapter is created with. */
function probe(): { catalog: TargetCatalog; runtime: () => Promise<AdapterRuntime> } {
  let resolveRuntime: (runtime: AdapterRuntime) => void = () => {};
  const created = new Promise<AdapterRuntime>((resolve) => {
    resolveRuntime = resolve;
  });
  const factory: AdapterFactory<never> = {
    type: "probe",
    optionsSchema: { type: "object" },
    addressing: {},
    defaultTimeoutMs: 1_000,
    create: (_options, runtime) => {
      resolveRuntime(runtime);
      return {
        type: "probe",
        capabilities: {
          batching: false,
          orderingKeys: false,
          brokerDedup: false,
          modes: ["structured"],
          runsOnWorkers: true,
          maxEventBytes: 1024,
        },
        publish: async (messages) => messages.map(() => ({ status: "acked", receipt: {} }) as const),
        ready: async () => true,
        close: async () => {},
      };
    },
  };
  return {
    catalog: { probe: { descriptor: factory, load: async () => factory } },
    runtime: () => created,
  };
}

const config = { targets: { p: { type: "probe" } }, routes: [{ name: "all", to: ["p"] }] };

describe("runtime services", () => {
  it("gives adapters Node's next turn in the Node composition", async () => {
    const { catalog, runtime } = probe();
    const gateway = createNodeGateway(config, { targetTypes: catalog });
    expect((await runtime()).nextTurn).toBe(nodeRuntime.nextTurn);
    expect((await runtime()).shareInFlight).toBe(true);
    await gateway.close();
  });

  it("gives adapters the portable next turn in the bare core", async () => {
    const { catalog, runtime } = probe();
    const gateway = createCoreGateway(config, { targetTypes: catalog });
    expect((await runtime()).nextTurn).toBe(portableNextTurn);
    expect((await runtime()).shareInFlight).toBe(false);
    await gateway.close();
  });
});
