/**
 * The request context every stage receives: who asked, by when it must be
 * done, and the trace it belongs to.
 */
import type { HeaderReader, IngressRequest } from "../decode/ingress-request.js";

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

/** Never aborts: for requests whose client cannot go away (or whose server cannot tell). */
const NEVER_ABORTED = new AbortController().signal;

export function traceContextOf(headers: HeaderReader): TraceContext | undefined {
  const header = headers.get("traceparent");
  if (header === null) return undefined;
  const traceparent = header.trim();
  if (!TRACEPARENT.test(traceparent) || traceparent.startsWith("ff")) return undefined;
  const tracestate = headers.get("tracestate") ?? undefined;
  return tracestate === undefined ? { traceparent } : { traceparent, tracestate };
}

export function createRequestContext(
  request: Pick<IngressRequest, "headers" | "signal">,
  options: { clock: Clock; timeoutMs: number; newId: () => string },
): RequestContext {
  const receivedAt = options.clock.now();
  const offered = request.headers.get("x-request-id");
  return {
    requestId: offered !== null && REQUEST_ID.test(offered) ? offered : options.newId(),
    receivedAt,
    deadline: receivedAt + options.timeoutMs,
    // Read when delivery first waits on it: a server may make the signal lazily (a request
    // answered without delivering never needs one). No timer or AbortSignal.any here either.
    get signal() {
      return request.signal ?? NEVER_ABORTED;
    },
    clock: options.clock,
    trace: traceContextOf(request.headers),
    principal: undefined,
  };
}
