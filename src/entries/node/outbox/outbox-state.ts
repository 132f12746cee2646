/**
 * What the log says, applied in memory: the records still waiting, and the
 * segments that still matter to them. Recovery replays every entry through
 * `apply`, and a running store applies each of its own entries once its
 * fsync resolved, so both build the same state the same way.
 */
import type { LogEntry } from "./log-frames.js";
import { PendingRecords } from "./pending-records.js";
import { SegmentLedger } from "./segment-ledger.js";

export class OutboxState {
  readonly records = new PendingRecords();
  readonly ledger = new SegmentLedger();
  /** Where each waiting record's put and latest retry state are. */
  readonly #where = new Map<string, { put: number; retry: number | undefined }>();
  #nextId = 1;

  /** Higher than every id the log has seen. */
  get nextId(): number {
    return this.#nextId;
  }

  apply(entry: LogEntry, segment: number): void {
    switch (entry.kind) {
      case "segment":
        this.#nextId = Math.max(this.#nextId, entry.nextId);
        return;
      case "put": {
        const { id } = entry.record;
        this.#nextId = Math.max(this.#nextId, Number(id) + 1);
        if (this.records.has(id)) return;
        this.records.add(entry.record);
        this.ledger.ref(segment);
        this.#where.set(id, { put: segment, retry: undefined });
        return;
      }
      case "retry": {
        // A retry or done for a record not here is for one whose put went with an older segment.
        const where = this.#where.get(entry.id);
        if (where === undefined) return;
        this.records.reschedule(entry.id, entry.update);
        if (where.retry !== undefined) this.ledger.unref(where.retry);
        this.ledger.ref(segment);
        where.retry = segment;
        return;
      }
      case "done": {
        const where = this.#where.get(entry.id);
        if (where === undefined) return;
        this.records.remove(entry.id);
        this.#where.delete(entry.id);
        this.ledger.unref(where.put);
        if (where.retry !== undefined) this.ledger.unref(where.retry);
        this.ledger.cancels(segment, where.put);
        return;
      }
    }
  }
}
