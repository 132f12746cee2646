/**
 * The gateway's error classes. Each carries a stable `code` (see
 * problem-types.ts), the HTTP status it maps to, whether a retry may succeed,
 * and the failures it is made of, each naming the field at fault. Branch on
 * `code`, never on message text.
 */
import { PROBLEM_TYPES, type ProblemCode } from "./problem-types.js";

/** One failure inside a request, pointing at the field at fault. */
export interface FieldFailure {
  /** Position of the event in a batch (0 for a single event). */
  readonly index?: number;
  /** JSON Pointer into the event's JSON form (`/id`, `/data`), or "" for the whole event. */
  readonly pointer?: string;
  /** The HTTP header at fault, in binary mode. */
  readonly header?: string;
  /** The query parameter at fault (a cloud publish API's `api-version`). */
  readonly query?: string;
  /** The delivery target at fault, for routing and delivery failures. */
  readonly target?: string;
  /** The route at fault, for a failed transform: the pointer is then into the event it made. */
  readonly route?: string;
  /** A stable, machine-readable reason such as `missing-attribute`. */
  readonly code: string;
  readonly detail: string;
}

export interface GatewayErrorOptions {
  readonly failures?: readonly FieldFailure[];
  /** Failures found but not kept in `failures` (see FailureList). */
  readonly failuresOmitted?: number;
  /** The checks stopped early at the failure limit, so there may be more failures than counted. */
  readonly failuresIncomplete?: boolean;
  readonly retryAfterMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
  /**
   * What the logs say instead of the message, when the message is kept vague
   * on purpose (a failed signature check tells the sender nothing, the operator why).
   */
  readonly logDetail?: string;
}

/** Marker checked by duck typing, so errors survive a package loaded twice. */
const GATEWAY_ERROR = "ceGatewayError";

export class GatewayError extends Error {
  readonly [GATEWAY_ERROR] = true;
  readonly code: ProblemCode;
  readonly status: number;
  readonly failures: readonly FieldFailure[];
  readonly failuresOmitted: number;
  readonly failuresIncomplete: boolean;
  readonly retryAfterMs: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly logDetail: string | undefined;

  constructor(code: ProblemCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    this.code = code;
    this.status = PROBLEM_TYPES[code].status;
    this.failures = options.failures ?? [];
    this.failuresOmitted = options.failuresOmitted ?? 0;
    this.failuresIncomplete = options.failuresIncomplete ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.headers = options.headers ?? {};
    this.logDetail = options.logDetail;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[GATEWAY_ERROR] === true
  );
}

/** The message of anything thrown, for failure texts. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

export const invalidEvent = (
  message: string,
  failures: readonly FieldFailure[],
  extent: Pick<GatewayErrorOptions, "failuresOmitted" | "failuresIncomplete"> = {},
) => new GatewayError("invalid-event", message, { failures, ...extent });

export const malformedBody = (message: string, failures: readonly FieldFailure[] = []) =>
  new GatewayError("malformed-body", message, { failures });

export const payloadTooLarge = (limit: number) =>
  new GatewayError("payload-too-large", `The request body exceeds the limit of ${limit} bytes`);

export const tooManyEvents = (limit: number) =>
  new GatewayError(
    "too-many-events",
    `The batch holds more than ${limit} events, the limit set by server.maxBatchEvents`,
    {
      failures: [
        {
          index: limit,
          pointer: `/${limit}`,
          code: "too-many-events",
          detail: `server.maxBatchEvents is ${limit}; this is event ${limit + 1}`,
        },
      ],
    },
  );

export const unsupportedMediaType = (message: string) => new GatewayError("unsupported-media-type", message);
