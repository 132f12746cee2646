/**
 * Dedup records in this instance's memory: a Map keyed by pairKey (no hashing
 * on the hot path: one get per pair). A Map iterates in insertion order and
 * every use re-inserts its key, so the first key is the one used longest ago:
 * past `maxEntries` it is forgotten first, and a flood of distinct ids costs
 * bounded memory. A record is forgotten `windowMs` after it was last written;
 * reading it does not extend that.
 */
import { type Clock, systemClock } from "../../context/request-context.js";
import {
  type DedupConfig,
  type DedupRecord,
  type DedupStore,
  mergeDedupRecords,
  pairKey,
} from "./dedup-store.js";

interface Kept {
  readonly record: DedupRecord;
  /** Epoch milliseconds from which the record is forgotten. */
  readonly expiresAt: number;
}

export interface MemoryDedupStore extends DedupStore {
  /** How many records are held now, expired ones not yet dropped included (at most maxEntries). */
  readonly size: number;
}

export function memoryDedupStore(
  options: Pick<DedupConfig, "windowMs" | "maxEntries"> & { readonly clock?: Clock },
): MemoryDedupStore {
  const { windowMs, maxEntries } = options;
  const clock = options.clock ?? systemClock;
  const kept = new Map<string, Kept>();

  /** The live record under `key`, touched as most recently used; an expired one is dropped. */
  const live = (key: string, now: number): Kept | undefined => {
    const entry = kept.get(key);
    if (entry === undefined) return undefined;
    kept.delete(key);
    if (entry.expiresAt <= now) return undefined;
    kept.set(key, entry);
    return entry;
  };

  /** Drops expired records from the least recently used end: bounded work, paid by writes. */
  const dropExpiredOldest = (now: number) => {
    for (const [key, entry] of kept) {
      if (entry.expiresAt > now) return;
      kept.delete(key);
    }
  };

  return {
    get size() {
      return kept.size;
    },
    lookup(pairs) {
      const now = clock.now();
      return Promise.resolve(pairs.map((pair) => live(pairKey(pair), now)?.record));
    },
    record(entries) {
      const now = clock.now();
      dropExpiredOldest(now);
      for (const { pair, record } of entries) {
        const key = pairKey(pair);
        const merged = mergeDedupRecords(live(key, now)?.record, record);
        kept.delete(key);
        kept.set(key, { record: merged, expiresAt: now + windowMs });
      }
      while (kept.size > maxEntries) kept.delete(kept.keys().next().value as string);
      return Promise.resolve();
    },
    close() {
      kept.clear();
      return Promise.resolve();
    },
  };
}
