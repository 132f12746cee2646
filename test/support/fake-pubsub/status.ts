/**
 * gRPC status codes as the fake Pub/Sub uses them, their canonical names and
 * the HTTP status Google's REST (JSON) APIs answer with for each, plus the
 * error type that both transports throw out of the shared state.
 */

/** gRPC status codes (same numbers as `@grpc/grpc-js`'s `status`). */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type CodeName = keyof typeof Code;
export type StatusCode = (typeof Code)[CodeName];

const NAMES = new Map<number, CodeName>(
  (Object.entries(Code) as [CodeName, StatusCode][]).map(([name, code]) => [code, name]),
);

/** HTTP statuses per google.rpc.Code (google/rpc/code.proto). */
const HTTP: Record<CodeName, number> = {
  OK: 200,
  CANCELLED: 499,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500,
  UNAUTHENTICATED: 401,
};

export function codeName(code: number): CodeName {
  return NAMES.get(code) ?? "UNKNOWN";
}

export function httpStatus(code: number): number {
  return HTTP[codeName(code)];
}

/** Default messages for injected failures, close to what Google sends. */
export function defaultMessage(code: number): string {
  switch (codeName(code)) {
    case "UNAVAILABLE":
      return "The service was unable to fulfill your request. Please try again. [code=8a75]";
    case "DEADLINE_EXCEEDED":
      return "Deadline exceeded";
    case "RESOURCE_EXHAUSTED":
      return "Quota exceeded";
    case "INTERNAL":
      return "An internal error occurred";
    default:
      return `Injected failure (${codeName(code)})`;
  }
}

/** An error with a gRPC status, mapped by each transport to its own wire form. */
export class PubsubError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = "PubsubError";
    this.code = code;
  }
}
