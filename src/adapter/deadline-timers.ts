/**
 * Timers for deadlines that almost never fire: every delivery attempt arms
 * one and nearly all are cancelled when the target answers first.
 *
 * `perCallTimers` is a setTimeout each: what workerd requires, since a timer
 * belongs to the request that set it. `deadlineWheel` shares one timer among
 * all pending deadlines (Node): arming is a Set insert into a bucket of
 * `resolutionMs`, cancelling a delete, and the one timer is re-armed only
 * for the earliest bucket. A deadline fires up to `resolutionMs` late, which
 * no timeout of a second or more notices.
 */

export interface DeadlineTimers {
  /** Calls `expire` after about `ms` milliseconds (not before, as far as the runtime's timers go); the returned function cancels it. */
  after(ms: number, expire: () => void): () => void;
}

export const perCallTimers: DeadlineTimers = {
  after(ms, expire) {
    const timer = setTimeout(expire, ms);
    return () => clearTimeout(timer);
  },
};

export function deadlineWheel(
  resolutionMs = 10,
  now: () => number = () => performance.now(),
): DeadlineTimers {
  const buckets = new Map<number, Set<() => void>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The bucket the timer is armed for, or Infinity when none is. */
  let armedFor = Number.POSITIVE_INFINITY;

  const arm = (bucket: number) => {
    if (timer !== undefined) clearTimeout(timer);
    armedFor = bucket;
    timer = setTimeout(fire, Math.max(0, bucket * resolutionMs - now()));
  };

  function fire() {
    timer = undefined;
    armedFor = Number.POSITIVE_INFINITY;
    const current = now();
    let next = Number.POSITIVE_INFINITY;
    for (const [bucket, expiries] of buckets) {
      if (bucket * resolutionMs <= current) {
        buckets.delete(bucket);
        for (const expire of expiries) expire();
      } else if (bucket < next) next = bucket;
    }
    if (next !== Number.POSITIVE_INFINITY) arm(next);
  }

  return {
    after(ms, expire) {
      // Rounded up: a deadline may fire late, never early.
      const bucket = Math.ceil((now() + ms) / resolutionMs);
      let expiries = buckets.get(bucket);
      if (expiries === undefined) {
        expiries = new Set();
        buckets.set(bucket, expiries);
      }
      // A distinct function per call, so the same `expire` armed twice is cancelled once each.
      const entry = () => expire();
      expiries.add(entry);
      if (bucket < armedFor) arm(bucket);
      return () => {
        const pending = buckets.get(bucket);
        if (pending === undefined) return;
        pending.delete(entry);
        if (pending.size === 0) buckets.delete(bucket);
      };
    },
  };
}
