/**
 * The request context every stage receives: who asked, by when it must be
 * done, and the trace it belongs to.
 */
import type { Context } from "@opentelemetry/api";
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
  /**
   * The OpenTelemetry context of the request's span, which stages start
   * their spans under (../observe/tracing); absent outside a request (the
   * outbox's dispatcher) and with no span started.
   */
  readonly telemetry?: Context | undefined;
}

const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's `x-request-id` when it sent a usable one (it is logged and echoed), else a new id. */
export function requestIdOf(headers: { get(name: string): string | null }, newId: () => string): string {
  const offered = headers.get("x-request-id");
  return offered !== null && REQUEST_ID.test(offered) ? offered : newId();
}

/**
 * Never aborts: for requests whose client cannot go away (or whose server
 * cannot tell). Made on first use: workerd refuses an AbortController made
 * at a module's top level.
 */
let neverAborted: AbortSignal | undefined;
const NEVER_ABORTED = () => {
  neverAborted ??= new AbortController().signal;
  return neverAborted;
};

export function traceContextOf(headers: HeaderReader): TraceContext | undefined {
  const header = headers.get("traceparent");
  if (header === null) return undefined;
  const traceparent = header.trim();
  if (!TRACEPARENT.test(traceparent) || traceparent.startsWith("ff")) return undefined;
  const tracestate = headers.get("tracestate") ?? undefined;
  return tracestate === undefined ? { traceparent } : { traceparent, tracestate };
}

/**
 * A class rather than an object literal: a literal with a getter took the
 * slow object-creation path (about 1 µs per request).
 */
class IncomingRequestContext implements RequestContext {
  readonly requestId: string;
  readonly receivedAt: number;
  readonly deadline: number;
  readonly clock: Clock;
  readonly trace: TraceContext | undefined;
  /** Set once by the admission stage, before anything else reads it. */
  principal: Principal | undefined = undefined;
  /** Set once when the request's span starts, before any stage runs. */
  telemetry: Context | undefined = undefined;
  readonly #request: Pick<IngressRequest, "signal">;

  constructor(
    request: Pick<IngressRequest, "headers" | "signal">,
    options: { clock: Clock; timeoutMs: number; newId: () => string },
  ) {
    this.requestId = requestIdOf(request.headers, options.newId);
    this.receivedAt = options.clock.now();
    this.deadline = this.receivedAt + options.timeoutMs;
    this.clock = options.clock;
    this.trace = traceContextOf(request.headers);
    this.#request = request;
  }

  /**
   * Read when delivery first waits on it: a server may make the signal lazily (a
   * request answered without delivering never needs one). No timer or
   * AbortSignal.any here either: only delivery waits.
   */
  get signal(): AbortSignal {
    return this.#request.signal ?? NEVER_ABORTED();
  }
}

/** A request's context while the admission stage may still name its principal. */
export type AdmittingContext = RequestContext & {
  principal: Principal | undefined;
  telemetry: Context | undefined;
};

export function createRequestContext(
  request: Pick<IngressRequest, "headers" | "signal">,
  options: { clock: Clock; timeoutMs: number; newId: () => string },
): AdmittingContext {
  return new IncomingRequestContext(request, options);
}
