/**
 * A JetStream stream as fault tests see it from outside the gateway: created
 * with the official client, then read back in full (every message's headers
 * and sequence), to compare what the stream holds with what producers were
 * told.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";

export interface StoredMessage {
  readonly seq: number;
  readonly subject: string;
  /** Every header, names as sent (ce-id, Nats-Msg-Id, ...). */
  readonly headers: Record<string, string>;
}

export async function withNats<T>(url: string, use: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: url });
  try {
    return await use(nc);
  } finally {
    await nc.close();
  }
}

export async function createStream(url: string, name: string, subjects: string[]): Promise<void> {
  await withNats(url, async (nc) => {
    await (await jetstreamManager(nc)).streams.add({ name, subjects });
  });
}

/** Every message the stream holds, in stream order. */
export async function readStream(url: string, name: string): Promise<StoredMessage[]> {
  return withNats(url, async (nc) => {
    const jsm = await jetstreamManager(nc);
    const total = (await jsm.streams.info(name)).state.messages;
    const stored: StoredMessage[] = [];
    if (total === 0) return stored;
    const consumer = await jetstream(nc).consumers.get(name);
    while (stored.length < total) {
      const batch = await consumer.fetch({
        max_messages: Math.min(1000, total - stored.length),
        expires: 2000,
      });
      let got = 0;
      for await (const m of batch) {
        got++;
        const headers: Record<string, string> = {};
        for (const key of m.headers?.keys() ?? []) headers[key] = m.headers?.get(key) ?? "";
        stored.push({ seq: m.seq, subject: m.subject, headers });
      }
      if (got === 0) throw new Error(`read ${stored.length} of ${total} messages, then nothing more came`);
    }
    return stored;
  });
}
