/**
 * The outbox dispatcher: delivers what the gateway accepted asynchronously.
 * It claims due records while it has room (`maxConcurrent` records in
 * flight), dispatches each claim as one batch (./dispatch-batch.ts) and
 * settles every record with the store (complete or reschedule) before its
 * ordering key can hand out the next. It looks at the store every `pollMs`,
 * when told something was appended (`kick`), and when a record settles (a
 * slot is free, and the next record of its key may be waiting).
 *
 * Runtime-neutral: timers come from the injected DeadlineTimers, the
 * addressing from the current config generation at each dispatch, so records
 * waiting across a reload go where the new config says.
 */
import type { DeadlineTimers } from "../../adapter/deadline-timers.js";
import type { TargetRegistry } from "../../adapter/target-registry.js";
import type { Clock } from "../../context/request-context.js";
import type { Observer } from "../../observe/observer.js";
import type { RoutingTable } from "../../route/routing-table.js";
import type { TargetGuards } from "../target-guard.js";
import type { Settlement } from "./dispatch-batch.js";
import { dispatchRecords } from "./dispatch-records.js";
import type { OutboxRecord, OutboxStore } from "./outbox-store.js";

export interface DispatcherDeps {
  readonly store: OutboxStore;
  /** The routing table and targets of the current config generation, read at each dispatch. */
  readonly current: () => { readonly routing: RoutingTable; readonly targets: TargetRegistry };
  readonly guards: TargetGuards;
  readonly observer: Observer;
  readonly timers: DeadlineTimers;
  readonly clock: Clock;
  /** The backoff's jitter; default Math.random. */
  readonly random?: () => number;
  /** Request ids of the dispatch batches' contexts; default crypto.randomUUID. */
  readonly newId?: () => string;
  /** Records in flight at most. */
  readonly maxConcurrent: number;
  /**
   * How often the store is looked at when nothing kicks it; also the shortest
   * wait before a record is tried again, so a target with no retry delays
   * (no retry policy) is not tried in a tight loop.
   */
  readonly pollMs: number;
}

export interface DispatcherStats {
  readonly state: "idle" | "running" | "stopping" | "stopped";
  readonly inFlight: number;
  /** Since start: records taken by their target, by their dead letter, or dropped (refused with no dead letter, or undecodable). */
  readonly delivered: number;
  readonly deadLettered: number;
  readonly dropped: number;
  /** Since start: times a record was kept for a later attempt. */
  readonly rescheduled: number;
}

export interface Dispatcher {
  start(): void;
  /** Something was appended: look now rather than at the next poll. */
  kick(): void;
  /** Stops claiming; lets attempts in flight finish within `graceMs`, then cuts them short (their records are kept). */
  stop(graceMs: number): Promise<void>;
  stats(): DispatcherStats;
}

const COUNTED = {
  delivered: "delivered",
  "dead-lettered": "deadLettered",
  dropped: "dropped",
} as const;

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  return new OutboxDispatcher(deps);
}

class OutboxDispatcher implements Dispatcher {
  readonly #deps: DispatcherDeps;
  readonly #random: () => number;
  readonly #newId: () => string;
  #state: DispatcherStats["state"] = "idle";
  #inFlight = 0;
  #claiming = false;
  /** A look was asked for while one was claiming: claim again once it is done. */
  #lookAgain = false;
  #cancelPoll: (() => void) | undefined;
  /** Aborted when the grace of `stop` runs out: cuts the attempts in flight short. */
  #stopped: AbortController | undefined;
  #stopping: Promise<void> | undefined;
  /** Called whenever nothing is in flight and nothing is claiming. */
  #onIdle: (() => void) | undefined;
  #counts = { delivered: 0, deadLettered: 0, dropped: 0, rescheduled: 0 };

  constructor(deps: DispatcherDeps) {
    this.#deps = deps;
    this.#random = deps.random ?? Math.random;
    this.#newId = deps.newId ?? (() => crypto.randomUUID());
  }

  start(): void {
    if (this.#state !== "idle") return;
    this.#state = "running";
    this.#stopped = new AbortController();
    void this.#look();
  }

  kick(): void {
    if (this.#state === "running") void this.#look();
  }

  stop(graceMs: number): Promise<void> {
    this.#stopping ??= this.#stop(graceMs);
    return this.#stopping;
  }

  stats(): DispatcherStats {
    return { state: this.#state, inFlight: this.#inFlight, ...this.#counts };
  }

  async #stop(graceMs: number): Promise<void> {
    if (this.#state === "idle") {
      this.#state = "stopped";
      return;
    }
    this.#state = "stopping";
    this.#cancelPoll?.();
    this.#cancelPoll = undefined;
    const idle = new Promise<void>((resolve) => {
      this.#onIdle = resolve;
    });
    this.#checkIdle();
    const cancelGrace = this.#deps.timers.after(graceMs, () => this.#stopped?.abort());
    // Cut short, attempts end at once (an attempt races its signal), so this wait is short too.
    await idle;
    cancelGrace();
    this.#state = "stopped";
  }

  #checkIdle(): void {
    if (this.#inFlight === 0 && !this.#claiming) this.#onIdle?.();
  }

  async #look(): Promise<void> {
    if (this.#claiming) {
      this.#lookAgain = true;
      return;
    }
    this.#claiming = true;
    try {
      do {
        this.#lookAgain = false;
        await this.#claimWhileRoom();
      } while (this.#lookAgain && this.#state === "running");
    } finally {
      this.#claiming = false;
    }
    this.#checkIdle();
    this.#armPoll();
  }

  #armPoll(): void {
    if (this.#state !== "running" || this.#cancelPoll !== undefined) return;
    this.#cancelPoll = this.#deps.timers.after(this.#deps.pollMs, () => {
      this.#cancelPoll = undefined;
      void this.#look();
    });
  }

  async #claimWhileRoom(): Promise<void> {
    const { store, clock, maxConcurrent } = this.#deps;
    while (this.#state === "running") {
      const room = maxConcurrent - this.#inFlight;
      if (room <= 0) return;
      let records: readonly OutboxRecord[];
      try {
        records = await store.claim(room, clock.now());
      } catch (error) {
        this.#deps.observer.report({ stage: "outbox-unavailable", operation: "claim", recordIds: [], error });
        return;
      }
      if (records.length === 0) return;
      // Claimed records are leased to this dispatcher: dispatched even if it began stopping meanwhile.
      this.#inFlight += records.length;
      void this.#dispatch(records);
    }
  }

  #dispatch(records: readonly OutboxRecord[]): Promise<void> {
    const deps = { ...this.#deps, random: this.#random, newId: this.#newId, minDelayMs: this.#deps.pollMs };
    const signal = (this.#stopped as AbortController).signal;
    return dispatchRecords(records, deps, signal, (record, settlement) => this.#settle(record, settlement));
  }

  async #settle(record: OutboxRecord, settlement: Settlement): Promise<void> {
    const { store, observer } = this.#deps;
    const operation = settlement.kind;
    try {
      if (settlement.kind === "complete") {
        await store.complete([record.id]);
        this.#counts[COUNTED[settlement.why]] += 1;
      } else {
        await store.reschedule(record.id, settlement.update);
        this.#counts.rescheduled += 1;
      }
    } catch (error) {
      // The record stays leased in the store until it is reopened; the report says which.
      observer.report({ stage: "outbox-unavailable", operation, recordIds: [record.id], error });
    } finally {
      this.#inFlight -= 1;
      if (this.#state === "running") void this.#look();
      else this.#checkIdle();
    }
  }
}
