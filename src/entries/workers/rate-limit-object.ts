/**
 * The Durable Object that holds one rate-limit bucket (one object per bucket
 * key, named by it). A Worker runs in many isolates at once, so buckets kept
 * in an isolate's memory would each allow the whole rate; a Durable Object is
 * one instance the world over, and handles its calls one at a time, so the
 * bucket it holds is exact. Chosen over Cloudflare's Rate Limiting binding,
 * which counts only over periods of 10 or 60 seconds, has no burst and tells
 * no time to retry after, so it could enforce neither `burst` nor a
 * `Retry-After` computed from the refill.
 *
 * The bucket stays in the object's memory, not its storage: an object left
 * idle long enough to be evicted would have refilled anyway, and a write per
 * request would cost more than the request.
 */
import { DurableObject } from "cloudflare:workers";
import {
  type BucketState,
  fullBucket,
  giveBack,
  type RateLimit,
  type TakeVerdict,
  take,
} from "../../limits/token-bucket.js";

export class RateLimitObject extends DurableObject {
  #bucket: BucketState | undefined;

  /** Takes a token from this object's bucket, sized by `limit` (the config may have changed since the last call). */
  async take(limit: RateLimit): Promise<TakeVerdict> {
    const now = Date.now();
    const result = take(this.#bucket ?? fullBucket(limit, now), limit, now);
    this.#bucket = result.state;
    return result.verdict;
  }

  async giveBack(limit: RateLimit): Promise<void> {
    if (this.#bucket !== undefined) this.#bucket = giveBack(this.#bucket, limit);
  }
}
