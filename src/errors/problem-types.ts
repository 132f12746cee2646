/**
 * The catalogue of problems the gateway can answer with: one stable code per
 * kind of failure, its HTTP status and title. `docs/problems.md` documents each
 * one; a test keeps the two in step.
 */
export const PROBLEM_TYPES = {
  "malformed-body": { status: 400, title: "The request body is not well-formed" },
  "invalid-event": { status: 400, title: "The request does not carry valid CloudEvents" },
  "body-incomplete": { status: 400, title: "The request body ended before its declared length" },
  "unmappable-request": { status: 400, title: "The request cannot be mapped to a valid CloudEvent" },
  unauthorized: { status: 401, title: "A valid bearer token is required" },
  unauthenticated: { status: 401, title: "A valid credential is required" },
  forbidden: { status: 403, title: "The credential may not publish this" },
  "source-unauthenticated": { status: 401, title: "The request's sender could not be verified" },
  "not-found": { status: 404, title: "No such resource" },
  "method-not-allowed": { status: 405, title: "Method not allowed on this resource" },
  "origin-not-allowed": { status: 403, title: "The origin is not allowed" },
  "not-replayable": { status: 409, title: "The target's dead letters cannot be read back for replay" },
  "schema-incompatible": { status: 409, title: "The schema breaks compatibility with earlier versions" },
  "payload-too-large": { status: 413, title: "The request body is larger than the gateway accepts" },
  "event-too-large": { status: 413, title: "An event is larger than a matched target can carry" },
  "too-many-events": { status: 413, title: "The batch holds more events than the gateway accepts" },
  "rate-limited": { status: 429, title: "Too many requests; retry after Retry-After seconds" },
  "headers-too-large": { status: 431, title: "The request's header fields are too large or too many" },
  "request-timeout": { status: 408, title: "The request body did not arrive in time" },
  overloaded: { status: 503, title: "The gateway is at its limit of requests in flight; retry later" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type or event format" },
  "contract-violation": { status: 422, title: "The event breaks its data contract" },
  "no-route": { status: 422, title: "No route matches the event" },
  "invalid-address": { status: 422, title: "An event's address for a matched target is invalid" },
  "transform-failed": { status: 422, title: "A matched route's transform cannot make a valid event" },
  "invalid-schema": { status: 422, title: "The body is not a usable JSON Schema" },
  "invalid-config": { status: 422, title: "The configuration is invalid; the current one stays" },
  "target-refused": { status: 502, title: "A target refused the event" },
  "target-unavailable": { status: 503, title: "A target is unavailable; retry later" },
  "auth-unavailable": { status: 503, title: "The credential cannot be verified now; retry later" },
  "deployment-incomplete": { status: 503, title: "The deployment's settings are incomplete; retry later" },
  internal: { status: 500, title: "Internal gateway error" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

/** Problem `type` URIs are stable identifiers, documented in docs/problems.md. */
export function problemTypeUri(code: ProblemCode): string {
  return `urn:ce-gateway:problem:${code}`;
}
