/**
 * What keeps one slow or dead target from taking the gateway down with it:
 * a bound on the deliveries in flight to it (`maxInFlight`) and its circuit
 * breaker (./circuit-breaker.ts), with the counts `/status` shows. Guards
 * live as long as the gateway (a reload re-reads their limits and keeps their
 * state), so a reload does not close an open circuit or forget what is in
 * flight.
 */
import type { Clock } from "../context/request-context.js";
import { type BreakerPolicy, CircuitBreaker, type CircuitState } from "./circuit-breaker.js";

export interface GuardPolicy {
  /** Events being delivered to the target at once; absent: no bound. */
  readonly maxInFlight?: number;
  /** Absent: the target has no circuit breaker. */
  readonly breaker?: BreakerPolicy;
}

/** Why an attempt may not go now, and when one may. */
export interface Refusal {
  readonly reason: string;
  readonly retryAfterMs: number;
}

/** A permit for one attempt; hand it back with what the attempt came to. */
export interface Permit {
  /** The target answered: acked, or refused for good. */
  answered(): void;
  /** It failed retriably (no answer in time, unreachable, overloaded). */
  failed(): void;
  /** It ended without telling anything of the target (the client went away). */
  abandoned(): void;
}

export interface GuardStatus {
  readonly circuit: CircuitState | "none";
  readonly inFlight: number;
  readonly maxInFlight: number | null;
  readonly consecutiveFailures: number;
  /** Attempts that failed retriably since the gateway started. */
  readonly failures: number;
  /** Attempts refused without reaching the target: circuit open or maxInFlight reached. */
  readonly shed: number;
  readonly circuitOpened: number;
}

/** How long a producer should wait when a target is at its maxInFlight. */
export const BUSY_RETRY_AFTER_MS = 1_000;

export class TargetGuard {
  #policy: GuardPolicy = {};
  #breaker: CircuitBreaker | undefined;
  readonly #clock: Clock;
  #inFlight = 0;
  #failures = 0;
  #shed = 0;

  constructor(
    readonly target: string,
    clock: Clock,
  ) {
    this.#clock = clock;
  }

  configure(policy: GuardPolicy): void {
    this.#policy = policy;
    if (policy.breaker === undefined) this.#breaker = undefined;
    else if (this.#breaker === undefined) this.#breaker = new CircuitBreaker(policy.breaker, this.#clock);
    else this.#breaker.policy = policy.breaker;
  }

  /**
   * A permit for an attempt carrying `count` events, or why not. Within
   * maxInFlight, an attempt larger than the bound still goes when nothing
   * else is in flight, so one large batch is never refused for ever.
   */
  acquire(count: number): Permit | Refusal {
    const max = this.#policy.maxInFlight;
    if (max !== undefined && this.#inFlight > 0 && this.#inFlight + count > max) {
      this.#shed += 1;
      return {
        reason: `Target "${this.target}" has ${this.#inFlight} deliveries in flight (maxInFlight ${max})`,
        retryAfterMs: BUSY_RETRY_AFTER_MS,
      };
    }
    const admission = this.#breaker?.admit() ?? { allowed: true as const, probe: false };
    if (!admission.allowed) {
      this.#shed += 1;
      return {
        reason: `Target "${this.target}" is failing: its circuit is open`,
        retryAfterMs: admission.retryAfterMs,
      };
    }
    this.#inFlight += count;
    const { probe } = admission;
    // The breaker that let the attempt through hears how it went: a reload may
    // since have replaced it, and the old one's probe must not open a new one.
    const breaker = this.#breaker;
    let settled = false;
    const settle = (outcome: (breaker: CircuitBreaker) => void) => {
      if (settled) return;
      settled = true;
      this.#inFlight -= count;
      if (breaker !== undefined) outcome(breaker);
    };
    return {
      answered: () => settle((b) => b.succeeded(probe)),
      failed: () => {
        if (!settled) this.#failures += 1;
        settle((b) => b.failed(probe));
      },
      abandoned: () => settle((b) => b.abandoned(probe)),
    };
  }

  status(): GuardStatus {
    return {
      circuit: this.#breaker?.state ?? "none",
      inFlight: this.#inFlight,
      maxInFlight: this.#policy.maxInFlight ?? null,
      consecutiveFailures: this.#breaker?.consecutiveFailures ?? 0,
      failures: this.#failures,
      shed: this.#shed,
      circuitOpened: this.#breaker?.timesOpened ?? 0,
    };
  }
}

export const isRefusal = (value: Permit | Refusal): value is Refusal => "reason" in value;

/** Every target's guard, by name, for the gateway's lifetime. */
export class TargetGuards {
  readonly #guards = new Map<string, TargetGuard>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** A config's limits, applied to its targets' guards (kept across reloads). */
  configure(policies: ReadonlyMap<string, GuardPolicy>): void {
    for (const [name, policy] of policies) this.get(name).configure(policy);
  }

  get(name: string): TargetGuard {
    let guard = this.#guards.get(name);
    if (guard === undefined) {
      guard = new TargetGuard(name, this.#clock);
      this.#guards.set(name, guard);
    }
    return guard;
  }

  status(name: string): GuardStatus {
    return this.get(name).status();
  }
}
