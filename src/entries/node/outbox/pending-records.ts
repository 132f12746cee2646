/**
 * The records still waiting, in memory: what `claim` hands out and `stats`
 * counts. Records of one (target, orderingKey) queue behind each other; only
 * a queue's head (or a record without a key) is a candidate. Candidates wait
 * in a heap by when they are due, then in a heap by age, so a claim costs
 * O(log n) per record handed out rather than a scan. A heap slot carries the
 * generation it was pushed with: a record rescheduled or claimed since is
 * skipped when its old slot comes up.
 */
import type { OutboxRecord, OutboxTargetStats, Rescheduled } from "../../../deliver/outbox/outbox-store.js";
import { MinHeap } from "./min-heap.js";

interface Pending {
  record: OutboxRecord;
  readonly seq: number;
  readonly queue: string | undefined;
  leased: boolean;
  generation: number;
}

interface Slot {
  readonly pending: Pending;
  readonly generation: number;
  readonly notBefore: number;
}

interface TargetRecords {
  readonly records: Set<Pending>;
  bytes: number;
}

const queueOf = (record: OutboxRecord) =>
  record.orderingKey === undefined ? undefined : `${record.target}\u0000${record.orderingKey}`;

export class PendingRecords {
  readonly #byId = new Map<string, Pending>();
  readonly #queues = new Map<string, Set<Pending>>();
  readonly #targets = new Map<string, TargetRecords>();
  readonly #waiting = new MinHeap<Slot>(
    (a, b) => a.notBefore < b.notBefore || (a.notBefore === b.notBefore && a.pending.seq < b.pending.seq),
  );
  readonly #ready = new MinHeap<Slot>((a, b) => a.pending.seq < b.pending.seq);
  #bytes = 0;

  get size(): number {
    return this.#byId.size;
  }

  /** Event bytes of every record still waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Records must be added in the order they were appended (ids increasing). */
  add(record: OutboxRecord): void {
    const pending: Pending = {
      record,
      seq: Number(record.id),
      queue: queueOf(record),
      leased: false,
      generation: 0,
    };
    this.#byId.set(record.id, pending);
    if (pending.queue !== undefined) {
      const queue = this.#queues.get(pending.queue) ?? new Set();
      this.#queues.set(pending.queue, queue);
      queue.add(pending);
    }
    const target = this.#targets.get(record.target) ?? { records: new Set(), bytes: 0 };
    this.#targets.set(record.target, target);
    target.records.add(pending);
    target.bytes += record.event.length;
    this.#bytes += record.event.length;
    this.#offer(pending);
  }

  /** Gone for good; the next record of its queue becomes a candidate. */
  remove(id: string): boolean {
    const pending = this.#byId.get(id);
    if (pending === undefined) return false;
    this.#byId.delete(id);
    pending.generation++;
    const { record } = pending;
    const target = this.#targets.get(record.target)!;
    target.records.delete(pending);
    target.bytes -= record.event.length;
    this.#bytes -= record.event.length;
    if (target.records.size === 0) this.#targets.delete(record.target);
    if (pending.queue !== undefined) {
      const queue = this.#queues.get(pending.queue)!;
      const wasHead = queue.values().next().value === pending;
      queue.delete(pending);
      const next = queue.values().next().value;
      if (next === undefined) this.#queues.delete(pending.queue);
      else if (wasHead) this.#offer(next);
    }
    return true;
  }

  /** Takes the new attempt state and gives up the lease. */
  reschedule(id: string, update: Rescheduled): boolean {
    const pending = this.#byId.get(id);
    if (pending === undefined) return false;
    pending.record = { ...pending.record, ...update };
    pending.leased = false;
    this.#offer(pending);
    return true;
  }

  claim(max: number, now: number): OutboxRecord[] {
    for (let slot = this.#waiting.peek(); slot !== undefined && slot.notBefore <= now; ) {
      this.#waiting.pop();
      if (this.#current(slot)) this.#ready.push(slot);
      slot = this.#waiting.peek();
    }
    const claimed: OutboxRecord[] = [];
    while (claimed.length < max && this.#ready.size > 0) {
      const slot = this.#ready.pop()!;
      if (!this.#current(slot)) continue;
      slot.pending.leased = true;
      slot.pending.generation++;
      claimed.push(slot.pending.record);
    }
    return claimed;
  }

  stats(): Map<string, OutboxTargetStats> {
    const stats = new Map<string, OutboxTargetStats>();
    for (const [name, target] of this.#targets) {
      const oldest = target.records.values().next().value;
      stats.set(name, {
        depth: target.records.size,
        bytes: target.bytes,
        oldestAcceptedAt: oldest?.record.acceptedAt,
      });
    }
    return stats;
  }

  /** Makes the record a candidate when it may go next: no key, or the head of its queue. */
  #offer(pending: Pending): void {
    if (pending.leased) return;
    if (pending.queue !== undefined && this.#queues.get(pending.queue)?.values().next().value !== pending)
      return;
    pending.generation++;
    this.#waiting.push({ pending, generation: pending.generation, notBefore: pending.record.notBefore });
  }

  #current(slot: Slot): boolean {
    return (
      slot.generation === slot.pending.generation &&
      !slot.pending.leased &&
      this.#byId.has(slot.pending.record.id)
    );
  }
}
