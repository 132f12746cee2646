/**
 * An adapter whose outcomes a test decides, to drive the delivery layer and
 * the responses through every case without a broker.
 */
import type { Adapter, OutboundMessage, PublishOptions, PublishOutcome } from "../../src/adapter/adapter.js";

export interface ScriptedAdapter extends Adapter {
  readonly calls: { messages: readonly OutboundMessage[]; options: PublishOptions }[];
  closed: number;
}

export function scriptedAdapter(
  decide: (message: OutboundMessage, options: PublishOptions) => PublishOutcome | Promise<PublishOutcome>,
  maxEventBytes = Number.POSITIVE_INFINITY,
): ScriptedAdapter {
  const adapter: ScriptedAdapter = {
    type: "scripted",
    calls: [],
    closed: 0,
    capabilities: {
      batching: true,
      orderingKeys: false,
      brokerDedup: false,
      modes: ["binary"],
      runsOnWorkers: true,
      maxEventBytes,
    },
    async publish(messages, options) {
      adapter.calls.push({ messages, options });
      return Promise.all(messages.map((m) => decide(m, options)));
    },
    ready: async () => true,
    async close() {
      adapter.closed += 1;
    },
  };
  return adapter;
}
