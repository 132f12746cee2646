/** A dispatcher over a store, targets the test provides and the routing their settings make. */
import type { Adapter, OutboundMessage, PublishOutcome } from "../../src/adapter/adapter.js";
import { perCallTimers } from "../../src/adapter/deadline-timers.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { type TargetConfig, TargetRegistry } from "../../src/adapter/target-registry.js";
import { compileRouting } from "../../src/config/compile-routing.js";
import { guardPoliciesOf } from "../../src/config/delivery-config.js";
import { type Clock, systemClock } from "../../src/context/request-context.js";
import { createDispatcher } from "../../src/deliver/outbox/dispatcher.js";
import { MemoryOutboxStore } from "../../src/deliver/outbox/memory-outbox-store.js";
import type { NewOutboxRecord, OutboxStore } from "../../src/deliver/outbox/outbox-store.js";
import { TargetGuards } from "../../src/deliver/target-guard.js";
import type { GatewayReport } from "../../src/observe/observer.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";

export interface Setup {
  readonly adapters: Record<string, Adapter>;
  /** Delivery settings per target (retry, circuitBreaker, maxInFlight). */
  readonly targets?: Record<string, TargetConfig>;
  readonly clock?: Clock;
  readonly pollMs?: number;
  readonly maxConcurrent?: number;
  /** Default: a new in-memory store. */
  readonly store?: OutboxStore;
}

export function dispatcherWith(setup: Setup) {
  const clock = setup.clock ?? systemClock;
  const names = Object.keys(setup.adapters);
  const configs = setup.targets ?? {};
  const targets = new TargetRegistry({}, portableRuntime(), setup.adapters, {});
  const routing = compileRouting({ targets: configs }, new Set(names), {});
  const guards = new TargetGuards(clock);
  guards.configure(guardPoliciesOf(configs, names));
  const store = setup.store ?? new MemoryOutboxStore();
  const reports: GatewayReport[] = [];
  const dispatcher = createDispatcher({
    store,
    current: () => ({ routing, targets }),
    guards,
    observer: { report: (report) => reports.push(report) },
    timers: perCallTimers,
    clock,
    maxConcurrent: setup.maxConcurrent ?? 10,
    pollMs: setup.pollMs ?? 5,
  });
  const append = async (...records: NewOutboxRecord[]) => {
    await store.append(records);
    dispatcher.kick();
  };
  const stagesOf = <S extends GatewayReport["stage"]>(stage: S) =>
    reports.filter((r): r is Extract<GatewayReport, { stage: S }> => r.stage === stage);
  return { store, dispatcher, reports, append, stagesOf, clock };
}

export const eventBytes = (id: string) =>
  new TextEncoder().encode(
    JSON.stringify({
      specversion: "1.0",
      id,
      source: "/test/outbox",
      type: "com.example.test",
      data: { id },
    }),
  );

export const recordFor = (
  target: string,
  id: string,
  fields: Partial<NewOutboxRecord> = {},
): NewOutboxRecord => ({
  target,
  acceptedAt: Date.now(),
  event: eventBytes(id),
  ...fields,
});

export const idOf = (message: OutboundMessage) => message.event.attributes.id;

/** Answers from a list, in order; the last repeats. */
export function answering(...outcomes: PublishOutcome[]) {
  let call = 0;
  return scriptedAdapter(() => outcomes[Math.min(call++, outcomes.length - 1)] as PublishOutcome);
}

/** Everything still in the store, however far in the future it is due. */
export const leftIn = (store: OutboxStore) => store.claim(1_000, Number.MAX_SAFE_INTEGER);
