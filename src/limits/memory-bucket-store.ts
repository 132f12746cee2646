/**
 * Buckets in a Map with a cap: past `maxKeys` the bucket used longest ago is
 * dropped (a Map iterates in insertion order, and every use re-inserts its
 * key), so a flood of credentials or origins costs bounded memory. A dropped
 * bucket comes back full, which only ever errs towards admitting.
 */
import type { Clock } from "../context/request-context.js";
import type { BucketStore } from "./bucket-store.js";
import {
  type BucketState,
  fullBucket,
  giveBack,
  type RateLimit,
  type TakeVerdict,
  take,
} from "./token-bucket.js";

export const DEFAULT_MAX_BUCKETS = 10_000;

export interface MemoryBucketStore extends BucketStore {
  /** How many buckets are held now (at most the cap). */
  readonly size: number;
}

export function memoryBucketStore(clock: Clock, maxKeys = DEFAULT_MAX_BUCKETS): MemoryBucketStore {
  const buckets = new Map<string, BucketState>();
  const put = (key: string, state: BucketState) => {
    buckets.delete(key);
    buckets.set(key, state);
    while (buckets.size > maxKeys) {
      const oldest = buckets.keys().next().value as string;
      buckets.delete(oldest);
    }
  };
  return {
    get size() {
      return buckets.size;
    },
    take(key: string, limit: RateLimit): TakeVerdict {
      const now = clock.now();
      const result = take(buckets.get(key) ?? fullBucket(limit, now), limit, now);
      put(key, result.state);
      return result.verdict;
    },
    giveBack(key: string, limit: RateLimit): void {
      const state = buckets.get(key);
      if (state !== undefined) buckets.set(key, giveBack(state, limit));
    },
  };
}
