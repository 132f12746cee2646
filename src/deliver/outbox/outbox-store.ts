/**
 * The outbox: where an event accepted asynchronously waits until each of its
 * targets took it. One record per (event, target): what the target gets, the
 * key its order is kept by, and where its attempts stand. An interface, so
 * the core stays runtime-neutral: one Node process keeps records in a local
 * append-only log (src/entries/node/outbox), instances sharing the work in a
 * JetStream stream, a Worker in a Cloudflare Queue.
 */

/** A record as the route stage makes it, before the store has it. */
export interface NewOutboxRecord {
  readonly target: string;
  /** The route whose transform made the event; absent: the event as received (the dedup key's variant). */
  readonly route?: string;
  /** Records of one (target, orderingKey) are delivered in the order they were appended; absent: no order. */
  readonly orderingKey?: string;
  /** The event the target gets, in the JSON event format (UTF-8 bytes). */
  readonly event: Uint8Array;
  /** The event as received, when a route's transform made `event`: what a dead letter keeps (replay transforms again). */
  readonly original?: Uint8Array;
  /** Where a terminal refusal goes; absent: it is reported and dropped from the outbox. */
  readonly deadLetter?: string;
  /** Epoch ms when the gateway answered 202 for it. */
  readonly acceptedAt: number;
}

/** A stored record, with where its attempts stand. */
export interface OutboxRecord extends NewOutboxRecord {
  /** Given by the store: unique, and increasing in the order records were appended. */
  readonly id: string;
  readonly attempts: number;
  /** Epoch ms before which it is not tried again (0: at once). */
  readonly notBefore: number;
  readonly firstAttemptAt?: number;
  readonly lastAttemptAt?: number;
  readonly lastError?: string;
}

/** What an attempt that failed retriably changes in a record. */
export interface Rescheduled {
  readonly attempts: number;
  readonly notBefore: number;
  readonly firstAttemptAt: number;
  readonly lastAttemptAt: number;
  readonly lastError: string;
}

export interface OutboxTargetStats {
  readonly depth: number;
  readonly bytes: number;
  /** Epoch ms of the oldest record still waiting; undefined when none is. */
  readonly oldestAcceptedAt: number | undefined;
}

/**
 * What the ingress needs of an outbox: somewhere to append. A Cloudflare
 * Queue is only this (the platform hands its messages to the Worker's
 * `queue()` handler, which dispatches them); the stores the gateway's own
 * dispatcher drains are OutboxStores.
 */
export interface OutboxAppender {
  /**
   * Stores the records, all or none. Resolves only once they are on stable
   * storage (a crash after it resolves loses none of them); rejects when the
   * store is full (OutboxFullError) or cannot write.
   */
  append(records: readonly NewOutboxRecord[]): Promise<void>;
  /**
   * Why the store could never hold the record (it is larger than one record
   * may be), naming the limit; undefined when it fits. The event is then
   * refused at ingress (413): nothing accepted may be undeliverable by size.
   * Absent: every record fits.
   */
  readonly whyTooLarge?: (record: NewOutboxRecord) => string | undefined;
  /**
   * Why the store cannot take records now (its server is unreachable), or
   * undefined when it can: /readyz then answers 503, since the gateway
   * cannot accept what must go through the outbox. Absent: always available.
   */
  unavailable?(): string | undefined;
  close(): Promise<void>;
}

export interface OutboxStore extends OutboxAppender {
  /**
   * Up to `max` records due at `now` that nobody is working on, oldest first,
   * now leased to the caller until it completes or reschedules them. Records
   * of one (target, orderingKey) are handed out one at a time, in order: the
   * next only once the one before it was completed.
   */
  claim(max: number, now: number): Promise<readonly OutboxRecord[]>;
  /** Delivered (or dead-lettered, or dropped as refused): gone for good, durably. */
  complete(ids: readonly string[]): Promise<void>;
  /** Failed retriably: kept, with its attempts, and not due again before `notBefore`. */
  reschedule(id: string, update: Rescheduled): Promise<void>;
  /** Depth, bytes and oldest record per target (what /status shows). */
  stats(): ReadonlyMap<string, OutboxTargetStats>;
}

export const DEFAULT_OUTBOX_MAX_RECORDS = 100_000;
export const DEFAULT_OUTBOX_MAX_BYTES = 1024 * 1024 * 1024;

/** The outbox is at its bound (count or bytes): the producer gets 503 with Retry-After. */
export class OutboxFullError extends Error {
  constructor(
    readonly limit: "maxRecords" | "maxBytes",
    readonly bound: number,
  ) {
    super(`The outbox is full (${limit} ${bound})`);
    this.name = "OutboxFullError";
  }
}
