/**
 * The milliseconds left until an attempt's deadline, for the client APIs
 * that take a timeout as a number rather than an AbortSignal. Never less
 * than 1: to many clients a timeout of 0 means "wait forever".
 */
export function msUntil(deadline: number, now: number = Date.now()): number {
  return Math.max(1, Math.ceil(deadline - now));
}
