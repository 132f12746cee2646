/**
 * One publish call to one target, bounded by its attempt: the adapter's
 * outcomes, or the attempt's reason for ending first for every message.
 */
import { type Context, context } from "@opentelemetry/api";
import { type Adapter, type OutboundMessage, type PublishOutcome, retriable } from "../adapter/adapter.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import { describeError } from "../errors/errors.js";
import { endPublishSpan, startPublishSpan } from "../observe/tracing/publish-span.js";
import type { Attempt } from "./attempt.js";

/** The attempt's PRODUCER span around the adapter's publish (../observe/tracing/publish-span.ts). */
async function publishTo(
  adapter: Adapter,
  target: string,
  messages: readonly OutboundMessage[],
  attempt: Attempt,
): Promise<PublishOutcome[]> {
  const traced = startPublishSpan(attempt.telemetry, target, adapter.type, adapter.telemetry, messages);
  const outcomes = await publishUntraced(adapter, messages, attempt, traced.context, traced.headers);
  endPublishSpan(traced, outcomes);
  return outcomes;
}

async function publishUntraced(
  adapter: Adapter,
  messages: readonly OutboundMessage[],
  attempt: Attempt,
  telemetry: Context,
  traceHeaders: Readonly<Record<string, string>> | undefined,
): Promise<PublishOutcome[]> {
  try {
    const options =
      traceHeaders === undefined
        ? { signal: attempt.signal, deadline: attempt.deadline }
        : { signal: attempt.signal, deadline: attempt.deadline, traceHeaders };
    // Run in the span's context, so an instrumented client library (fetch, gRPC) nests its spans under it.
    const result = await Promise.race([
      context.with(telemetry, () => adapter.publish(messages, options)),
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
  if (created !== undefined) return publishTo(created, target, messages, attempt);
  return targets.get(target).then(
    (adapter) => publishTo(adapter, target, messages, attempt),
    (error: unknown) =>
      messages.map(() =>
        retriable(`Target "${target}" is not available: ${error instanceof Error ? error.message : error}`),
      ),
  );
}
