/**
 * Dispatches records taken from an outbox, once: under a context of their
 * own (no request waits for them; `signal` cuts the attempts short), on the
 * current config generation, so records waiting across a reload go where the
 * newest config says. Every record is settled exactly once: a bug in
 * dispatching leaves the records it had not settled kept, unchanged but for
 * the error, for a later try. Shared by the in-process dispatcher
 * (./dispatcher.ts) and the Worker's Cloudflare Queue consumer.
 */
import type { DeadlineTimers } from "../../adapter/deadline-timers.js";
import type { TargetRegistry } from "../../adapter/target-registry.js";
import { type Clock, createRequestContext } from "../../context/request-context.js";
import { describeError } from "../../errors/errors.js";
import type { Observer } from "../../observe/observer.js";
import type { RoutingTable } from "../../route/routing-table.js";
import type { TargetGuards } from "../target-guard.js";
import { dispatchBatch, type Settle } from "./dispatch-batch.js";
import type { OutboxRecord } from "./outbox-store.js";

export interface RecordDispatchDeps {
  /** The routing table and targets of the current config generation. */
  readonly current: () => { readonly routing: RoutingTable; readonly targets: TargetRegistry };
  readonly guards: TargetGuards;
  readonly observer: Observer;
  readonly timers: DeadlineTimers;
  readonly clock: Clock;
  /** The backoff's jitter. */
  readonly random: () => number;
  /** Request ids of the dispatch contexts. */
  readonly newId: () => string;
  /** The shortest wait before a record is tried again. */
  readonly minDelayMs: number;
}

export async function dispatchRecords(
  records: readonly OutboxRecord[],
  deps: RecordDispatchDeps,
  signal: AbortSignal,
  settle: Settle,
): Promise<void> {
  const settled = new Set<string>();
  const settleOnce: Settle = (record, settlement) => {
    settled.add(record.id);
    return settle(record, settlement);
  };
  try {
    const { routing, targets } = deps.current();
    const timeoutMs = Math.max(...records.map((r) => targets.attemptTimeoutMs(r.target)));
    const ctx = createRequestContext(
      { headers: new Headers(), signal },
      { clock: deps.clock, timeoutMs, newId: deps.newId },
    );
    await dispatchBatch(records, ctx, { ...deps, routing, targets }, settleOnce);
  } catch (error) {
    const lastError = `Dispatching failed: ${describeError(error)}`;
    const now = deps.clock.now();
    const unsettled = records.filter((r) => !settled.has(r.id));
    await Promise.all(
      unsettled.map((r) =>
        settle(r, {
          kind: "reschedule",
          update: {
            attempts: r.attempts,
            notBefore: now + deps.minDelayMs,
            firstAttemptAt: r.firstAttemptAt ?? now,
            lastAttemptAt: r.lastAttemptAt ?? now,
            lastError,
          },
        }),
      ),
    );
  }
}
