/**
 * The `memory` target: keeps delivered events in the process, newest last,
 * up to `maxEvents` (oldest dropped first). For tests and the console.
 */
import { type Adapter, type AdapterFactory, acked } from "../../src/adapter/adapter.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import { memoryDescriptor } from "./descriptor.js";

export interface MemoryOptions {
  readonly maxEvents?: number;
  /** Template expanded by the router; recorded with each event. */
  readonly address?: string;
  readonly orderingKey?: string;
}

export interface StoredEvent {
  readonly event: CloudEvent;
  readonly address: string | undefined;
  readonly orderingKey: string | undefined;
  readonly sequence: number;
}

export interface MemoryAdapter extends Adapter {
  /** Everything stored, oldest first. */
  events(): readonly StoredEvent[];
  clear(): void;
}

export function createMemoryAdapter(options: MemoryOptions = {}): MemoryAdapter {
  const maxEvents = options.maxEvents ?? 10_000;
  let stored: StoredEvent[] = [];
  let sequence = 0;
  return {
    type: "memory",
    capabilities: {
      batching: true,
      orderingKeys: true,
      brokerDedup: false,
      modes: ["binary", "structured"],
      runsOnWorkers: true,
      maxEventBytes: Number.POSITIVE_INFINITY,
    },
    async publish(messages) {
      return messages.map((message) => {
        sequence += 1;
        stored.push({
          event: message.event,
          address: message.address,
          orderingKey: message.orderingKey,
          sequence,
        });
        if (stored.length > maxEvents) stored = stored.slice(stored.length - maxEvents);
        return acked({ id: String(sequence) });
      });
    },
    async ready() {
      return true;
    },
    async close() {},
    events: () => stored,
    clear() {
      stored = [];
    },
  };
}

export const memoryTarget: AdapterFactory<MemoryOptions> = {
  ...memoryDescriptor,
  create: (options) => createMemoryAdapter(options),
};
