/**
 * The token bucket, as pure arithmetic: a bucket holds at most `burst` tokens,
 * refills continuously at `rate` tokens a second, and each request takes one.
 * Kept as plain data so any store (a Map on Node, a Durable Object on
 * Workers) can hold it. Written here rather than taken from a library: the
 * rate-limit packages on npm either keep their own timers and storage or
 * need Node, and the arithmetic is a few lines.
 */

export interface RateLimit {
  /** Tokens per second, refilled continuously. */
  readonly rate: number;
  /** The bucket's size: how many requests may come at once. */
  readonly burst: number;
}

export interface BucketState {
  readonly tokens: number;
  /** Epoch milliseconds of the last refill. */
  readonly updatedAtMs: number;
}

export type TakeVerdict =
  | { readonly allowed: true }
  /** `retryAfterMs`: how long until the bucket holds a whole token again. */
  | { readonly allowed: false; readonly retryAfterMs: number };

/** A full bucket: a key never seen before may spend its whole burst. */
export const fullBucket = (limit: RateLimit, nowMs: number): BucketState => ({
  tokens: limit.burst,
  updatedAtMs: nowMs,
});

/** The bucket refilled up to now (a clock that steps back refills nothing). */
export function refill(state: BucketState, limit: RateLimit, nowMs: number): BucketState {
  const elapsedMs = Math.max(0, nowMs - state.updatedAtMs);
  const tokens = Math.min(limit.burst, state.tokens + (elapsedMs * limit.rate) / 1000);
  return { tokens, updatedAtMs: Math.max(nowMs, state.updatedAtMs) };
}

/** Takes one token if there is one; otherwise says when there will be. */
export function take(
  state: BucketState,
  limit: RateLimit,
  nowMs: number,
): { readonly state: BucketState; readonly verdict: TakeVerdict } {
  const current = refill(state, limit, nowMs);
  if (current.tokens >= 1) {
    return { state: { ...current, tokens: current.tokens - 1 }, verdict: { allowed: true } };
  }
  const retryAfterMs = Math.ceil(((1 - current.tokens) * 1000) / limit.rate);
  return { state: current, verdict: { allowed: false, retryAfterMs } };
}

/** Gives back a token taken for a request another limit then refused. */
export function giveBack(state: BucketState, limit: RateLimit): BucketState {
  return { ...state, tokens: Math.min(limit.burst, state.tokens + 1) };
}
