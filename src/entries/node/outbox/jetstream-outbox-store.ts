/**
 * The outbox shared by several gateway instances: a JetStream stream (work
 * queue retention, file storage) whose consumers hand records out.
 *
 * Order. A keyed record goes to one of `shards` subjects, by a hash of its
 * (target, orderingKey); each shard has a durable pull consumer with
 * `max_ack_pending: 1`, so across all instances at most one record of a
 * shard is leased at a time, and the next is delivered only once it was
 * acked: per-key order holds globally. The price: keys sharing a shard wait
 * for each other (a failing key holds up its shard during its backoff), so
 * a shard count well above the keys in flight keeps that rare. Records
 * without a key go to one consumer that leases many at once.
 *
 * Lifecycle. claim = a pull that does not wait (./jetstream-pull.ts), id =
 * the stream sequence; complete = an ack the server confirms (then the work
 * queue drops the record); reschedule = a nak with the delay until
 * `notBefore`, so a claimed record is due by construction. A lease is kept
 * alive (+WPI) while held, so a long attempt is not redelivered elsewhere; a
 * lease held by an instance that died, or was closed without settling it,
 * goes to another instance once `ackWaitMs` has passed.
 *
 * Limits, by design of JetStream rather than of this file:
 * - append is not all-or-none across records: each is its own publish. It
 *   resolves once every PubAck came (stored, on disk); if one fails, the
 *   others may be stored and the append rejects: the producer retries and
 *   the repeats are delivered too (at-least-once; targets dedup on source +
 *   id). Each record has a fresh Nats-Msg-Id, which dedups the client's own
 *   resends of a publish, not the producer's.
 * - Bounds are the stream's `max_msgs` / `max_bytes` with discard new: a
 *   publish beyond them is refused (OutboxFullError). `maxBytes` counts what
 *   the stream stores (subject, headers, event and original), not event bytes.
 * - attempts, firstAttemptAt and lastError live in this instance's memory
 *   (a message cannot be changed in place, and republishing would lose its
 *   place in its key's order). Another instance taking a record over counts
 *   attempts from JetStream's delivery count instead, and knows no lastError.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import {
  type NewOutboxRecord,
  OutboxFullError,
  type OutboxRecord,
  type OutboxStore,
  type OutboxTargetStats,
  type Rescheduled,
} from "../../../deliver/outbox/outbox-store.js";
import { decodeRecord, encodeRecord, recordMessageBytes, subjectOf } from "./jetstream-outbox-codec.js";
import { JetStreamOutboxStats } from "./jetstream-outbox-stats.js";
import {
  type OutboxStreamLayout,
  provisionOutboxStream,
  shardConsumer,
  UNORDERED_CONSUMER,
} from "./jetstream-outbox-stream.js";
import { ackDurably, keepAlive, type Leased, nak, pullNow } from "./jetstream-pull.js";

export interface JetStreamOutboxOptions {
  readonly servers: string | readonly string[];
  readonly stream: string;
  /** Subjects are `<subjectPrefix>.<shard|u>.<target hex>`; default `outbox.<stream>`. */
  readonly subjectPrefix?: string;
  /** Fixed for the stream's life: every instance must use the same (default 16). */
  readonly shards?: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** How long a lease lasts without a keep-alive, i.e. how soon a dead instance's records move on (default 60 s). */
  readonly ackWaitMs?: number;
  /** Leases at most at once of records without a key, across instances (default 10,000). */
  readonly unorderedMaxAckPending?: number;
  /**
   * How long a pull waits on a consumer that is at its max_ack_pending (a shard whose record another
   * instance holds, or that waits for its retry); one that has nothing answers at once (default 50 ms).
   */
  readonly pullExpiresMs?: number;
  /** How often stats are read from the stream (default 1 s). */
  readonly statsIntervalMs?: number;
}

/** Zero-padded, so ids sort as strings in stream order. */
const formatId = (seq: number) => String(seq).padStart(16, "0");

/** A leased message and its shard (undefined: the consumer of records without a key). */
interface HeldMessage extends Leased {
  readonly shard?: number;
}

/** What this instance remembers of a record it rescheduled, to hand it out again with its attempts. */
interface Remembered extends Rescheduled {
  /** The delivery count when it was rescheduled: later deliveries went to other instances. */
  readonly deliveryCount: number;
}

export async function openJetStreamOutboxStore(options: JetStreamOutboxOptions): Promise<OutboxStore> {
  const layout: OutboxStreamLayout = {
    stream: options.stream,
    subjectPrefix: options.subjectPrefix ?? `outbox.${options.stream}`,
    shards: options.shards ?? 16,
    maxRecords: options.maxRecords,
    maxBytes: options.maxBytes,
    ackWaitMs: options.ackWaitMs ?? 60_000,
    unorderedMaxAckPending: options.unorderedMaxAckPending ?? 10_000,
  };
  const servers = typeof options.servers === "string" ? [options.servers] : [...options.servers];
  const nc = await connect({ servers, name: "ce-gateway outbox", maxReconnectAttempts: -1 });
  try {
    const jsm = await jetstreamManager(nc);
    await provisionOutboxStream(jsm, layout);
    const stats = new JetStreamOutboxStats(jsm, layout.stream, layout.subjectPrefix);
    await stats.refresh();
    const timing = { statsMs: options.statsIntervalMs ?? 1_000, pullMs: options.pullExpiresMs ?? 50 };
    return new JetStreamOutboxStore(nc, layout, stats, timing);
  } catch (error) {
    await nc.close();
    throw error;
  }
}

class JetStreamOutboxStore implements OutboxStore {
  readonly #nc: NatsConnection;
  readonly #layout: OutboxStreamLayout;
  readonly #stats: JetStreamOutboxStats;
  readonly #js;
  /** Leases this instance holds, by record id. */
  readonly #held = new Map<string, HeldMessage>();
  /** By stream sequence; forgotten once completed here or gone from the stream. */
  readonly #remembered = new Map<number, Remembered>();
  readonly #timers: NodeJS.Timeout[];
  readonly #pullMs: number;
  /** Where the next claim starts among the shards, so a small `max` does not always favour shard 0. */
  #nextShard = 0;
  #closed = false;
  /** Set while the connection to the server is lost (it reconnects by itself). */
  #disconnected = false;

  constructor(
    nc: NatsConnection,
    layout: OutboxStreamLayout,
    stats: JetStreamOutboxStats,
    timing: { statsMs: number; pullMs: number },
  ) {
    this.#nc = nc;
    this.#pullMs = timing.pullMs;
    this.#layout = layout;
    this.#stats = stats;
    this.#js = jetstream(nc);
    this.#timers = [
      setInterval(() => this.#keepLeasesAlive(), Math.max(100, Math.floor(layout.ackWaitMs / 3))),
      setInterval(() => void this.#refreshStats(), timing.statsMs),
    ];
    for (const timer of this.#timers) timer.unref();
    void this.#watchConnection();
  }

  async #watchConnection(): Promise<void> {
    for await (const status of this.#nc.status()) {
      if (status.type === "disconnect" || status.type === "staleConnection") this.#disconnected = true;
      else if (status.type === "reconnect") this.#disconnected = false;
    }
  }

  unavailable(): string | undefined {
    if (this.#closed) return "the JetStream outbox is closed";
    return this.#disconnected ? "the JetStream outbox's NATS server is unreachable" : undefined;
  }

  /** A record larger than the server carries (max_payload) could never be stored: refused at ingress. */
  readonly whyTooLarge = (record: NewOutboxRecord): string | undefined => {
    const max = this.#nc.info?.max_payload;
    if (max === undefined) return undefined;
    const needed = recordMessageBytes(record);
    if (needed <= max) return undefined;
    return `As a JetStream outbox message the event needs ${needed} bytes; the NATS server carries at most ${max} (max_payload)`;
  };

  async append(records: readonly NewOutboxRecord[]): Promise<void> {
    this.#assertOpen();
    if (records.length === 0) return;
    const { subjectPrefix, shards } = this.#layout;
    // Each publish goes out before the next is made (the client sends at once, and tries once), on one
    // connection: the stream's sequence follows the append's order, which is what keeps a key in order.
    const acks = records.map((record) => {
      const { headers, payload } = encodeRecord(record);
      return this.#js.publish(subjectOf(subjectPrefix, record, shards), payload, {
        headers,
        msgID: crypto.randomUUID(),
      });
    });
    const results = await Promise.allSettled(acks);
    void this.#refreshStats();
    const failed = results.find((result) => result.status === "rejected");
    if (failed !== undefined) throw this.#fullOr(failed.reason);
  }

  /** `_now` is not needed: a rescheduled record is not redelivered before its delay, so what comes is due. */
  async claim(max: number, _now: number): Promise<readonly OutboxRecord[]> {
    this.#assertOpen();
    if (max <= 0) return [];
    const { stream, shards } = this.#layout;
    const busy = new Set([...this.#held.values()].map((message) => message.shard));
    // A shard whose record this instance holds has nothing to give: not asked (its pull would wait to expire).
    const order = Array.from({ length: shards }, (_, i) => (this.#nextShard + i) % shards).filter(
      (shard) => !busy.has(shard),
    );
    this.#nextShard = (this.#nextShard + 1) % shards;
    const keyed: HeldMessage[] = [];
    // As many shards at once as there is room: each gives one record at most, so none is leased beyond `max`.
    while (order.length > 0 && keyed.length < max) {
      const next = order.splice(0, max - keyed.length);
      const pulled = await Promise.all(
        next.map(async (shard) =>
          (await pullNow(this.#nc, stream, shardConsumer(shard), 1, this.#pullMs)).map((m) => ({
            ...m,
            shard,
          })),
        ),
      );
      keyed.push(...pulled.flat());
    }
    const room = max - keyed.length;
    const unordered = room > 0 ? await pullNow(this.#nc, stream, UNORDERED_CONSUMER, room, this.#pullMs) : [];
    const leased = [...keyed, ...unordered].sort((a, b) => a.streamSeq - b.streamSeq);
    const claimed: OutboxRecord[] = [];
    for (const message of leased) {
      const record = await this.#recordOf(message);
      if (record !== undefined) claimed.push(record);
    }
    return claimed;
  }

  async complete(ids: readonly string[]): Promise<void> {
    this.#assertOpen();
    const held = [...new Set(ids)].flatMap((id) => {
      const message = this.#held.get(id);
      return message === undefined ? [] : [{ id, message }];
    });
    if (held.length === 0) return;
    await Promise.all(held.map(({ message }) => ackDurably(this.#nc, message)));
    for (const { id, message } of held) {
      this.#held.delete(id);
      this.#remembered.delete(message.streamSeq);
    }
    void this.#refreshStats();
  }

  async reschedule(id: string, update: Rescheduled): Promise<void> {
    this.#assertOpen();
    const message = this.#held.get(id);
    if (message === undefined) throw new Error(`No outbox record ${id} is leased here`);
    this.#remembered.set(message.streamSeq, { ...update, deliveryCount: message.deliveryCount });
    this.#held.delete(id);
    // The delay is counted from this process's clock (the dispatcher's is the system clock in production).
    nak(this.#nc, message, update.notBefore - Date.now());
    // Lost, the nak would only delay the record until its ack wait ran out; flushed, it is not lost.
    await this.#nc.flush();
  }

  stats(): ReadonlyMap<string, OutboxTargetStats> {
    return this.#stats.current;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    // Leases still held are not given back: like a crash, they move on once their ack wait runs out.
    this.#held.clear();
    await this.#stats.refresh();
    await this.#nc.drain();
  }

  async #recordOf(message: HeldMessage): Promise<OutboxRecord | undefined> {
    let stored: NewOutboxRecord;
    try {
      stored = decodeRecord(message.headers, message.data);
    } catch {
      // Not an outbox record (something else published on the outbox's subjects): nothing can deliver it.
      await ackDurably(this.#nc, message);
      return undefined;
    }
    const id = formatId(message.streamSeq);
    this.#held.set(id, message);
    const remembered = this.#remembered.get(message.streamSeq);
    if (remembered === undefined) {
      // New to this instance: every earlier delivery (to an instance that failed or died) counts as an attempt.
      return { ...stored, id, attempts: message.deliveryCount - 1, notBefore: 0 };
    }
    const { deliveryCount, ...update } = remembered;
    // Deliveries since this instance rescheduled it went elsewhere, each an attempt it cannot see.
    const elsewhere = Math.max(0, message.deliveryCount - deliveryCount - 1);
    return { ...stored, ...update, id, attempts: update.attempts + elsewhere };
  }

  #keepLeasesAlive(): void {
    for (const message of this.#held.values()) keepAlive(this.#nc, message);
  }

  async #refreshStats(): Promise<void> {
    if (this.#closed) return;
    await this.#stats.refresh();
    // What is below the stream's first sequence was completed (by any instance): nothing to remember.
    for (const seq of this.#remembered.keys()) if (seq < this.#stats.firstSeq) this.#remembered.delete(seq);
  }

  #fullOr(error: unknown): unknown {
    const message = error instanceof Error ? error.message : String(error);
    if (/maximum messages exceeded/i.test(message)) {
      return new OutboxFullError("maxRecords", this.#layout.maxRecords);
    }
    if (/maximum bytes exceeded/i.test(message))
      return new OutboxFullError("maxBytes", this.#layout.maxBytes);
    return error;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("The outbox store is closed");
  }
}
