/**
 * The outbox's stream and consumers, created when absent and brought to the
 * options when present (bounds, ack wait), so every instance pointed at the
 * same stream agrees on them. The shard count and subject prefix decide where
 * a key's records go: instances that disagreed would split a key across two
 * shards, so they are written into the stream's description and a mismatch
 * refuses to open (stream metadata would be the place, but needs 2.10).
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { UNORDERED_TOKEN } from "./jetstream-outbox-codec.js";

export interface OutboxStreamLayout {
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly shards: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
  readonly ackWaitMs: number;
  /** Leases at most at once on the consumer of records without a key, across instances. */
  readonly unorderedMaxAckPending: number;
}

const nanos = (ms: number) => ms * 1_000_000;

export const shardConsumer = (shard: number) => `outbox-shard-${shard}`;
export const UNORDERED_CONSUMER = "outbox-unordered";

export async function provisionOutboxStream(
  jsm: JetStreamManager,
  layout: OutboxStreamLayout,
): Promise<void> {
  const { stream, subjectPrefix, shards, maxRecords, maxBytes } = layout;
  const description = `ce-gateway outbox; prefix=${subjectPrefix}; shards=${shards}`;
  const existing = await jsm.streams.info(stream).catch(() => undefined);
  if (existing === undefined) {
    await jsm.streams.add({
      name: stream,
      description,
      subjects: [`${subjectPrefix}.>`],
      // Work queue: an acked record leaves the stream, so the stream's count is the outbox's depth.
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      max_msgs: maxRecords,
      max_bytes: maxBytes,
      // Full: the publish is refused (the producer gets 503), nothing waiting is dropped.
      discard: DiscardPolicy.New,
    });
  } else {
    if (existing.config.description !== description) {
      throw new Error(
        `Stream ${stream} is laid out as "${existing.config.description ?? ""}", not "${description}"`,
      );
    }
    if (existing.config.max_msgs !== maxRecords || existing.config.max_bytes !== maxBytes) {
      await jsm.streams.update(stream, { max_msgs: maxRecords, max_bytes: maxBytes });
    }
  }
  for (let shard = 0; shard < shards; shard++) {
    // One lease at a time per shard, whichever instance holds it: that is what keeps a key in order.
    await ensureConsumer(jsm, layout, shardConsumer(shard), `${subjectPrefix}.${shard}.*`, 1);
  }
  await ensureConsumer(
    jsm,
    layout,
    UNORDERED_CONSUMER,
    `${subjectPrefix}.${UNORDERED_TOKEN}.*`,
    layout.unorderedMaxAckPending,
  );
}

async function ensureConsumer(
  jsm: JetStreamManager,
  layout: OutboxStreamLayout,
  name: string,
  filter: string,
  maxAckPending: number,
): Promise<void> {
  const existing = await jsm.consumers.info(layout.stream, name).catch(() => undefined);
  if (existing === undefined) {
    await jsm.consumers.add(layout.stream, {
      durable_name: name,
      filter_subject: filter,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(layout.ackWaitMs),
      max_ack_pending: maxAckPending,
      // Redelivered until taken: giving up is the dispatcher's call (maxAttempts), not the stream's.
      max_deliver: -1,
    });
  } else if (
    existing.config.ack_wait !== nanos(layout.ackWaitMs) ||
    existing.config.max_ack_pending !== maxAckPending
  ) {
    await jsm.consumers.update(layout.stream, name, {
      ack_wait: nanos(layout.ackWaitMs),
      max_ack_pending: maxAckPending,
    });
  }
}
