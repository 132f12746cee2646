/**
 * One dispatch of claimed outbox records: each record's event decoded back
 * from its bytes, addressed and encoded for its target as the current config
 * says, and given one attempt, one publish call per target; then each record
 * is settled (./next-step.ts decides how), a target's records as soon as that
 * target has answered. Reports go through the same stages as a request's
 * (`delivered`, `dead-lettered`) under the batch's own context.
 */
import { type OutboundMessage, type PublishOutcome, terminal } from "../../adapter/adapter.js";
import type { RequestContext } from "../../context/request-context.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import type { Observer } from "../../observe/observer.js";
import { planMessage } from "../../route/plan-message.js";
import type { DeadLetterDeps } from "../dead-letter/send-dead-letters.js";
import { type AttemptedDelivery, deliverToTarget } from "../deliver-to-target.js";
import { NO_RETRY } from "../delivery-policy.js";
import { decodeRecordEvent } from "./decode-record.js";
import { afterDeadLetter, type NextStep, nextStep, type StepContext } from "./next-step.js";
import { NO_REQUEST_BUDGET } from "./no-request-budget.js";
import { sendOutboxDeadLetters } from "./outbox-dead-letters.js";
import type { OutboxRecord, Rescheduled } from "./outbox-store.js";

export interface DispatchDeps extends DeadLetterDeps {
  readonly observer: Observer;
  /** The shortest wait before a record is tried again. */
  readonly minDelayMs: number;
}

/** How a record leaves the dispatch: gone from the outbox (and why), or kept for later. */
export type Settlement =
  | { readonly kind: "complete"; readonly why: "delivered" | "dead-lettered" | "dropped" }
  | { readonly kind: "reschedule"; readonly update: Rescheduled };

export type Settle = (record: OutboxRecord, settlement: Settlement) => Promise<void>;

interface Decoded {
  readonly record: OutboxRecord;
  readonly event: CloudEvent;
}

export async function dispatchBatch(
  records: readonly OutboxRecord[],
  ctx: RequestContext,
  deps: DispatchDeps,
  settle: Settle,
): Promise<void> {
  const settling: Promise<void>[] = [];
  const groups = new Map<string, Decoded[]>();
  for (const record of records) {
    const decoded = decodeRecordEvent(record.event);
    if (!decoded.ok) {
      // Only a bug writes such a record; kept, it would block every later record of its key for ever.
      const { target, id: recordId } = record;
      deps.observer.report({ stage: "outbox-undecodable", ctx, target, recordId, reason: decoded.reason });
      settling.push(settle(record, { kind: "complete", why: "dropped" }));
      continue;
    }
    const group = groups.get(record.target);
    const entry = { record, event: decoded.event };
    if (group === undefined) groups.set(record.target, [entry]);
    else group.push(entry);
  }
  await Promise.all([
    ...settling,
    ...[...groups].map(([target, group]) => dispatchToTarget(target, group, ctx, deps, settle)),
  ]);
}

/** One attempt for each record of one target; a record the current config cannot address is refused for good. */
async function attemptAll(
  target: string,
  group: readonly Decoded[],
  ctx: RequestContext,
  deps: DispatchDeps,
): Promise<AttemptedDelivery[]> {
  const attempted: AttemptedDelivery[] = new Array(group.length);
  const sending: { index: number; message: OutboundMessage }[] = [];
  group.forEach(({ event }, index) => {
    const planned = planMessage(event, target, deps.routing, deps.targets);
    if (planned.ok) sending.push({ index, message: planned.message });
    else {
      const outcome = terminal(`Target "${target}" cannot take the event: ${planned.detail}`);
      attempted[index] = { outcome, attempts: 0, firstAttemptAt: undefined, lastAttemptAt: undefined };
    }
  });
  if (sending.length === 0) return attempted;
  const messages = sending.map((s) => s.message);
  // One attempt: the outbox, not this call, owns retries (the record is rescheduled instead).
  const results = await deliverToTarget(
    target,
    messages,
    messages.map(() => NO_RETRY),
    deps.guards.get(target),
    NO_REQUEST_BUDGET,
    ctx,
    deps,
  );
  sending.forEach(({ index }, i) => {
    attempted[index] = results[i] as AttemptedDelivery;
  });
  return attempted;
}

async function dispatchToTarget(
  target: string,
  group: readonly Decoded[],
  ctx: RequestContext,
  deps: DispatchDeps,
  settle: Settle,
): Promise<void> {
  const started = ctx.clock.now();
  const attempted = await attemptAll(target, group, ctx, deps);
  const now = ctx.clock.now();
  // Aborted only when the dispatcher stops: what was cut short then says nothing of the target.
  const abandoned = ctx.signal.aborted;
  const at: StepContext = {
    now,
    policy: deps.routing.targetPolicies.get(target)?.retry ?? NO_RETRY,
    minDelayMs: deps.minDelayMs,
    random: deps.random,
  };
  const steps = group.map(({ record, event }, i) => {
    const tried = attempted[i] as AttemptedDelivery;
    const { id, source } = event.attributes;
    deps.observer.report({
      stage: "delivered",
      ctx,
      target,
      eventId: id,
      source,
      outcome: tried.outcome,
      durationMs: now - started,
      attempts: record.attempts + tried.attempts,
      // The record's first attempt ever is no retry; every later one is.
      retries: record.attempts === 0 ? Math.max(0, tried.attempts - 1) : tried.attempts,
    });
    return nextStep(record, tried, abandoned && tried.outcome.status === "retriable", at);
  });
  const answers = await deadLetters(target, group, attempted, steps, ctx, deps);
  await Promise.all(
    group.map(({ record, event }, i) => {
      const tried = attempted[i] as AttemptedDelivery;
      const settlement = settlementOf(record, tried, steps[i] as NextStep, answers.get(i), at);
      if (settlement === "dropped") {
        const { outcome } = steps[i] as NextStep & { step: "drop" };
        deps.observer.report({
          stage: "outbox-refused",
          ctx,
          target,
          recordId: record.id,
          eventId: event.attributes.id,
          source: event.attributes.source,
          outcome,
          attempts: record.attempts + tried.attempts,
        });
        return settle(record, { kind: "complete", why: "dropped" });
      }
      return settle(record, settlement);
    }),
  );
}

/** The settlement a step comes to ("dropped": refused with no dead letter, to be reported first). */
function settlementOf(
  record: OutboxRecord,
  tried: AttemptedDelivery,
  step: NextStep,
  deadLetterAnswer: PublishOutcome | undefined,
  at: StepContext,
): Settlement | "dropped" {
  switch (step.step) {
    case "complete":
      return { kind: "complete", why: "delivered" };
    case "reschedule":
      return { kind: "reschedule", update: step.update };
    case "drop":
      return "dropped";
    case "dead-letter": {
      const failedReason = tried.outcome.status === "acked" ? "" : tried.outcome.reason;
      const answer = deadLetterAnswer ?? terminal("No dead letter was sent");
      const after = afterDeadLetter(record, tried, step.attempts, failedReason, answer, at);
      return after.step === "reschedule"
        ? { kind: "reschedule", update: after.update }
        : { kind: "complete", why: "dead-lettered" };
    }
  }
}

/** Sends the dead letters the steps ask for; each answer by the record's index in the group. */
async function deadLetters(
  target: string,
  group: readonly Decoded[],
  attempted: readonly AttemptedDelivery[],
  steps: readonly NextStep[],
  ctx: RequestContext,
  deps: DispatchDeps,
): Promise<Map<number, PublishOutcome>> {
  const wanted = steps.flatMap((step, index) => (step.step === "dead-letter" ? [{ step, index }] : []));
  const answers = new Map<number, PublishOutcome>();
  if (wanted.length === 0) return answers;
  const now = ctx.clock.now();
  const letters = wanted.map(({ step, index }) => {
    const { record, event } = group[index] as Decoded;
    const tried = attempted[index] as AttemptedDelivery;
    const reason = tried.outcome.status === "acked" ? "" : tried.outcome.reason;
    // The event as received (before a route's transform): replay routes it, and transforms it, again.
    const original = record.original === undefined ? undefined : decodeRecordEvent(record.original);
    return {
      to: record.deadLetter as string,
      event: original?.ok === true ? original.event : event,
      cause: {
        target,
        attempts: step.attempts,
        status: step.status,
        reason,
        firstAttemptAt: record.firstAttemptAt ?? tried.firstAttemptAt ?? now,
        lastAttemptAt: tried.lastAttemptAt ?? record.lastAttemptAt ?? now,
      },
    };
  });
  const outcomes = await sendOutboxDeadLetters(letters, ctx, deps);
  wanted.forEach(({ index }, k) => {
    const outcome = outcomes[k] as PublishOutcome;
    const { to, event } = letters[k] as (typeof letters)[number];
    const { id, source } = event.attributes;
    answers.set(index, outcome);
    deps.observer.report({
      stage: "dead-lettered",
      ctx,
      target,
      eventId: id,
      source,
      deadLetter: { target: to, outcome },
    });
  });
  return answers;
}
