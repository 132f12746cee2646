/**
 * The `memory` target: keeps delivered events in the process, newest last,
 * up to `maxEvents` (oldest dropped first). For tests and the console.
 */
import { type Adapter, type AdapterFactory, acked } from "../../src/adapter/adapter.js";
import type { DeadLetterStore, ReadsBackDeadLetters } from "../../src/adapter/dead-letter-store.js";
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

export interface MemoryAdapter extends Adapter, ReadsBackDeadLetters {
  /** Everything stored, oldest first. */
  events(): readonly StoredEvent[];
  clear(): void;
  /** What it stored, read back as dead letters: positions are sequences. */
  deadLetters(): DeadLetterStore;
}

export function createMemoryAdapter(options: MemoryOptions = {}): MemoryAdapter {
  const maxEvents = options.maxEvents ?? 10_000;
  let stored: StoredEvent[] = [];
  let sequence = 0;
  const deadLetters: DeadLetterStore = {
    async list(limit) {
      return stored
        .slice(0, Math.max(0, limit))
        .map((s) => ({ event: s.event, position: String(s.sequence) }));
    },
    async remove(position) {
      const index = stored.findIndex((s) => String(s.sequence) === position);
      // In place, as publish appends: a caller holding events() sees the removal too.
      if (index !== -1) stored.splice(index, 1);
    },
  };
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
    deadLetters: () => deadLetters,
  };
}

export const memoryTarget: AdapterFactory<MemoryOptions> = {
  ...memoryDescriptor,
  create: (options) => createMemoryAdapter(options),
};
