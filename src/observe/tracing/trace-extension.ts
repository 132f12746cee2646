/**
 * The CloudEvents distributed-tracing extension (`traceparent`,
 * `tracestate`: extensions/distributed-tracing.md) carries the trace in
 * which an event STARTED, not the hops it took since: a producer's value is
 * never changed. A route may ask (`trace: { addExtension: true }`) that an
 * event arriving without one gains one, naming the trace the gateway
 * received it in. That changes the event, so it is opt-in, and the event
 * with the extension is the one sized against each target.
 */
import { isSpanContextValid, trace } from "@opentelemetry/api";
import type { RequestContext, TraceContext } from "../../context/request-context.js";
import { type CloudEvent, createCloudEvent } from "../../event/cloud-event.js";

const hex2 = (flags: number) => (flags & 0xff).toString(16).padStart(2, "0");

/**
 * The trace an event received in this request started in: the request's
 * span when an SDK made one (a child of the producer's `traceparent`
 * header, or a new trace), else the request's own W3C headers as they came;
 * undefined with neither.
 */
export function startingTraceOf(ctx: Pick<RequestContext, "telemetry" | "trace">): TraceContext | undefined {
  const span = ctx.telemetry === undefined ? undefined : trace.getSpan(ctx.telemetry);
  const spanContext = span?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return ctx.trace;
  const traceparent = `00-${spanContext.traceId}-${spanContext.spanId}-${hex2(spanContext.traceFlags)}`;
  const tracestate = spanContext.traceState?.serialize();
  return tracestate === undefined || tracestate === "" ? { traceparent } : { traceparent, tracestate };
}

/**
 * The event with the extension added, or the event itself when it already
 * has a `traceparent` (a producer's trace is kept as it is). The added
 * event is written anew by each target's encoding: the bytes it came in
 * no longer describe it.
 */
export function withTraceExtension(event: CloudEvent, starting: TraceContext): CloudEvent {
  if (event.extensions.has("traceparent")) return event;
  const extensions = new Map(event.extensions);
  extensions.set("traceparent", starting.traceparent);
  if (starting.tracestate !== undefined && !extensions.has("tracestate"))
    extensions.set("tracestate", starting.tracestate);
  return createCloudEvent({ attributes: event.attributes, extensions, data: event.data });
}
