/**
 * Re-drive: the dead letters a target holds, sent again through the routes to
 * the target that refused them, once it accepts. Each is read back from the
 * dead-letter target (only targets that read back can serve: the memory
 * target, a JetStream nats target), stripped of its `deadletter*` context,
 * routed as the config routes it now, and delivered only to the target that
 * refused it (others already had it). A dead letter is removed once that
 * target acked it, or once it was refused again and a new dead letter holds
 * it (a new one, not one the broker dropped as a repeat of the old); else it
 * is kept for the next replay. Dedup is bypassed: the producer's pair is
 * recorded as handled, which is exactly what is being redone.
 */
import { readsBackDeadLetters } from "../../adapter/dead-letter-store.js";
import { createRequestContext, systemClock } from "../../context/request-context.js";
import { describeError, GatewayError } from "../../errors/errors.js";
import type { GatewayState } from "../../http/gateway-state.js";
import { planDeliveries } from "../../route/plan-deliveries.js";
import type { DeliveryResult } from "../delivery-layer.js";
import { withoutDeadLetterContext } from "./dead-letter-event.js";

export interface ReplayFailure {
  readonly position: string;
  readonly id: string;
  readonly source: string;
  /** The target that refused it; absent when the stored event carries none. */
  readonly target?: string;
  readonly reason: string;
}

export interface ReplayReport {
  readonly from: string;
  /** Dead letters read back. */
  readonly listed: number;
  /** Taken by the target that had refused them: removed. */
  readonly delivered: number;
  /** Refused again, and held by a new dead letter: the old one removed. */
  readonly deadLetteredAgain: number;
  /** Still failing, or with no route to their target any more: kept for the next replay. */
  readonly kept: number;
  /** Why each kept one was kept (at most the first 100). */
  readonly failures: readonly ReplayFailure[];
}

export const DEFAULT_REPLAY_LIMIT = 100;
export const MAX_REPLAY_LIMIT = 10_000;
const MAX_LISTED_FAILURES = 100;

/**
 * Replays never abort on a client leaving: what is started is finished and
 * accounted for. Made per replay: workerd refuses an AbortController made at
 * a module's top level.
 */
const noClient = () => ({ headers: new Headers(), signal: new AbortController().signal });

const outcomeOf = (results: readonly DeliveryResult[]) => {
  if (results.every((r) => r.outcome.status === "acked")) return "delivered" as const;
  const again = results.every(
    (r) =>
      r.outcome.status === "acked" ||
      (r.deadLetter?.outcome.status === "acked" && r.deadLetter.outcome.receipt.duplicate !== true),
  );
  return again ? ("deadLetteredAgain" as const) : ("kept" as const);
};

const reasonOf = (results: readonly DeliveryResult[]) =>
  results
    .filter((r) => r.outcome.status !== "acked")
    .map((r) => {
      const base = r.outcome.status === "acked" ? "" : r.outcome.reason;
      if (r.deadLetter === undefined) return base;
      const dl = r.deadLetter.outcome;
      return dl.status === "acked"
        ? `${base}; its dead letter "${r.deadLetter.target}" already holds it`
        : `${base}; its dead letter "${r.deadLetter.target}" did not take it: ${dl.reason}`;
    })
    .join("; ");

export async function replayDeadLetters(
  state: GatewayState,
  from: string,
  limit: number = DEFAULT_REPLAY_LIMIT,
  newId: () => string = () => crypto.randomUUID(),
  /** Told how many letters are done out of how many, before each and after the last (the CLI's progress). */
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ReplayReport> {
  if (!state.targets.has(from)) throw new GatewayError("not-found", `No target named "${from}"`);
  const adapter = await state.targets.get(from);
  const store = readsBackDeadLetters(adapter) ? adapter.deadLetters() : undefined;
  if (store === undefined) {
    throw new GatewayError(
      "not-replayable",
      `Target "${from}" (${adapter.type}) cannot read back what it stored: only memory targets and nats targets with jetstream serve as replayable dead letters`,
    );
  }
  const letters = await store.list(Math.min(Math.max(1, limit), MAX_REPLAY_LIMIT));
  const counts = { delivered: 0, deadLetteredAgain: 0, kept: 0 };
  const failures: ReplayFailure[] = [];
  const keep = (failure: ReplayFailure) => {
    counts.kept += 1;
    if (failures.length < MAX_LISTED_FAILURES) failures.push(failure);
  };
  // One at a time, oldest first: a replay is a trickle next to live traffic, and keeps its order.
  for (const [index, letter] of letters.entries()) {
    onProgress(index, letters.length);
    const { event, failedTarget } = withoutDeadLetterContext(letter.event);
    const { id, source } = event.attributes;
    const where = { position: letter.position, id, source };
    if (failedTarget === undefined) {
      keep({ ...where, reason: "not a dead letter: it has no deadlettertarget attribute" });
      continue;
    }
    try {
      const plan = planDeliveries([event], state.routing, state.targets);
      const deliveries = plan.deliveries.filter((d) => d.target === failedTarget);
      if (deliveries.length === 0) {
        keep({ ...where, target: failedTarget, reason: `no route sends it to "${failedTarget}" any more` });
        continue;
      }
      const ctx = createRequestContext(noClient(), {
        clock: systemClock,
        timeoutMs: plan.budgetMs,
        newId,
      });
      const results = await state.delivery.deliver({ ...plan, deliveries }, ctx);
      const outcome = outcomeOf(results);
      if (outcome === "kept") {
        keep({ ...where, target: failedTarget, reason: reasonOf(results) });
        continue;
      }
      await store.remove(letter.position);
      counts[outcome] += 1;
    } catch (error) {
      keep({ ...where, target: failedTarget, reason: describeError(error) });
    }
  }
  onProgress(letters.length, letters.length);
  return { from, listed: letters.length, ...counts, failures };
}
