/**
 * The PRODUCER span of one publish call to one target (one attempt: a retry
 * is a span of its own), named and described by the messaging conventions
 * (./semconv.ts), and the trace context it hands on: the propagation fields
 * the registered propagator writes for this span (W3C `traceparent`,
 * `tracestate`), which the adapter copies into its transport's own headers.
 * With no SDK registered the span does not record and nothing is written.
 */
import { type Context, propagation, type Span, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { AdapterTelemetry, OutboundMessage, PublishOutcome } from "../../adapter/adapter.js";
import {
  CLOUDEVENTS_EVENT_ID,
  CLOUDEVENTS_EVENT_SOURCE,
  CLOUDEVENTS_EVENT_TYPE,
  ERROR_TYPE,
  GATEWAY_TARGET,
  MESSAGING_BATCH_MESSAGE_COUNT,
  MESSAGING_DESTINATION_NAME,
  MESSAGING_MESSAGE_ID,
  MESSAGING_OPERATION_NAME,
  MESSAGING_OPERATION_TYPE,
  MESSAGING_SYSTEM,
  OPERATION_TYPE_SEND,
  SERVER_ADDRESS,
  SERVER_PORT,
} from "./semconv.js";
import { parentOf, tracer, withSpan } from "./tracer.js";

export interface PublishSpan {
  readonly span: Span;
  /** The context the adapter's own work runs in (an instrumented fetch nests under the span). */
  readonly context: Context;
  /** The propagation fields to send with every message of the call; undefined when the propagator wrote none. */
  readonly headers: Readonly<Record<string, string>> | undefined;
}

/**
 * The destination every message of the call shares, as the spans may show
 * it: a subject or topic, or the target's name where an address could
 * carry a secret (an HTTP URL's path or query); undefined when they differ.
 */
function destinationOf(
  target: string,
  messages: readonly OutboundMessage[],
  telemetry: AdapterTelemetry | undefined,
): string | undefined {
  if (telemetry?.addressIsDestination !== true) return target;
  const first = messages[0]?.address;
  return messages.every((m) => m.address === first) ? first : undefined;
}

export function startPublishSpan(
  telemetry: Context | undefined,
  target: string,
  type: string,
  peer: AdapterTelemetry | undefined,
  messages: readonly OutboundMessage[],
): PublishSpan {
  const parent = parentOf(telemetry);
  const destination = destinationOf(target, messages, peer);
  // The conventions' "{operation name} {destination}", the destination low in cardinality: a subject
  // expanded from a template ("events.{type}") is not, so the name takes the target's, which stands for it.
  const span = tracer.startSpan(`${OPERATION_TYPE_SEND} ${target}`, { kind: SpanKind.PRODUCER }, parent);
  if (span.isRecording()) {
    span.setAttribute(MESSAGING_SYSTEM, peer?.system ?? type);
    span.setAttribute(MESSAGING_OPERATION_TYPE, OPERATION_TYPE_SEND);
    span.setAttribute(MESSAGING_OPERATION_NAME, OPERATION_TYPE_SEND);
    span.setAttribute(GATEWAY_TARGET, target);
    if (destination !== undefined) span.setAttribute(MESSAGING_DESTINATION_NAME, destination);
    if (peer?.serverAddress !== undefined) span.setAttribute(SERVER_ADDRESS, peer.serverAddress);
    if (peer?.serverPort !== undefined) span.setAttribute(SERVER_PORT, peer.serverPort);
    if (messages.length === 1) {
      const { id, source, type: eventType } = (messages[0] as OutboundMessage).event.attributes;
      span.setAttribute(CLOUDEVENTS_EVENT_ID, id);
      span.setAttribute(CLOUDEVENTS_EVENT_SOURCE, source);
      span.setAttribute(CLOUDEVENTS_EVENT_TYPE, eventType);
    } else span.setAttribute(MESSAGING_BATCH_MESSAGE_COUNT, messages.length);
  }
  const context = withSpan(parent, span);
  // No span to hand on (no SDK): no carrier to fill.
  if (context === parent) return { span, context, headers: undefined };
  const carrier: Record<string, string> = {};
  propagation.inject(context, carrier);
  return { span, context, headers: Object.keys(carrier).length === 0 ? undefined : carrier };
}

/** Records what the target said: the broker's message id for a single message, an error status when one was not acked. */
export function endPublishSpan({ span }: PublishSpan, outcomes: readonly PublishOutcome[]): void {
  if (span.isRecording()) {
    const failed = outcomes.filter(
      (o): o is Exclude<PublishOutcome, { status: "acked" }> => o.status !== "acked",
    );
    const only = outcomes.length === 1 ? outcomes[0] : undefined;
    const receiptId = only?.status === "acked" ? only.receipt.id : undefined;
    if (receiptId !== undefined) span.setAttribute(MESSAGING_MESSAGE_ID, String(receiptId));
    const first = failed[0];
    if (first !== undefined) {
      const targetStatus = first.status === "terminal" ? first.targetStatus : undefined;
      span.setAttribute(ERROR_TYPE, targetStatus === undefined ? first.status : String(targetStatus));
      // No reason text: it may quote a URL or a broker's words, and spans leave the gateway unredacted.
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: `${failed.length} of ${outcomes.length} not acked (${first.status})`,
      });
    }
  }
  span.end();
}
