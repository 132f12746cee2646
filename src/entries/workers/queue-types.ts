/**
 * The part of Cloudflare Queues' Workers API the queue outbox uses: a
 * producer binding, and the batches workerd hands the `queue()` handler.
 * Bodies are sent as `bytes` (an ArrayBufferView), so their size is exactly
 * what the gateway measured.
 */
export interface QueueSendOptions {
  readonly contentType?: "bytes";
  /** Not delivered before this many seconds (at most 12 hours). */
  readonly delaySeconds?: number;
}

export interface QueueProducer {
  send(body: ArrayBufferView, options?: QueueSendOptions): Promise<void>;
  sendBatch(
    messages: readonly {
      readonly body: ArrayBufferView;
      readonly contentType?: "bytes";
      readonly delaySeconds?: number;
    }[],
  ): Promise<void>;
}

export interface QueueMessage {
  /** Unique per message; kept across Queues' own retries of it. */
  readonly id: string;
  readonly timestamp: Date;
  readonly body: unknown;
  /** Deliveries of this message so far, this one included. */
  readonly attempts: number;
  ack(): void;
  retry(options?: { readonly delaySeconds?: number }): void;
}

export interface MessageBatch {
  /** The queue's name. */
  readonly queue: string;
  readonly messages: readonly QueueMessage[];
  ackAll(): void;
  retryAll(options?: { readonly delaySeconds?: number }): void;
}

export function isQueueProducer(value: unknown): value is QueueProducer {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<QueueProducer>).send === "function" &&
    typeof (value as Partial<QueueProducer>).sendBatch === "function"
  );
}
