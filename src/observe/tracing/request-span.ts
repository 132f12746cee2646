/**
 * The SERVER span of one request to the gateway (POST /events or a source's
 * path). Its parent is the request's W3C `traceparent`/`tracestate`, read by
 * the registered propagator (an SDK registers the W3C one), unless a span is
 * already active: then an HTTP instrumentation has made the request's span
 * from the same headers, and this one nests under it.
 */
import {
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from "@opentelemetry/api";
import type { HeaderReader } from "../../decode/ingress-request.js";
import {
  ERROR_TYPE,
  GATEWAY_REQUEST_ID,
  HTTP_REQUEST_METHOD,
  HTTP_RESPONSE_STATUS_CODE,
  HTTP_ROUTE,
  URL_PATH,
} from "./semconv.js";
import { tracer, withSpan } from "./tracer.js";

/** Reads a propagation field from the request's headers (names are lowercase, as the propagators ask). */
const headerGetter: TextMapGetter<HeaderReader> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => {
    const names: string[] = [];
    headers.forEach((_, name) => {
      names.push(name);
    });
    return names;
  },
};

export interface RequestSpan {
  readonly span: Span;
  /** The context the request's stages start their spans under. */
  readonly context: Context;
}

export function startRequestSpan(path: string, headers: HeaderReader): RequestSpan {
  const active = context.active();
  const parent =
    trace.getSpan(active) === undefined ? propagation.extract(active, headers, headerGetter) : active;
  // The route is the configured path (/events or a source's), so the name stays low in cardinality.
  const span = tracer.startSpan(`POST ${path}`, { kind: SpanKind.SERVER }, parent);
  if (span.isRecording()) {
    span.setAttribute(HTTP_REQUEST_METHOD, "POST");
    span.setAttribute(HTTP_ROUTE, path);
    span.setAttribute(URL_PATH, path);
  }
  return { span, context: withSpan(parent, span) };
}

/** Ends the span with the answer's status: a 5xx is the gateway's error, a 4xx the client's (HTTP conventions). */
export function endRequestSpan({ span }: RequestSpan, status: number, requestId: string): void {
  if (span.isRecording()) {
    span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
    // The id every log line of the request carries: a trace and its logs meet on it.
    span.setAttribute(GATEWAY_REQUEST_ID, requestId);
    if (status >= 500) {
      span.setAttribute(ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}
