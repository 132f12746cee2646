/**
 * The gateway's tracer, from `@opentelemetry/api` alone: the API is
 * web-standard (it runs on Workers) and does nothing until an application
 * registers an SDK (a TracerProvider, and with it a propagator). Until then
 * every span it starts is the API's non-recording span and every inject and
 * extract is a no-op, so the request path pays a few calls, no allocation
 * of attributes (each caller checks `isRecording()` first) and no header.
 */
import { type Context, isSpanContextValid, ROOT_CONTEXT, type Span, trace } from "@opentelemetry/api";
import { SEMCONV_SCHEMA_URL } from "./semconv.js";

/**
 * A ProxyTracer: it finds the provider registered later (an SDK started
 * after this module loaded) on its next span, so it is safe to take once.
 */
export const tracer = trace
  .getTracerProvider()
  .getTracer("ce-gateway", undefined, { schemaUrl: SEMCONV_SCHEMA_URL });

/** The context a stage's span is a child of: the request's, else a root (a record the outbox delivers). */
export const parentOf = (telemetry: Context | undefined): Context => telemetry ?? ROOT_CONTEXT;

/**
 * The context whose active span is `span`, under `parent`; the parent itself
 * for the no-op span of an API without an SDK (nothing to carry), which
 * spares a context per span on the path every request takes.
 */
export const withSpan = (parent: Context, span: Span): Context =>
  span.isRecording() || isSpanContextValid(span.spanContext()) ? trace.setSpan(parent, span) : parent;
