/**
 * The signing keys published at a JWKS URL, cached. jose's own remote key set
 * is not used: it neither backs off after a failed fetch (every request would
 * fetch again while the issuer is down) nor tells a fetch that failed from a
 * key that is not there, and the gateway answers those two differently
 * (503 auth-unavailable, 401 unauthenticated).
 *
 * Keys are kept at most `maxAgeMs`; a token whose `kid` is not in the set
 * makes the set be fetched again, at most once per `refetchIntervalMs`; a
 * failed fetch is not tried again for `failureBackoffMs`.
 */
import { type CryptoKey, createLocalJWKSet, type JWSHeaderParameters } from "jose";
import { describeError } from "../../errors/errors.js";
import { type KeySet, matchingKeys } from "./matching-keys.js";

export interface JwksCacheOptions {
  readonly url: string;
  readonly timeoutMs?: number;
  readonly refetchIntervalMs?: number;
  readonly maxAgeMs?: number;
  readonly failureBackoffMs?: number;
}

export type JwksLookup =
  /** The keys the set holds for the header (none when the set, fetched recently, has no such key). */
  | { readonly kind: "keys"; readonly keys: readonly CryptoKey[] }
  /** The set cannot be fetched and holds no key for the header. */
  | { readonly kind: "unavailable"; readonly reason: string; readonly retryAfterMs: number };

export interface JwksCache {
  keysFor(header: JWSHeaderParameters): Promise<JwksLookup>;
}

/** How long past its own timeout a fetch may take to settle before it is given up for failed. */
const DEADLINE_MARGIN_MS = 1_000;
const OVERDUE = "the JWKS fetch did not finish in time";

type Fetched = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const refetchIntervalMs = options.refetchIntervalMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  const failureBackoffMs = options.failureBackoffMs ?? 10_000;

  let set: KeySet | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let failure: { readonly reason: string; readonly retryAt: number } | undefined;
  /** The fetch under way, and when it is to be counted as failed if it has not settled. */
  let pending: { readonly result: Promise<Fetched>; readonly deadline: number } | undefined;

  async function fetchSet(): Promise<Fetched> {
    try {
      const response = await fetch(options.url, {
        method: "GET",
        // A redirect could lead anywhere, http included: it is a failure, not followed.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: "application/jwk-set+json, application/json" },
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        return { ok: false, reason: `the JWKS answered ${response.status}` };
      }
      set = createLocalJWKSet((await response.json()) as Parameters<typeof createLocalJWKSet>[0]);
      fetchedAt = Date.now();
      failure = undefined;
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: `the JWKS cannot be fetched: ${describeError(error)}` };
    }
  }

  /**
   * A fetch past its deadline is given up for failed, and backs off like one.
   * On Workers a fetch belongs to the request that made it, and workerd may
   * cancel it when that request ends: its promise then never settles, neither
   * its own timeout nor the waiters' timers fire, and, waited on, it would
   * hold every later lookup to 503 for good. Checked on each lookup, from the
   * clock, so it needs no timer of a request that may be gone.
   */
  function abandonOverdueFetch(now: number): void {
    if (pending === undefined || now < pending.deadline) return;
    failure = { reason: OVERDUE, retryAt: pending.deadline + failureBackoffMs };
    pending = undefined;
  }

  /**
   * One fetch at a time; the requests that arrive meanwhile wait for it, but
   * never past its deadline.
   */
  async function refresh(): Promise<Fetched> {
    let current = pending;
    if (current === undefined) {
      attemptedAt = Date.now();
      const attempt = {
        deadline: attemptedAt + timeoutMs + DEADLINE_MARGIN_MS,
        result: fetchSet().then((result) => {
          // A fetch given up for overdue that settles late only brings its keys (which end the backoff).
          if (pending !== attempt) return result;
          if (!result.ok) failure = { reason: result.reason, retryAt: Date.now() + failureBackoffMs };
          pending = undefined;
          return result;
        }),
      };
      pending = current = attempt;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<Fetched>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, reason: OVERDUE }),
        Math.max(0, current.deadline - Date.now()),
      );
    });
    try {
      return await Promise.race([current.result, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  const unavailable = (reason: string, retryAfterMs: number): JwksLookup => ({
    kind: "unavailable",
    reason,
    retryAfterMs: Math.max(1_000, retryAfterMs),
  });

  return {
    async keysFor(header) {
      const now = Date.now();
      abandonOverdueFetch(now);
      if (set !== undefined && now - fetchedAt < maxAgeMs) {
        const keys = await matchingKeys(set, header);
        if (keys.length > 0 || (failure === undefined && now - attemptedAt < refetchIntervalMs))
          return { kind: "keys", keys };
      }
      if (failure !== undefined && now < failure.retryAt)
        return unavailable(failure.reason, failure.retryAt - now);
      const fetched = await refresh();
      if (!fetched.ok || set === undefined) {
        return unavailable(fetched.ok ? "the JWKS holds no keys" : fetched.reason, failureBackoffMs);
      }
      return { kind: "keys", keys: await matchingKeys(set, header) };
    },
  };
}
