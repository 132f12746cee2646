/**
 * One publish call to one target, bounded by its attempt: the adapter's
 * outcomes, or the attempt's reason for ending first for every message.
 */
import { type Adapter, type OutboundMessage, type PublishOutcome, retriable } from "../adapter/adapter.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import { describeError } from "../errors/errors.js";
import type { Attempt } from "./attempt.js";

async function publishTo(
  adapter: Adapter,
  messages: readonly OutboundMessage[],
  attempt: Attempt,
): Promise<PublishOutcome[]> {
  try {
    const result = await Promise.race([
      adapter.publish(messages, { signal: attempt.signal, deadline: attempt.deadline }),
      attempt.ended,
    ]);
    if (typeof result === "string") return messages.map(() => retriable(result));
    return messages.map(
      (_, i) =>
        result[i] ??
        retriable(`The adapter returned ${result.length} outcomes for ${messages.length} events`),
    );
  } catch (error) {
    // Adapters must classify failures themselves; an exception leaves the outcome unknown, so retrying is the safe answer.
    return messages.map(() => retriable(`The adapter failed: ${describeError(error)}`));
  }
}

/** Publishes to a target by name; an adapter created earlier is used as it is, without waiting a turn for `get`. */
export function publishWithin(
  targets: TargetRegistry,
  target: string,
  messages: readonly OutboundMessage[],
  attempt: Attempt,
): Promise<PublishOutcome[]> {
  const created = targets.created(target);
  if (created !== undefined) return publishTo(created, messages, attempt);
  return targets.get(target).then(
    (adapter) => publishTo(adapter, messages, attempt),
    (error: unknown) =>
      messages.map(() =>
        retriable(`Target "${target}" is not available: ${error instanceof Error ? error.message : error}`),
      ),
  );
}
