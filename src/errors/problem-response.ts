/**
 * The one place where errors become HTTP responses: RFC 9457
 * `application/problem+json`, with the failures that make up the error.
 */
import type { GatewayReply } from "../respond/reply.js";
import { GatewayError, isGatewayError } from "./errors.js";
import { MAX_LISTED_FAILURES } from "./failure-list.js";
import { PROBLEM_TYPES, type ProblemCode, problemTypeUri } from "./problem-types.js";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export { MAX_LISTED_FAILURES } from "./failure-list.js";

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ProblemCode;
  readonly instance?: string;
  readonly errors?: GatewayError["failures"];
  /** How many further failures were left out of `errors`. */
  readonly errorsOmitted?: number;
  /** The checks stopped at the failure limit: more failures may exist than `errors` and `errorsOmitted` count. */
  readonly errorsIncomplete?: true;
}

export function toProblemBody(error: GatewayError, requestId?: string): ProblemBody {
  const entry = PROBLEM_TYPES[error.code];
  const omitted = Math.max(0, error.failures.length - MAX_LISTED_FAILURES) + error.failuresOmitted;
  return {
    type: problemTypeUri(error.code),
    title: entry.title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(requestId === undefined ? {} : { instance: `urn:ce-gateway:request:${requestId}` }),
    ...(error.failures.length > 0 ? { errors: error.failures.slice(0, MAX_LISTED_FAILURES) } : {}),
    ...(omitted > 0 ? { errorsOmitted: omitted } : {}),
    ...(error.failuresIncomplete ? { errorsIncomplete: true } : {}),
  };
}

/** The problem as a status, headers and JSON text (what `problemResponse` sends, for servers that write replies themselves). */
export function problemReply(error: GatewayError, requestId?: string): GatewayReply {
  // Lowercase names: error.headers may hold any case, and these must replace theirs.
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(error.headers)) headers[name.toLowerCase()] = value;
  headers["content-type"] = PROBLEM_CONTENT_TYPE;
  if (error.retryAfterMs !== undefined) {
    headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  }
  if (requestId !== undefined) headers["x-request-id"] = requestId;
  return { status: error.status, headers, body: JSON.stringify(toProblemBody(error, requestId)) };
}

export function problemResponse(error: GatewayError, requestId?: string): Response {
  const reply = problemReply(error, requestId);
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}

/** Maps anything thrown to a problem; unknown errors become an opaque 500 that leaks nothing. */
export function asGatewayError(thrown: unknown): GatewayError {
  if (isGatewayError(thrown)) return thrown;
  return new GatewayError("internal", "The gateway failed to handle the request", { cause: thrown });
}
