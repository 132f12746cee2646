import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { collect, describeAdapterContract } from "./contract.js";

describeAdapterContract({
  name: "memory",
  async setup() {
    const adapter = createMemoryAdapter();
    return {
      adapter,
      addressFor: (runId, name) => `contract.${runId}.${name}`,
      received: (prefix, count) =>
        collect(() => adapter.events().map((s) => ({ event: s.event, address: s.address })), prefix, count),
      teardown: () => adapter.close(),
      keepsAttributeTypes: true,
    };
  },
});
