/**
 * A span around one pipeline stage that waits on a store (the dedup store's
 * lookup and record, the outbox's append): CLIENT, as the gateway calls out,
 * a child of the request's span, an error when the store failed. Stages that
 * do no I/O per request (validation reads schemas already in memory) have
 * none: their time is the request span's own.
 */
import { type Attributes, type Context, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { ERROR_TYPE } from "./semconv.js";
import { parentOf, tracer } from "./tracer.js";

export async function inStageSpan<T>(
  telemetry: Context | undefined,
  name: string,
  attributes: Attributes,
  run: () => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT }, parentOf(telemetry));
  if (span.isRecording()) span.setAttributes(attributes);
  try {
    return await run();
  } catch (error) {
    if (span.isRecording()) {
      span.setAttribute(ERROR_TYPE, error instanceof Error ? error.name : "Error");
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    throw error;
  } finally {
    span.end();
  }
}
