/**
 * The hop's trace context on a Pub/Sub message: message attributes named
 * as Google's Pub/Sub client libraries name them when their OpenTelemetry
 * tracing is on (`googclient_traceparent`, `googclient_tracestate`), so a
 * subscriber using one continues the trace. The CloudEvents binding's own
 * attributes are `ce-*`: the event's `traceparent` extension is
 * `ce-traceparent` and is never touched. Tracing never costs an event its
 * delivery: a message the attributes would push past a Pub/Sub limit goes
 * without them.
 */
import { LIMITS, messageSize, type PubsubPayload } from "../../src/bindings/pubsub/encode.js";
import { utf8Length } from "../../src/codec/utf8.js";

export const TRACE_ATTRIBUTE_PREFIX = "googclient_";

export function withTraceAttributes(
  payload: PubsubPayload,
  traceHeaders: Readonly<Record<string, string>> | undefined,
): PubsubPayload {
  if (traceHeaders === undefined) return payload;
  const added = Object.entries(traceHeaders).map(([name, value]) => [
    `${TRACE_ATTRIBUTE_PREFIX}${name}`,
    value,
  ]);
  const fits =
    Object.keys(payload.attributes).length + added.length <= LIMITS.attributes &&
    added.every(([, value]) => utf8Length(value as string) <= LIMITS.attributeValueBytes) &&
    messageSize(payload) +
      added.reduce((sum, [k, v]) => sum + utf8Length(k as string) + utf8Length(v as string), 0) <=
      LIMITS.messageBytes;
  return fits
    ? { data: payload.data, attributes: { ...payload.attributes, ...Object.fromEntries(added) } }
    : payload;
}
