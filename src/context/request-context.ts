/**
 * The request context every stage receives: who asked, by when it must be
 * done, and the trace it belongs to.
 */

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** W3C Trace Context of the incoming request. */
export interface TraceContext {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/** Who sent the request, once authentication exists (filled by the auth stage). */
export interface Principal {
  readonly id: string;
  readonly kind: string;
  readonly claims?: Readonly<Record<string, unknown>>;
}

export interface RequestContext {
  readonly requestId: string;
  readonly receivedAt: number;
  /** Epoch milliseconds by which delivery must have finished. */
  readonly deadline: number;
  /** Aborted when the client goes away. (The deadline is enforced by the delivery layer.) */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly trace: TraceContext | undefined;
  readonly principal: Principal | undefined;
}

const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function traceContextOf(headers: Headers): TraceContext | undefined {
  const traceparent = headers.get("traceparent")?.trim();
  if (traceparent === undefined || !TRACEPARENT.test(traceparent) || traceparent.startsWith("ff"))
    return undefined;
  const tracestate = headers.get("tracestate") ?? undefined;
  return tracestate === undefined ? { traceparent } : { traceparent, tracestate };
}

export function createRequestContext(
  request: Request,
  options: { clock: Clock; timeoutMs: number; newId: () => string },
): RequestContext {
  const receivedAt = options.clock.now();
  const offered = request.headers.get("x-request-id");
  return {
    requestId: offered !== null && REQUEST_ID.test(offered) ? offered : options.newId(),
    receivedAt,
    deadline: receivedAt + options.timeoutMs,
    // No timer or AbortSignal.any here: both cost on every request, and only delivery waits.
    signal: request.signal ?? new AbortController().signal,
    clock: options.clock,
    trace: traceContextOf(request.headers),
    principal: undefined,
  };
}
