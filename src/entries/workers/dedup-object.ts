/**
 * The Durable Object that holds the dedup records of one shard of pairs (the
 * pair's hashed key picks the shard: dedup-via-durable-object.ts). A Worker
 * runs in many isolates, so records kept in an isolate's memory would miss
 * every repeat that lands on another; an object is one instance the world
 * over, and runs one call at a time, so its read-merge-write is atomic.
 *
 * One object per shard, not per pair: a batch of events costs one call per
 * shard it touches, not one per event (a Worker's request may make only so
 * many subrequests, 50 on the free plan, and a batch may hold a thousand
 * events). The price is a ceiling: an object runs one call at a time (on the
 * order of a thousand a second), so the shards are as many as the traffic
 * needs (DEFAULT_DEDUP_SHARDS, or `shards`).
 *
 * Records live in the object's SQLite storage (it outlives the object's
 * eviction, which memory would not), each with the time it is forgotten at;
 * a lookup never answers an expired one, and an alarm deletes them, at most
 * every SWEEP_SPACING_MS, so a steady stream of writes does not wake the
 * object for each.
 */
import { DurableObject, type DurableObjectState, type SqlStorage } from "cloudflare:workers";
import { type DedupRecord, mergeDedupRecords } from "../../deliver/dedup/dedup-store.js";

/** The least time between two sweeps of expired records (their space only: lookups skip them already). */
const SWEEP_SPACING_MS = 60_000;

/** A record as it crosses the hop: keyed by hashedPairKey. */
export interface KeyedDedupRecord {
  readonly key: string;
  readonly record: DedupRecord;
}

type Row = { acked: string; complete: number };

export class DedupObject extends DurableObject {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(
      "CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, acked TEXT NOT NULL, complete INTEGER NOT NULL, expires_at INTEGER NOT NULL)",
    );
    this.#sql.exec("CREATE INDEX IF NOT EXISTS records_by_expiry ON records (expires_at)");
  }

  #live(key: string, now: number): DedupRecord | undefined {
    const [row] = this.#sql
      .exec<Row>("SELECT acked, complete FROM records WHERE key = ? AND expires_at > ?", key, now)
      .toArray();
    return row === undefined
      ? undefined
      : { acked: JSON.parse(row.acked) as string[], complete: row.complete === 1 };
  }

  /** The records of these keys, in order; null where none is kept (RPC carries null plainly). */
  async lookup(keys: readonly string[]): Promise<(DedupRecord | null)[]> {
    const now = Date.now();
    return keys.map((key) => this.#live(key, now) ?? null);
  }

  /** Merges each record into the one kept, kept `windowMs` from now (the config may have changed since the last call). */
  async record(entries: readonly KeyedDedupRecord[], windowMs: number): Promise<void> {
    const now = Date.now();
    const expiresAt = now + windowMs;
    for (const { key, record } of entries) {
      const merged = mergeDedupRecords(this.#live(key, now), record);
      this.#sql.exec(
        "INSERT INTO records (key, acked, complete, expires_at) VALUES (?, ?, ?, ?) " +
          "ON CONFLICT (key) DO UPDATE SET acked = excluded.acked, complete = excluded.complete, expires_at = excluded.expires_at",
        key,
        JSON.stringify(merged.acked),
        merged.complete ? 1 : 0,
        expiresAt,
      );
    }
    const scheduled = await this.ctx.storage.getAlarm();
    if (scheduled === null) await this.ctx.storage.setAlarm(expiresAt);
  }

  /** Deletes the expired records, and comes back for the next ones. */
  async alarm(): Promise<void> {
    const now = Date.now();
    this.#sql.exec("DELETE FROM records WHERE expires_at <= ?", now);
    const { next } = this.#sql
      .exec<{ next: number | null }>("SELECT MIN(expires_at) AS next FROM records")
      .one();
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, now + SWEEP_SPACING_MS));
  }
}
