/**
 * The Worker's outbox: a Cloudflare Queue. The ingress appends each record
 * as one message (202 once `sendBatch` resolved, which is when Queues has
 * the messages durably); the platform later hands them to the same Worker's
 * `queue()` handler (./queue-consumer.ts). A record that could never fit in a
 * message is refused at ingress (413) before anything is sent.
 */
import type { NewOutboxRecord, OutboxAppender } from "../../deliver/outbox/outbox-store.js";
import { frameNewRecord, QUEUE_METADATA_BYTES, whyTooLargeForQueue } from "./queue-record-frame.js";
import type { QueueProducer } from "./queue-types.js";

/** Cloudflare Queues: one `sendBatch` carries at most 100 messages and 256 KB, metadata included. */
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 256_000;

/** The frames cut into sendBatch calls within Queues' limits. */
function batches(frames: readonly Uint8Array[]): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let bytes = 0;
  for (const frame of frames) {
    const size = frame.length + QUEUE_METADATA_BYTES;
    if (current.length > 0 && (current.length === BATCH_MESSAGES || bytes + size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(frame);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export function queueOutbox(queue: QueueProducer): OutboxAppender {
  return {
    /**
     * One call when the records fit one batch (the usual request). A request
     * whose records need several calls is not all-or-none: should one call
     * fail after another succeeded, the producer gets 503 and sends again,
     * and what had been sent is delivered twice (dedup at the target, e.g.
     * JetStream's message id, makes that once).
     */
    async append(records: readonly NewOutboxRecord[]) {
      const frames = records.map(frameNewRecord);
      await Promise.all(
        batches(frames).map((batch) =>
          queue.sendBatch(batch.map((frame) => ({ body: frame, contentType: "bytes" as const }))),
        ),
      );
    },
    whyTooLarge: whyTooLargeForQueue,
    async close() {},
  };
}
