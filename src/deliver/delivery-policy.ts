import type { Template } from "../route/template.js";

/**
 * How hard the gateway tries one delivery: the retry policy (per target,
 * overridable per route), the request's time budget (delivery.timeoutMs,
 * overridable per route) and the dead letter (per route). When several routes
 * send one event to one target, one rule decides: the strictest (see
 * `strictestPolicy`), so adding a route can only make the gateway give up
 * sooner, never make it wait longer or hide a refusal.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included: 1 means no retry. */
  readonly maxAttempts: number;
  /** The cap of the first retry's delay; each later cap doubles, up to maxDelayMs. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** `full`: each delay is drawn uniformly from [0, cap]; `none`: the cap itself. */
  readonly jitter: "full" | "none";
}

export const NO_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 1,
  initialDelayMs: 0,
  maxDelayMs: 0,
  jitter: "full",
});

/** What a `retry:` block means for the fields it leaves out. */
export const RETRY_DEFAULTS: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  initialDelayMs: 100,
  maxDelayMs: 2_000,
  jitter: "full",
});

export type RetryConfig = Partial<RetryPolicy>;

/**
 * A field present but undefined (`{ maxAttempts: undefined }`) takes the
 * default too: a spread would copy the undefined over it.
 */
export const retryPolicyOf = (config: RetryConfig | undefined): RetryPolicy =>
  config === undefined
    ? NO_RETRY
    : {
        maxAttempts: config.maxAttempts ?? RETRY_DEFAULTS.maxAttempts,
        initialDelayMs: config.initialDelayMs ?? RETRY_DEFAULTS.initialDelayMs,
        maxDelayMs: config.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs,
        jitter: config.jitter ?? RETRY_DEFAULTS.jitter,
      };

/** What one planned delivery follows, decided when the event is routed. */
export interface DeliveryPolicy {
  readonly retry: RetryPolicy;
  /** The target that takes the event if this one refuses it for good; absent: the refusal is reported. */
  readonly deadLetter: string | undefined;
  /** Accepted once in the outbox (202 before delivery), then delivered by the dispatcher; else delivered within the request. */
  readonly async?: boolean;
  /** What an async delivery keeps order by, from the first route that says; absent: the target's key, else `partitionkey`. */
  readonly orderingKey?: Template;
}

/** What one route says about the deliveries it makes; absent fields leave the target's or the gateway's. */
export interface RoutePolicy {
  readonly retry?: RetryPolicy;
  readonly budgetMs?: number;
  readonly deadLetter?: string;
  /** `ack: async`: its deliveries are accepted once in the outbox. */
  readonly async?: boolean;
  readonly orderingKey?: Template;
}

/** Fewer attempts is stricter; then a shorter longest delay; then route order. */
const stricter = (a: RetryPolicy, b: RetryPolicy): boolean =>
  a.maxAttempts < b.maxAttempts || (a.maxAttempts === b.maxAttempts && a.maxDelayMs < b.maxDelayMs);

/**
 * The policy of one (event, target) delivery that `routes` (the matching
 * routes sending the event there, in route order) all ask for:
 * - retry: each route's own, or the target's where the route sets none; the
 *   one with the fewest attempts wins (then the shorter maxDelayMs, then the
 *   earlier route), taken whole: fields of different policies are never mixed;
 * - dead letter: only when every one of those routes names the same one; if
 *   any names none, or another, a refusal is reported to the producer (502),
 *   since one of the routes asked for exactly that;
 * - async only when every one of them is: a route that asked for `sync`
 *   asked for the producer to hear how delivery went.
 */
export function strictestPolicy(targetRetry: RetryPolicy, routes: readonly RoutePolicy[]): DeliveryPolicy {
  let retry: RetryPolicy | undefined;
  let deadLetter: string | undefined;
  let async = routes.length > 0;
  let orderingKey: Template | undefined;
  routes.forEach((route, i) => {
    if (route.async !== true) async = false;
    orderingKey ??= route.orderingKey;
    const wanted = route.retry ?? targetRetry;
    if (retry === undefined || stricter(wanted, retry)) retry = wanted;
    if (i === 0) deadLetter = route.deadLetter;
    else if (route.deadLetter !== deadLetter) deadLetter = undefined;
  });
  const policy = { retry: retry ?? targetRetry, deadLetter };
  if (!async) return policy;
  return orderingKey === undefined ? { ...policy, async } : { ...policy, async, orderingKey };
}

/**
 * The longest the delivery layer may wait before attempt `retry + 1`
 * (retry counts from 1): capped exponential backoff with full jitter, unless
 * the target said how long to wait (Retry-After), which then decides. Never
 * negative; with jitter, a whole number of milliseconds.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.max(0, retryAfterMs);
  // 2 ** 30 already exceeds any sane maxDelayMs; the cap keeps the power finite.
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(retry - 1, 30));
  // Whole milliseconds in [0, cap]: drawing over cap + 1 would pass a fractional cap (0.5 could give 1).
  return policy.jitter === "full" ? Math.floor(random() * (Math.floor(cap) + 1)) : cap;
}
