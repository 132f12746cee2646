/**
 * An outbox in memory: NOT durable (a restart loses every record), for tests
 * and for development without a durable store. It keeps the interface's
 * promises otherwise: claims oldest first, due records only, one record at a
 * time per (target, orderingKey) in append order, and whole appends refused
 * past its bounds. A claim scans every waiting record: fine for what it is
 * for, not for a production backlog.
 */
import {
  type NewOutboxRecord,
  OutboxFullError,
  type OutboxRecord,
  type OutboxStore,
  type OutboxTargetStats,
  type Rescheduled,
} from "./outbox-store.js";

export interface MemoryOutboxOptions {
  /** Records waiting at most; an append beyond it is refused whole. Default: no bound. */
  readonly maxRecords?: number;
  /** Event bytes waiting at most; an append beyond it is refused whole. Default: no bound. */
  readonly maxBytes?: number;
}

/** Zero-padded, so ids sort as strings in the order they were given. */
const formatId = (seq: number) => String(seq).padStart(16, "0");

/** A record's queue: its (target, orderingKey); undefined without a key (no order to keep). */
const queueOf = (record: OutboxRecord) =>
  record.orderingKey === undefined ? undefined : `${record.target}\u0000${record.orderingKey}`;

export class MemoryOutboxStore implements OutboxStore {
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  /** Waiting records by id; a Map keeps insertion order, which is append order. */
  readonly #records = new Map<string, OutboxRecord>();
  readonly #leased = new Set<string>();
  #nextSeq = 1;
  #bytes = 0;
  #closed = false;

  constructor(options: MemoryOutboxOptions = {}) {
    this.#maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  async append(records: readonly NewOutboxRecord[]): Promise<void> {
    this.#assertOpen();
    const bytes = records.reduce((sum, record) => sum + record.event.length, 0);
    if (this.#records.size + records.length > this.#maxRecords)
      throw new OutboxFullError("maxRecords", this.#maxRecords);
    if (this.#bytes + bytes > this.#maxBytes) throw new OutboxFullError("maxBytes", this.#maxBytes);
    for (const record of records) {
      const id = formatId(this.#nextSeq++);
      // A copy: the caller's bytes may be a view into a much larger request body.
      this.#records.set(id, { ...record, event: record.event.slice(), id, attempts: 0, notBefore: 0 });
    }
    this.#bytes += bytes;
  }

  async claim(max: number, now: number): Promise<readonly OutboxRecord[]> {
    this.#assertOpen();
    const claimed: OutboxRecord[] = [];
    // Queues whose head has been seen: whatever follows it waits, due or not.
    const headSeen = new Set<string>();
    for (const [id, record] of this.#records) {
      if (claimed.length >= max) break;
      const queue = queueOf(record);
      if (queue !== undefined) {
        if (headSeen.has(queue)) continue;
        headSeen.add(queue);
      }
      if (this.#leased.has(id) || record.notBefore > now) continue;
      this.#leased.add(id);
      claimed.push(record);
    }
    return claimed;
  }

  async complete(ids: readonly string[]): Promise<void> {
    this.#assertOpen();
    for (const id of ids) {
      const record = this.#records.get(id);
      if (record === undefined) continue;
      this.#records.delete(id);
      this.#leased.delete(id);
      this.#bytes -= record.event.length;
    }
  }

  async reschedule(id: string, update: Rescheduled): Promise<void> {
    this.#assertOpen();
    const record = this.#records.get(id);
    if (record === undefined) throw new Error(`No outbox record ${id} is waiting`);
    this.#records.set(id, { ...record, ...update });
    this.#leased.delete(id);
  }

  stats(): ReadonlyMap<string, OutboxTargetStats> {
    const stats = new Map<string, { depth: number; bytes: number; oldestAcceptedAt: number | undefined }>();
    for (const record of this.#records.values()) {
      const target = stats.get(record.target);
      if (target === undefined) {
        // The first seen is the oldest appended: records are kept in append order.
        stats.set(record.target, {
          depth: 1,
          bytes: record.event.length,
          oldestAcceptedAt: record.acceptedAt,
        });
      } else {
        target.depth += 1;
        target.bytes += record.event.length;
      }
    }
    return stats;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("The outbox store is closed");
  }
}
