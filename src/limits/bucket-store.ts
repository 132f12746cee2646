/**
 * Where buckets live, by key: an interface so the core stays runtime-neutral.
 * Node keeps them in memory (memory-bucket-store.ts); a Worker runs many
 * isolates, so it keeps each in a Durable Object (src/entries/workers).
 * The store owns the clock: a Durable Object reads its own.
 */
import type { RateLimit, TakeVerdict } from "./token-bucket.js";

export interface BucketStore {
  /** Takes one token from the bucket `key` (full when new) sized by `limit`. */
  take(key: string, limit: RateLimit): Promise<TakeVerdict> | TakeVerdict;
  /** Returns the token a request took from `key` when a later limit refused it. */
  giveBack(key: string, limit: RateLimit): Promise<void> | void;
}
