/** Records to append, and a way to read back everything a store holds. */
import type { NewOutboxRecord, OutboxRecord, OutboxStore } from "../../src/deliver/outbox/outbox-store.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A record whose event bytes are its marker, so a test can tell records apart after a reopen. */
export function recordOf(
  marker: string,
  fields: Partial<Omit<NewOutboxRecord, "event">> = {},
): NewOutboxRecord {
  return { target: "orders", acceptedAt: 1_000, ...fields, event: encoder.encode(marker) };
}

export const markerOf = (record: OutboxRecord) => decoder.decode(record.event);

/** Claims and completes until nothing is left, so keyed records come out in their order. */
export async function drain(store: OutboxStore, now = Number.MAX_SAFE_INTEGER): Promise<OutboxRecord[]> {
  const all: OutboxRecord[] = [];
  for (;;) {
    const claimed = await store.claim(10_000, now);
    if (claimed.length === 0) return all;
    all.push(...claimed);
    await store.complete(claimed.map((record) => record.id));
  }
}
