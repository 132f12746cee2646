/**
 * The one-node outbox: an append-only log of segment files on local disk.
 *
 * Why a log and not node:sqlite: the store's promise is that a resolved
 * `append` survives a crash, and that promise is proven by a test that runs
 * it on a file system which drops every byte not yet synced. SQLite does its
 * I/O in C, out of reach of JavaScript, so its durability could not be tested
 * that way; every byte this store writes goes through the injected `OutboxFs`.
 *
 * Entries (put, done, retry) are framed with a CRC-32 and written by group
 * commit: one write and one fsync for all callers of a turn. Memory holds the
 * records still waiting and nothing else; segments go once nothing in them
 * matters any more.
 */
import {
  type NewOutboxRecord,
  OutboxFullError,
  type OutboxRecord,
  type OutboxStore,
  type OutboxTargetStats,
  type Rescheduled,
} from "../../../deliver/outbox/outbox-store.js";
import { GroupCommit } from "./group-commit.js";
import { encodeFrame, type LogEntry } from "./log-frames.js";
import type { OutboxFs } from "./outbox-fs.js";
import { OutboxState } from "./outbox-state.js";
import { recoverLog } from "./recover-log.js";
import { SegmentWriter } from "./segment-writer.js";

export interface LogOutboxOptions {
  readonly fs: OutboxFs;
  /** Records waiting at most; an append beyond it is refused whole. */
  readonly maxRecords: number;
  /** Event bytes waiting at most; an append beyond it is refused whole. */
  readonly maxBytes: number;
  /** A segment is closed, and a new one begun, once it has grown past this (default 16 MiB). */
  readonly segmentBytes?: number;
}

export const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

/** Ids are zero-padded so that they sort as strings in the order they were given. */
const formatId = (seq: number) => String(seq).padStart(16, "0");

export async function openLogOutboxStore(options: LogOutboxOptions): Promise<OutboxStore> {
  const state = new OutboxState();
  const tail = await recoverLog(options.fs, state);
  const store = new LogOutboxStore(options, state, tail);
  await store.deleteDeadSegments();
  return store;
}

class LogOutboxStore implements OutboxStore {
  readonly #options: LogOutboxOptions;
  readonly #state: OutboxState;
  readonly #writer: SegmentWriter;
  readonly #commits: GroupCommit;
  #nextId: number;
  /** Records and bytes of appends not yet durable: they count against the bounds already. */
  #reservedRecords = 0;
  #reservedBytes = 0;
  #closed = false;

  constructor(options: LogOutboxOptions, state: OutboxState, tail: { segment: number; size: number }) {
    this.#options = options;
    this.#state = state;
    this.#nextId = state.nextId;
    this.#writer = new SegmentWriter(
      options.fs,
      tail,
      options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
      () => this.#nextId,
    );
    this.#commits = new GroupCommit(
      (frames) => this.#writer.write(frames, (segment) => state.ledger.add(segment)),
      () => this.deleteDeadSegments(),
    );
  }

  async append(records: readonly NewOutboxRecord[]): Promise<void> {
    this.#assertOpen();
    if (records.length === 0) return;
    const bytes = records.reduce((sum, record) => sum + record.event.length, 0);
    const { maxRecords, maxBytes } = this.#options;
    if (this.#state.records.size + this.#reservedRecords + records.length > maxRecords) {
      throw new OutboxFullError("maxRecords", maxRecords);
    }
    if (this.#state.records.bytes + this.#reservedBytes + bytes > maxBytes) {
      throw new OutboxFullError("maxBytes", maxBytes);
    }
    const entries: LogEntry[] = records.map((record) => ({
      kind: "put",
      // A copy: the caller's bytes may be a view into a much larger request body.
      record: {
        ...record,
        event: record.event.slice(),
        id: formatId(this.#nextId++),
        attempts: 0,
        notBefore: 0,
      },
    }));
    let reserved = true;
    const release = () => {
      if (!reserved) return;
      reserved = false;
      this.#reservedRecords -= records.length;
      this.#reservedBytes -= bytes;
    };
    this.#reservedRecords += records.length;
    this.#reservedBytes += bytes;
    try {
      await this.#commit(entries, release);
    } finally {
      release();
    }
  }

  async claim(max: number, now: number): Promise<readonly OutboxRecord[]> {
    this.#assertOpen();
    return this.#state.records.claim(max, now);
  }

  async complete(ids: readonly string[]): Promise<void> {
    this.#assertOpen();
    const known = [...new Set(ids)].filter((id) => this.#state.records.has(id));
    if (known.length === 0) return;
    await this.#commit(known.map((id) => ({ kind: "done", id })));
  }

  async reschedule(id: string, update: Rescheduled): Promise<void> {
    this.#assertOpen();
    if (!this.#state.records.has(id)) throw new Error(`No outbox record ${id} is waiting`);
    await this.#commit([{ kind: "retry", id, update }]);
  }

  stats(): ReadonlyMap<string, OutboxTargetStats> {
    return this.#state.records.stats();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#commits.idle();
    await this.#options.fs.close();
  }

  /** Writes the entries as one frame; they apply to memory once durable, before the caller hears so. */
  #commit(entries: readonly LogEntry[], beforeApply = () => {}): Promise<void> {
    return this.#commits.submit({
      frame: encodeFrame(entries),
      onDurable: (segment) => {
        beforeApply();
        for (const entry of entries) this.#state.apply(entry, segment);
      },
    });
  }

  /** Runs between writes, and once at open for what recovery found dead. */
  async deleteDeadSegments(): Promise<void> {
    // One at a time, oldest first: see SegmentLedger for why the order matters.
    for (const segment of this.#state.ledger.takeDead(this.#writer.active))
      await this.#writer.delete(segment);
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("The outbox store is closed");
  }
}
