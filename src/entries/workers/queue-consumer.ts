/**
 * The Worker's `queue()` handler for its outbox queue: each message is a
 * record the ingress appended (./queue-record-frame.ts), dispatched by the
 * gateway exactly as the Node dispatcher dispatches its records (one attempt
 * each, the same retry policy, dead letters and reports), then settled:
 * - done (delivered, dead-lettered, or refused with no dead letter): acked;
 * - to try again: sent anew with where its attempts stand, delayed until it
 *   is due (`delaySeconds`), then the original is acked. The gateway's retry
 *   policy, not Queues' `max_retries`, decides how often a target is tried:
 *   with no dead letter an event waits as long as its target is down,
 *   rather than being dropped when Queues' retries run out.
 * - when sending it anew fails: `retry()`, Queues' own retry, with the
 *   delay; it counts against `max_retries`, after which Queues moves it to
 *   the queue's `dead_letter_queue` (configure one, or it is deleted).
 * A message that is no outbox record is retried the same way, so it ends in
 * the dead letter queue for someone to look at. No order is kept
 * (../../config/queue-ordering.ts).
 */
import type { Settle } from "../../deliver/outbox/dispatch-batch.js";
import type { OutboxRecord } from "../../deliver/outbox/outbox-store.js";
import { describeError } from "../../errors/errors.js";
import type { Logger } from "../../observe/log-observer.js";
import { frameRescheduled, unframeRecord } from "./queue-record-frame.js";
import type { MessageBatch, QueueMessage, QueueProducer } from "./queue-types.js";

/** Queues delays a message at most 12 hours. */
const MAX_DELAY_SECONDS = 43_200;

export interface QueueConsumerDeps {
  readonly dispatch: (records: readonly OutboxRecord[], settle: Settle) => Promise<void>;
  /** Where records to try again are sent: the outbox's producer binding. */
  readonly queue: QueueProducer;
  readonly logger: Logger;
  readonly now: () => number;
}

const delaySecondsUntil = (notBefore: number, now: number): number =>
  Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((notBefore - now) / 1000)));

export async function consumeOutboxBatch(batch: MessageBatch, deps: QueueConsumerDeps): Promise<void> {
  const messages = new Map<string, QueueMessage>();
  const records: OutboxRecord[] = [];
  for (const message of batch.messages) {
    const unframed = unframeRecord(message.id, message.body);
    if (!unframed.ok) {
      deps.logger.warn(
        { queue: batch.queue, messageId: message.id, attempts: message.attempts, reason: unframed.reason },
        "a message in the outbox queue is no outbox record; Queues retries it, then dead-letters it",
      );
      message.retry();
      continue;
    }
    messages.set(message.id, message);
    records.push(unframed.record);
  }
  if (records.length === 0) return;
  await deps.dispatch(records, async (record, settlement) => {
    const message = messages.get(record.id) as QueueMessage;
    if (settlement.kind === "complete") {
      message.ack();
      return;
    }
    const { update } = settlement;
    const delaySeconds = delaySecondsUntil(update.notBefore, deps.now());
    try {
      await deps.queue.send(frameRescheduled(record, update), { contentType: "bytes", delaySeconds });
      message.ack();
    } catch (error) {
      deps.logger.warn(
        { queue: batch.queue, messageId: message.id, target: record.target, error: describeError(error) },
        "an outbox record could not be queued again; Queues retries it",
      );
      message.retry({ delaySeconds });
    }
  });
}
