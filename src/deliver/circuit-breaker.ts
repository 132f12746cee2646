/**
 * A circuit breaker per target: after `failureThreshold` consecutive attempts
 * that failed retriably (timeouts, refused connections, 5xx), the circuit
 * opens and attempts fail fast, without touching the target, for
 * `coolDownMs`; then one probe at a time is let through (half-open): its
 * success closes the circuit, its failure opens it for another cool-down.
 * A terminal refusal counts as an answer: the target is up, it only said no.
 */
import type { Clock } from "../context/request-context.js";

export interface BreakerPolicy {
  readonly failureThreshold: number;
  readonly coolDownMs: number;
}

export const BREAKER_DEFAULTS: BreakerPolicy = Object.freeze({ failureThreshold: 5, coolDownMs: 5_000 });

export type CircuitState = "closed" | "open" | "half-open";

/** Whether an attempt may go now; when not, how long until one may. */
export type Admission =
  | { readonly allowed: true; readonly probe: boolean }
  | { readonly allowed: false; readonly retryAfterMs: number };

export class CircuitBreaker {
  #policy: BreakerPolicy;
  readonly #clock: Clock;
  #consecutiveFailures = 0;
  #openedAt: number | undefined;
  #probing = false;
  #opened = 0;

  constructor(policy: BreakerPolicy, clock: Clock) {
    this.#policy = policy;
    this.#clock = clock;
  }

  /** A reload may change the thresholds; the state carries over. */
  set policy(policy: BreakerPolicy) {
    this.#policy = policy;
  }

  get state(): CircuitState {
    if (this.#openedAt === undefined) return "closed";
    return this.#clock.now() - this.#openedAt >= this.#policy.coolDownMs ? "half-open" : "open";
  }

  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }

  /** How many times the circuit has opened since the gateway started. */
  get timesOpened(): number {
    return this.#opened;
  }

  admit(): Admission {
    if (this.#openedAt === undefined) return { allowed: true, probe: false };
    const waited = this.#clock.now() - this.#openedAt;
    if (waited < this.#policy.coolDownMs)
      return { allowed: false, retryAfterMs: this.#policy.coolDownMs - waited };
    // Half-open: one probe at a time; the others fail fast until it answers.
    if (this.#probing) return { allowed: false, retryAfterMs: this.#policy.coolDownMs };
    this.#probing = true;
    return { allowed: true, probe: true };
  }

  /** The attempt reached the target and it answered (acked, or refused for good). */
  succeeded(probe: boolean): void {
    if (probe) this.#probing = false;
    this.#consecutiveFailures = 0;
    this.#openedAt = undefined;
  }

  /** The attempt failed retriably. */
  failed(probe: boolean): void {
    this.#consecutiveFailures += 1;
    if (probe) this.#probing = false;
    if (this.#openedAt !== undefined) {
      // The probe failed: open again for another cool-down.
      if (probe) this.#open();
    } else if (this.#consecutiveFailures >= this.#policy.failureThreshold) {
      // Closed, even for a probe whose circuit an older attempt's answer closed
      // meanwhile: a closed circuit opens only at the threshold.
      this.#open();
    }
  }

  #open(): void {
    this.#openedAt = this.#clock.now();
    this.#opened += 1;
  }

  /** The attempt ended without an answer that says anything of the target (the client went away). */
  abandoned(probe: boolean): void {
    if (probe) this.#probing = false;
  }
}
